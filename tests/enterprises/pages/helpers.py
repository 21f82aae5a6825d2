"""What the enterprise page tests share."""


def page_html(response) -> str:
    return response.content.decode()

"""Chinese first: the browser's Accept-Language does not choose the UI language; the user's switch does."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChineseFirstMiddleware:
    """Drop Accept-Language so LocaleMiddleware uses the language cookie (set by the switch) or zh-hans.

    Many users in China browse with an English-locale browser; the platform still opens in Chinese for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

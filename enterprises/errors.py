"""Errors the enterprise services raise besides core.errors (rendered by core/api/exceptions.py)."""

from core.errors import ApplicationError


class NotFoundError(ApplicationError):
    """The object does not exist or the user may not see it: HTTP 404, so existence is never revealed."""

    status_code = 404
    code = "not_found"


def not_found() -> NotFoundError:
    """The one message every hidden or missing object gets."""
    return NotFoundError("未找到 / Not found")

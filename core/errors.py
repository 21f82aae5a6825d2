"""Application-level errors raised by services (rule violations rather than malformed input)."""

from typing import Any


class ApplicationError(Exception):
    """A business-rule violation; the API renders it with `status_code` (400 unless a subclass says otherwise)."""

    status_code = 400
    code = "application_error"

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The request conflicts with the current state (duplicate, illegal transition): HTTP 409."""

    status_code = 409
    code = "conflict"


class ServiceUnavailableError(ApplicationError):
    """A backing service (broker) is down; the client should try again later: HTTP 503."""

    status_code = 503
    code = "try_again"

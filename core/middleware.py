"""Chinese first (the browser's Accept-Language does not choose the UI language), the health check's answer, and
no NUL character in a query string."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from core.views import healthz


class ChineseFirstMiddleware:
    """Drop Accept-Language so LocaleMiddleware uses the language cookie (set by the switch) or zh-hans.

    Many users in China browse with an English-locale browser; the platform still opens in Chinese for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer GET /healthz before anything reads the Host header or redirects to HTTPS.

    The compose healthcheck asks http://127.0.0.1:8000/healthz from inside the container: that host is not in
    ALLOWED_HOSTS and the scheme is plain HTTP, so behind SecurityMiddleware it would get 400 or 301. First in
    MIDDLEWARE; the answer carries no data beyond {"status": "ok"}.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


class NulCharacterMiddleware:
    """A 400 for a query string holding a NUL character (%00), before any view puts it into SQL.

    PostgreSQL cannot store or compare NUL in text, so psycopg2 raises ValueError deep inside a filter: a 500 for
    what is only bad input. No legitimate search, filter or id contains one. Request bodies are validated by
    the forms and serializers (core.validators.single_line_text refuses control characters).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)

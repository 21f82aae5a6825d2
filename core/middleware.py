"""Chinese first (the browser's Accept-Language does not choose the UI language), the health check's answer, no NUL
character in a query string, and 503 "try again" when Redis is down."""

import logging
from collections.abc import Callable

import redis.exceptions
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.api.exceptions import api_error_response
from core.views import healthz

logger = logging.getLogger(__name__)
# how long a client is asked to wait when a backing service is down (Retry-After)
SERVICE_RETRY_AFTER_SECONDS = 30
SERVICE_UNAVAILABLE_MESSAGE = (
    "服务暂时不可用，请稍后再试 / The service is temporarily unavailable: try again in a moment"
)


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


class ServiceUnavailableMiddleware:
    """A view that cannot reach Redis (production's cache: the sign-in and sign-up throttles' counters, the dashboards'
    figures) answers 503 with Retry-After — a page in the platform's layout, the API in its error format — and
    logs the outage, instead of a 500. The throttles fail closed: nobody signs in unthrottled meanwhile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            return None
        logger.error(
            "Redis unreachable (%s: %s): %s %s answered 503",
            type(exception).__name__,
            exception,
            request.method,
            request.path,
        )
        if request.path.startswith("/api/"):
            response: HttpResponse = api_error_response(
                code="try_again", message=SERVICE_UNAVAILABLE_MESSAGE, status_code=503
            )
        else:
            response = render(request, "service_unavailable.html", status=503)
        response["Retry-After"] = str(SERVICE_RETRY_AFTER_SECONDS)
        return response

"""Chinese first (the browser's Accept-Language does not choose the UI language), and the health check's answer."""

from collections.abc import Callable

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

"""Per-address rate limits on sign-in, API tokens and sign-up: one counter shared by the pages and the API.

The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read on every request so a test or an operator
can change them); the counters live in the default cache, keyed by scope and the client's address.

Sign-in counts failures only: an office behind one NAT address signs in all morning and is never refused, while
password guessing from one address is (and django-axes locks a username after 5 failures from one address).
Sign-up counts every attempt.
"""

import math
from collections.abc import Sequence
from types import SimpleNamespace
from typing import NoReturn

from django.http import HttpRequest
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from core.http import client_ip

LOGIN_SCOPE = "login"
REGISTRATION_SCOPE = "registration"


def throttle_message(*, seconds: int) -> str:
    """What a throttled client reads, Chinese first."""
    return f"请求过于频繁，请 {seconds} 秒后再试 / Too many requests: try again in {seconds} seconds"


class ClientAddressThrottle(ScopedRateThrottle):
    """ScopedRateThrottle keyed on core.http.client_ip (never on a client-supplied X-Forwarded-For)."""

    def get_ident(self, request: HttpRequest) -> str:  # type: ignore[override]  # pages pass Django's request
        return client_ip(request)

    def get_rate(self) -> str | None:
        # DRF copies the rates into a class attribute at import; read the setting itself instead
        rate = api_settings.DEFAULT_THROTTLE_RATES[str(self.scope)]
        return None if rate is None else str(rate)


class FailuresOnlyThrottle(ClientAddressThrottle):
    """Refuses an address that used up its rate, but lets a request through without counting it: the view counts
    the attempt only when it fails (`throttle_count`)."""

    def throttle_success(self) -> bool:
        return True


def throttle_count(request: HttpRequest | Request, *, scope: str) -> None:
    """Count one attempt of `scope` from the request's address (a failed sign-in)."""
    ClientAddressThrottle().allow_request(request, SimpleNamespace(throttle_scope=scope))  # type: ignore[arg-type]


class TooManyRequests(Throttled):
    """429 with Retry-After in whole seconds and the platform's bilingual message."""

    def __init__(self, wait: float | None) -> None:
        seconds = max(1, math.ceil(wait or 0))
        super().__init__(wait=None, detail=throttle_message(seconds=seconds))
        self.wait = seconds


class ClientAddressThrottledApiView(APIView):
    """An APIView throttled by `throttle_scope` per client address, answering 429 in the platform's words."""

    throttle_classes: Sequence[type[BaseThrottle]] = [ClientAddressThrottle]
    throttle_scope: str

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyRequests(wait)


def page_throttle_wait(request: HttpRequest, *, scope: str, count: bool = True) -> int | None:
    """The seconds to wait when the address is over the limit, else None; counts this attempt unless `count` is
    False (the page then counts it with `throttle_count` if it fails)."""
    throttle = ClientAddressThrottle() if count else FailuresOnlyThrottle()
    if throttle.allow_request(request, SimpleNamespace(throttle_scope=scope)):  # type: ignore[arg-type]
        return None
    return max(1, math.ceil(throttle.wait() or 0))

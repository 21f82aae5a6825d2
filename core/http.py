"""Request helpers: the client's address, and typing aids for views that only signed-in users reach."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request

    from accounts.models import User


class AuthedHttpRequest(HttpRequest):
    """The request of a page behind `login_required` (or a decorator built on it): `user` is never anonymous.

    Only an annotation: Django still passes its own request object.
    """

    user: User


def authed_user(request: Request) -> User:
    """The caller of an API view behind IsAuthenticated (the default permission) or a permission that implies it."""
    return cast("User", request.user)


def client_ip(request: HttpRequest | Request) -> str:
    """The client's address: REMOTE_ADDR, or behind our reverse proxy (DJANGO_BEHIND_PROXY) the hop it appended.

    A client can send any X-Forwarded-For it likes; only the last entry, the one our proxy added, is trustworthy,
    and only when a proxy is there to add it. Login lockouts and throttles key on this address.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    if settings.BEHIND_PROXY:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if forwarded:
            return forwarded[-1]
    return remote

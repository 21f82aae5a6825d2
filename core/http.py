"""Typing aids for views that only signed-in users reach (no runtime behaviour of their own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

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

"""Shared bits of the enterprise pages: role gates and turning service errors into form errors."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Role
from core.errors import ApplicationError
from core.http import AuthedHttpRequest

_View = Callable[..., HttpResponseBase]


def role_required(*roles: str) -> Callable[[_View], _View]:
    """Allow only signed-in users with one of `roles` (403 for other roles); admins pass when ADMIN is listed."""

    def decorator(view: _View) -> _View:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            role = Role.ADMIN if user.is_platform_admin else user.role
            if role not in roles:
                raise PermissionDenied
            if role == Role.ENTERPRISE and not user.enterprise_id:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def form_error_from(
    form: forms.Form,
    exc: ValidationError | ApplicationError,
    *,
    field: str | None = None,
    aliases: dict[str, str] | None = None,
) -> None:
    """Attach a service error to the form: field errors to their fields (or `field`), the rest to the whole form.

    `aliases` maps a service's field name to the form's (sign-up's "password" is the form's "password1").
    """
    if isinstance(exc, ApplicationError):
        form.add_error(field, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            name = (aliases or {}).get(name, name)
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
        return
    form.add_error(field, exc)


def safe_next(request: HttpRequest, default: str) -> str:
    """The POSTed `next` URL when it points at this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default

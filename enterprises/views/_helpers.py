"""Shared bits of the enterprise pages: turning service errors into form errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import ApplicationError


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
    """The POSTed `next` URL when it is a path on this site, else `default` (redirect() would read "abc" as a URL
    name and fail)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default

"""The sign-in lockout of django-axes (AXES_LOCKOUT_CALLABLE): how long it lasts and what to do — on the page in the
platform's layout, Chinese first with the English catalog; on the API in its error format. Both answer
AXES_HTTP_RESPONSE_CODE (429) with Retry-After.

A username is locked from one address after AXES_FAILURE_LIMIT failures; the lock lasts AXES_COOLOFF_TIME from the
latest attempt, and axes counts an attempt made during the lock (so trying again restarts the wait).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.conf import settings as axes_settings
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from rest_framework.exceptions import Throttled
from rest_framework.request import Request

from core.http import client_ip


@dataclass(frozen=True)
class Lockout:
    """One username locked from one address: after how many failures, for how long, until when."""

    failure_limit: int
    cool_off: timedelta
    until: datetime

    @property
    def retry_after(self) -> int:
        """Whole seconds until the lock ends (at least 1)."""
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    @property
    def cool_off_minutes(self) -> int:
        return max(1, round(self.cool_off.total_seconds() / 60))

    def message(self) -> str:
        """The API's words, Chinese first."""
        until = timezone.localtime(self.until).strftime("%Y-%m-%d %H:%M")
        return (
            f"该账号在此网络地址连续 {self.failure_limit} 次登录失败，已锁定 {_minutes_zh(self.cool_off_minutes)}，"
            f"请于 {until} 后再试（锁定期间再次尝试会重新计时）；如忘记密码，请联系平台管理员 / "
            f"{self.failure_limit} failed sign-ins in a row for this account from this address: it is locked for "
            f"{_minutes_en(self.cool_off_minutes)}. Try again after {until} (an attempt during the lock restarts "
            "it); if you forgot the password, contact the platform administrator"
        )


def _minutes_zh(minutes: int) -> str:
    return f"{minutes // 60} 小时" if minutes % 60 == 0 else f"{minutes} 分钟"


def _minutes_en(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockout_of(request: HttpRequest | Request, credentials: dict[str, Any] | None = None) -> Lockout:
    """The lockout the request ran into (its username from the credentials or the posted form, its address)."""
    cool_off = get_cool_off(request) or timedelta(0)
    username = get_client_username(request, credentials)  # type: ignore[arg-type]
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    latest = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(at=Max("attempt_time"))
    return Lockout(
        failure_limit=get_failure_limit(request, credentials),  # type: ignore[arg-type]
        cool_off=cool_off,
        until=(latest["at"] or timezone.now()) + cool_off,
    )


def sign_in_locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page's answer to a locked username and address."""
    lockout = lockout_of(request, credentials)
    response = render(
        request,
        "registration/lockout.html",
        {
            "failure_limit": lockout.failure_limit,
            "cooloff_hours": lockout.cool_off_minutes // 60 if lockout.cool_off_minutes % 60 == 0 else None,
            "cooloff_minutes": lockout.cool_off_minutes,
            "locked_until": lockout.until,
        },
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(lockout.retry_after)
    return response


class SignInLockedOut(Throttled):
    """The API's answer to a locked username and address: 429, Retry-After, code `locked_out`."""

    default_code = "locked_out"

    def __init__(self, lockout: Lockout) -> None:
        super().__init__(wait=None, detail=lockout.message())
        self.wait = lockout.retry_after

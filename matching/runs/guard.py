"""One full matching run at a time, a run's failure, and the embedded configuration's in-process runs
(core.local_executor).

`match_run_record` records a run unless one is active (pending or running): the second click gets "已有匹配正在运行".
Without a broker (settings.MATCHING_LOCAL_EXECUTOR) the run goes to a background thread of the server process; a
run left active by a process that stopped (no live thread here) is an orphan and is marked failed, so it never
blocks the button for good. With a broker an active run older than MATCHING_RUN_ABANDONED_SECONDS counts as
abandoned the same way (the recovery sweep has re-sent it many times by then).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.errors import ConflictError
from core.local_executor import local_busy, local_submit
from matching.models import MatchRun

LOCAL_KEY = "matching-run"
ACTIVE = [MatchRun.Status.PENDING, MatchRun.Status.RUNNING]
BUSY_MESSAGE = "已有匹配正在运行 / a matching run is already running"


def _serialise_starts() -> None:
    """Two clicks at the same moment: the second waits for the first's transaction (SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(b"matching.run_start")])


def match_runs_abandoned_fail() -> int:
    """Mark failed the active runs nobody works on any more; returns how many."""
    active = MatchRun.objects.filter(status__in=ACTIVE)
    if settings.MATCHING_LOCAL_EXECUTOR:
        if local_busy(key=LOCAL_KEY):
            return 0
        reason = "运行中断（服务进程已停止）/ interrupted: the server process stopped"
    else:
        cutoff = timezone.now() - timedelta(seconds=settings.MATCHING_RUN_ABANDONED_SECONDS)
        active = active.filter(created_at__lt=cutoff)
        reason = "运行无进展，已放弃 / abandoned: no progress"
    return active.update(status=MatchRun.Status.FAILED, error=reason, finished_at=timezone.now())


def match_run_active() -> MatchRun | None:
    return MatchRun.objects.filter(status__in=ACTIVE).order_by("-pk").first()


@transaction.atomic
def match_run_record(*, parameters: dict[str, Any], sweep: bool = True) -> MatchRun:
    """Record a new run; ConflictError when one is active. `sweep=False` (a command in another process, which cannot
    tell the server's live thread from an orphan) leaves active runs alone."""
    _serialise_starts()
    if sweep:
        match_runs_abandoned_fail()
    if match_run_active() is not None:
        raise ConflictError(BUSY_MESSAGE)
    return MatchRun.objects.create(parameters=parameters)


def match_run_fail(*, run_pk: int, reason: str) -> None:
    """Mark a run FAILED with its reason; the previous run stays served."""
    MatchRun.objects.filter(pk=run_pk).exclude(status=MatchRun.Status.DONE).update(
        status=MatchRun.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def match_run_submit_local(*, run: MatchRun, execute: Callable[[MatchRun], object]) -> None:
    """Run `execute(run)` in the server's background thread after commit; a crash marks the run failed."""

    def work() -> None:
        execute(MatchRun.objects.get(pk=run.pk))  # loaded again: in the thread's own connection

    def on_crash(reason: str) -> None:
        MatchRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(
            status=MatchRun.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
        )

    if not local_submit(key=LOCAL_KEY, work=work, on_crash=on_crash):
        on_crash(BUSY_MESSAGE)
        raise ConflictError(BUSY_MESSAGE)

"""The run readers use: the latest complete one (remembered per process for a moment), and the runs list for staff.
Reads only; finalising a run (matching.runs.finalise) makes a run current and drops what this process remembered."""

from __future__ import annotations

import time

from django.conf import settings
from django.db.models import QuerySet

from matching.models import MatchRun

_current: tuple[float, MatchRun | None] = (float("-inf"), None)


def current_run() -> MatchRun | None:
    """The run readers use: the latest complete one (do not modify the instance: it is shared within the process).

    Remembered per process for MATCHING_CURRENT_RUN_SECONDS: every recommendation and search request needs it, and
    a reader that sees the previous run for a second more is still right, since finalising a run keeps the previous
    run's rows and artifacts.
    """
    global _current
    ttl = settings.MATCHING_CURRENT_RUN_SECONDS
    if ttl > 0 and time.monotonic() - _current[0] < ttl:
        return _current[1]
    run = MatchRun.objects.filter(is_current=True, status=MatchRun.Status.DONE).order_by("-finished_at").first()
    _current = (time.monotonic(), run)
    return run


def current_run_forget() -> None:
    """Drop this process's remembered current run (a run was just finalised here)."""
    global _current
    _current = (float("-inf"), None)


def match_run_list() -> QuerySet[MatchRun]:
    """Runs, newest first, for staff."""
    return MatchRun.objects.order_by("-created_at")

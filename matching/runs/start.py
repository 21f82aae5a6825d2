"""Starting a full run: every entry point — the runs page, the API, the nightly beat task, `manage.py match_all` —
comes through match_run_start. One run at a time (matching.runs.guard); with a broker the preparation task is sent
after commit (matching.runs.tasks), without one the run goes to a thread of this process, and the command runs it
here. Writes."""

from __future__ import annotations

from django.conf import settings

from core.errors import ServiceUnavailableError
from core.jobs import task_send
from matching.models import MatchRun
from matching.runs.guard import match_run_fail, match_run_record, match_run_submit_local
from matching.runs.inline import match_run_execute_inline
from matching.runs.tasks import match_run_prepare_task


def match_run_start(*, trigger: str, requested_by: str = "", inline: bool = False) -> MatchRun:
    """Record a full run and start it; every entry point (page, API, beat, command) comes through here.

    Queued (default): the preparation task is sent after commit; a broker that is down fails the run and raises
    ServiceUnavailableError, so the caller is told to try again and this run never starts later by itself.
    `inline=True` (the management command): the whole run in this process, returned finished.
    No broker (settings.MATCHING_LOCAL_EXECUTOR): a background thread of this process (matching.runs.guard).
    One run at a time: ConflictError ("已有匹配正在运行") while another is pending or running.
    """
    parameters: dict[str, int | str] = {"top_k": settings.MATCHING_TOP_K, "trigger": trigger}
    if requested_by:
        parameters["by"] = requested_by
    run = match_run_record(parameters=parameters, sweep=not inline)  # ConflictError while a run is active
    if inline:
        return match_run_execute_inline(run=run)
    if settings.MATCHING_LOCAL_EXECUTOR:  # no broker: a thread of this process, the request returns at once
        match_run_submit_local(run=run, execute=lambda r: match_run_execute_inline(run=r))
        return run
    try:
        task_send(match_run_prepare_task, run.pk)
    except ServiceUnavailableError:
        match_run_fail(run_pk=run.pk, reason="任务队列不可用 / the task queue was unavailable")
        raise
    return run

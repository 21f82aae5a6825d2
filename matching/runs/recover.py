"""Recovering runs a dead worker (or a lost broker message) left unfinished: their unfinished chunks, or their
preparation, are sent to the workers again — by a worker that starts, and by the stalled-work sweep every minute
(core.jobs.stalled_work_redispatch, which runs the sweeper matching.apps registers). Chunks are
idempotent and locked, so a copy still queued elsewhere changes nothing; this turns the broker's visibility timeout
into seconds of recovery."""

from __future__ import annotations

from core.jobs import unchanged_for
from matching.models import MatchRun
from matching.runs.tasks import match_chunks_dispatch, match_run_prepare_task


def match_runs_redispatch(*, stalled_for: float | None = None) -> int:
    """Send again what a dead worker (or a lost broker message) may have held: the unfinished chunks (or the
    preparation) of running runs. `stalled_for`: only runs whose status and finished chunks did not change for that
    many seconds (the periodic sweep); None: every unfinished run (a worker starting). Returns the tasks sent.
    """
    sent = 0
    for run in MatchRun.objects.filter(status__in=[MatchRun.Status.PENDING, MatchRun.Status.RUNNING]):
        undone = list(run.chunks.filter(done=False).values_list("number", flat=True))
        state = (run.status, run.chunks_total, len(undone))
        if stalled_for is not None and not unchanged_for(key=f"run:{run.pk}", state=state, seconds=stalled_for):
            continue
        if run.status == MatchRun.Status.PENDING or not run.chunks_total:
            match_run_prepare_task.delay(run.pk)
            sent += 1
            continue
        sent += match_chunks_dispatch(run_pk=run.pk, numbers=undone)
    return sent

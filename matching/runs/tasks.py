"""The Celery tasks of a full run's workflow, on the `matching` queue (settings.CELERY_TASK_ROUTES): prepare the run,
then rank each chunk. The preparation sends the chunk tasks itself; only matching.runs.start (a run starting) and
matching.runs.recover (work a dead worker or a lost message left) send these tasks, and this module imports neither:
tasks import the run's services, never the reverse. The registered names stay `matching.tasks.*` (routes, beat and
messages already queued use them); matching/tasks.py, the module Celery discovers, re-exports both tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import OperationalError

from matching.models import MatchChunk, MatchRun
from matching.runs.guard import match_run_fail

logger = logging.getLogger(__name__)
RETRYABLE = (OperationalError, ConnectionError)


@shared_task(
    name="matching.tasks.match_run_prepare_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    max_retries=5,
)
def match_run_prepare_task(run_pk: int) -> None:
    """Build the index of a run, then queue one task per chunk."""
    run = MatchRun.objects.filter(pk=run_pk).first()
    if run is None or run.status in (MatchRun.Status.DONE, MatchRun.Status.FAILED):
        logger.warning("match run %s missing or finished", run_pk)
        return
    match_run_prepare_dispatch(run=run)


def match_run_prepare_dispatch(*, run: MatchRun) -> int:
    """Prepare a queued run and send one task per chunk (the workers share them); a redelivered preparation only
    re-sends the unfinished chunks. Returns the number of chunk tasks sent."""
    from matching.runs.prepare import match_run_prepare_or_resume  # deferred: numpy, scipy, numba

    return match_chunks_dispatch(run_pk=run.pk, numbers=match_run_prepare_or_resume(run=run))


def match_chunks_dispatch(*, run_pk: int, numbers: Iterable[int]) -> int:
    """Queue the tasks of these chunks; returns how many were sent. Unsharded: one per chunk. Sharded by patents: one
    per chunk and shard not ranked yet, shard by shard (a worker keeps one shard loaded and takes its next task
    from the same shard), and one for each chunk whose shards are all ranked but whose rows are not written (a
    worker died merging it: the task merges again)."""
    numbers = list(numbers)
    run = MatchRun.objects.filter(pk=run_pk).first()
    shards = int(run.counts.get("shards", 1)) if run is not None else 1
    if shards == 1:
        for number in numbers:
            match_chunk_task.delay(run_pk, number)
        return len(numbers)
    ranked = dict(MatchChunk.objects.filter(run_id=run_pk, number__in=numbers).values_list("number", "shards_ranked"))
    todo = [(number, shard) for shard in range(shards) for number in numbers if shard not in ranked.get(number, [])]
    todo += [(number, shards - 1) for number in numbers if len(ranked.get(number, [])) == shards]
    for number, shard in todo:
        match_chunk_task.delay(run_pk, number, shard)
    return len(todo)


@shared_task(
    name="matching.tasks.match_chunk_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    max_retries=3,
)
def match_chunk_task(self, run_pk: int, number: int, shard: int = 0) -> None:
    """Rank one chunk (of a run sharded by patents: against one shard, merging the shards when it is the chunk's
    last); idempotent (it replaces its own rows), so a redelivery after a crash is harmless."""
    from matching.runs.chunks import match_chunk_execute  # deferred: numpy, scipy, numba

    run = MatchRun.objects.filter(pk=run_pk).first()
    if run is None or run.status != MatchRun.Status.RUNNING:
        logger.warning("match run %s missing or not running", run_pk)
        return
    try:
        match_chunk_execute(run=run, number=number, shard=shard)
    except RETRYABLE:
        if self.request.retries >= self.max_retries:
            match_run_fail(run_pk=run_pk, reason=f"chunk #{number}: database unavailable")
        raise
    except (ValueError, MemoryError) as exc:
        match_run_fail(run_pk=run_pk, reason=f"chunk #{number}: {exc}")

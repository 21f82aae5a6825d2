"""Thin Celery tasks of the matching workflow; all on the `matching` queue (settings.CELERY_TASK_ROUTES)."""

import logging

from celery import shared_task
from django.db import OperationalError

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
    from matching.models import MatchRun
    from matching.services import match_run_fail, match_run_prepare

    run = MatchRun.objects.filter(pk=run_pk).first()
    if run is None or run.status in (MatchRun.Status.DONE, MatchRun.Status.FAILED):
        logger.warning("match run %s missing or finished", run_pk)
        return
    if run.chunks_total:  # prepared already (a redelivery): just make sure every chunk is queued
        for direction, number in run.chunks.filter(done=False).values_list("direction", "number"):
            match_chunk_task.delay(run_pk, direction, number)
        return
    try:
        chunks = match_run_prepare(run=run)
    except ValueError as exc:
        match_run_fail(run_pk=run_pk, reason=str(exc))
        return
    for direction, number in chunks:
        match_chunk_task.delay(run_pk, direction, number)


@shared_task(
    name="matching.tasks.match_chunk_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    max_retries=3,
)
def match_chunk_task(self, run_pk: int, direction: str, number: int) -> None:
    """Rank one chunk; idempotent (it replaces its own rows), so a redelivery after a crash is harmless."""
    from matching.models import MatchChunk, MatchRun
    from matching.services import match_chunk_execute, match_run_fail

    run = MatchRun.objects.filter(pk=run_pk).first()
    if run is None or run.status != MatchRun.Status.RUNNING:
        logger.warning("match run %s missing or not running", run_pk)
        return
    if MatchChunk.objects.filter(run=run, direction=direction, number=number, done=True).exists():
        return  # duplicate delivery of a finished chunk
    try:
        match_chunk_execute(run=run, direction=direction, number=number)
    except RETRYABLE:
        if self.request.retries >= self.max_retries:
            match_run_fail(run_pk=run_pk, reason=f"chunk {direction}#{number}: database unavailable")
        raise
    except (ValueError, MemoryError) as exc:
        match_run_fail(run_pk=run_pk, reason=f"chunk {direction}#{number}: {exc}")


@shared_task(name="matching.tasks.match_run_nightly_task")
def match_run_nightly_task() -> None:
    """Celery beat: a fresh full run every night."""
    from matching.services import match_run_create

    match_run_create(parameters={"trigger": "nightly"})


@shared_task(
    name="matching.tasks.match_enterprise_now_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    max_retries=5,
)
def match_enterprise_now_task(enterprise_pk: int) -> None:
    """Re-rank one enterprise against the current index (its needs changed)."""
    from enterprises.models import Enterprise
    from matching.services import enterprise_rank_now

    enterprise = Enterprise.objects.filter(pk=enterprise_pk).first()
    if enterprise is None:
        logger.warning("enterprise %s missing", enterprise_pk)
        return
    enterprise_rank_now(enterprise=enterprise)

"""Thin Celery tasks of the matching workflow; all on the `matching` queue (settings.CELERY_TASK_ROUTES).

Each task loads its run, calls one service and decides about retries. matching.services never imports this module
(it queues these tasks through matching.hooks, registered by MatchingConfig.ready). The services are imported inside
the tasks because they load numpy, scipy and numba: the apps' start-up, which imports this module to register its
tasks, stays light, and only a process that runs a task pays for them.
"""

import logging

from celery import shared_task
from django.db import OperationalError

from core.errors import ConflictError
from enterprises.models import Enterprise
from matching.models import MatchRun

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
    from matching.services import match_run_prepare_dispatch  # deferred: numpy, scipy, numba

    run = MatchRun.objects.filter(pk=run_pk).first()
    if run is None or run.status in (MatchRun.Status.DONE, MatchRun.Status.FAILED):
        logger.warning("match run %s missing or finished", run_pk)
        return
    match_run_prepare_dispatch(run=run)


@shared_task(
    name="matching.tasks.match_chunk_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    max_retries=3,
)
def match_chunk_task(self, run_pk: int, number: int) -> None:
    """Rank one chunk; idempotent (it replaces its own rows), so a redelivery after a crash is harmless."""
    from matching.services import match_chunk_execute, match_run_fail  # deferred: numpy, scipy, numba

    run = MatchRun.objects.filter(pk=run_pk).first()
    if run is None or run.status != MatchRun.Status.RUNNING:
        logger.warning("match run %s missing or not running", run_pk)
        return
    try:
        match_chunk_execute(run=run, number=number)
    except RETRYABLE:
        if self.request.retries >= self.max_retries:
            match_run_fail(run_pk=run_pk, reason=f"chunk #{number}: database unavailable")
        raise
    except (ValueError, MemoryError) as exc:
        match_run_fail(run_pk=run_pk, reason=f"chunk #{number}: {exc}")


@shared_task(name="matching.tasks.match_run_nightly_task")
def match_run_nightly_task() -> None:
    """Celery beat: a fresh full run every night."""
    from matching.services import match_run_start  # deferred: numpy, scipy, numba

    try:
        match_run_start(trigger="nightly")
    except ConflictError:
        logger.warning("nightly match run skipped: a run is still active")


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
    from matching.services import enterprise_rank_now  # deferred: numpy, scipy, numba

    enterprise = Enterprise.objects.filter(pk=enterprise_pk).first()
    if enterprise is None:
        logger.warning("enterprise %s missing", enterprise_pk)
        return
    enterprise_rank_now(enterprise=enterprise)


@shared_task(
    name="matching.tasks.patents_changed_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    max_retries=5,
)
def patents_changed_task(patent_ids: list[int]) -> None:
    """Patents were pooled, withdrawn or edited: re-rank the enterprises whose recommendation lists they now enter."""
    from matching.services import patents_recommend_now  # deferred: numpy, scipy, numba

    patents_recommend_now(patent_ids=patent_ids)

"""The Celery tasks of matching, all on the `matching` queue (settings.CELERY_TASK_ROUTES); the module Celery
discovers. Each task loads its object, calls one service and decides about retries; tasks import services, never the
reverse.

- match_run_nightly_task (beat): a fresh full run every night, started as every run is (matching.runs.start);
- match_enterprise_now_task: an enterprise's needs changed (registered on enterprises.hooks.need_changed);
- patents_changed_task: patents were pooled, withdrawn or edited (registered on patents.hooks.pool_changed);
- alerts_send_task (beat, daily): the saved-search alerts (matching.alerts);
- match_run_prepare_task and match_chunk_task, a run's own workflow, live in matching/runs/tasks.py (re-exported
  here, so importing this module registers every task of matching).

The services are imported inside the tasks: they load numpy, scipy and numba, and the apps' start-up imports this
module (MatchingConfig.ready registers its tasks), so only a process that runs a task pays for them.
"""

import logging

from celery import shared_task

from core.errors import ConflictError
from enterprises.models import Enterprise
from matching.runs.tasks import RETRYABLE, match_chunk_task, match_run_prepare_task

__all__ = [
    "alerts_send_task",
    "match_chunk_task",
    "match_enterprise_now_task",
    "match_run_nightly_task",
    "match_run_prepare_task",
    "patents_changed_task",
]

logger = logging.getLogger(__name__)


@shared_task(name="matching.tasks.match_run_nightly_task")
def match_run_nightly_task() -> None:
    """Celery beat: a fresh full run every night."""
    from matching.runs.start import match_run_start  # deferred: numpy, scipy, numba

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
    from matching.live.rerank import enterprise_rank_now  # deferred: numpy, scipy, numba

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
    from matching.live.rerank import patents_recommend_now  # deferred: numpy, scipy, numba

    patents_recommend_now(patent_ids=patent_ids)


@shared_task(name="matching.tasks.alerts_send_task")
def alerts_send_task() -> dict[str, int]:
    """Celery beat, daily: tell subscribers about newly pooled patents that rank for their saved searches and needs."""
    from matching.alerts import alerts_send  # deferred: numpy, scipy, numba

    report = alerts_send().as_dict()
    logger.info("alerts sent: %s", report)
    return report

"""Infrastructure tasks: a health ping that proves a worker reached the database, imports, the stalled-work sweep."""

import logging
import socket

from celery import shared_task
from django.db import OperationalError

logger = logging.getLogger(__name__)


@shared_task(name="core.stalled_work_redispatch_task")
def stalled_work_redispatch_task() -> dict[str, int]:
    """Celery beat: re-send matching runs and imports that stopped moving (their broker message was lost)."""
    from django.conf import settings

    from core.recovery import stalled_work_redispatch

    return stalled_work_redispatch(seconds=settings.RECOVERY_STALLED_SECONDS)


@shared_task(name="core.import_files_purge_task", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def import_files_purge_task() -> int:
    """Celery beat, daily: delete rejected uploads and rejected-rows files past the retention period."""
    from core.imports import import_files_purge

    return import_files_purge()


@shared_task(name="core.health_ping_task")
def health_ping_task(token: str) -> dict:
    """Echo the token with the worker's host and the number of provinces it can read."""
    from core.models import Province

    return {"token": token, "hostname": socket.gethostname(), "provinces": Province.objects.count()}


@shared_task(
    name="core.import_job_preview_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def import_job_preview_task(job_pk: int) -> None:
    """Validate an uploaded file and record the preview; writes no data."""
    from core.imports import import_context_for, import_job_preview, import_schema_for
    from core.models import ImportJob

    job = ImportJob.objects.filter(pk=job_pk).select_related("institution", "created_by").first()
    if job is None or job.status not in (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING):
        logger.warning("import job %s missing or already validated", job_pk)
        return
    import_job_preview(job=job, schema=import_schema_for(job.kind), context=import_context_for(job))


@shared_task(
    name="core.import_job_run_task",
    acks_late=True,  # idempotent: the write is one transaction and an upsert, so a redelivery is harmless
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def import_job_run_task(job_pk: int) -> None:
    """Write an import job's rows (all-or-nothing or valid rows only)."""
    from core.imports import import_context_for, import_job_execute, import_schema_for
    from core.models import ImportJob

    job = ImportJob.objects.filter(pk=job_pk).select_related("institution", "created_by").first()
    if job is None or job.is_finished:
        logger.warning("import job %s missing or already finished", job_pk)
        return
    import_job_execute(job=job, schema=import_schema_for(job.kind), context=import_context_for(job))

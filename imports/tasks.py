"""Thin tasks of the import framework: preview, write, expiry of unconfirmed previews, purge of old files (preview,
write and purge are registered under "core." names, which messages already queued under them must still find)."""

import logging

from celery import shared_task
from django.db import OperationalError

from imports.kinds import import_schema_for
from imports.models import ImportJob
from imports.selectors import import_context_for
from imports.services import import_files_purge, import_job_execute, import_job_preview, import_jobs_expire

logger = logging.getLogger(__name__)


@shared_task(name="core.import_files_purge_task", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def import_files_purge_task() -> int:
    """Celery beat, daily: delete rejected uploads and rejected-rows files past the retention period."""
    return import_files_purge()


@shared_task(
    name="imports.import_jobs_expire_task", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5
)
def import_jobs_expire_task() -> int:
    """Celery beat, hourly: expire previewed imports not confirmed within IMPORT_CONFIRM_HOURS, delete their uploads."""
    return import_jobs_expire()


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
    job = ImportJob.objects.filter(pk=job_pk).select_related("institution", "created_by").first()
    if job is None or job.status not in (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING):
        logger.warning("import job %s missing or already validated", job_pk)
        return
    import_job_preview(job=job, schema=import_schema_for(kind=job.kind), context=import_context_for(job=job))


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
    job = ImportJob.objects.filter(pk=job_pk).select_related("institution", "created_by").first()
    if job is None or job.is_finished:
        logger.warning("import job %s missing or already finished", job_pk)
        return
    import_job_execute(job=job, schema=import_schema_for(kind=job.kind), context=import_context_for(job=job))

"""The life of an import job: store the upload, preview, write by the job's policy, expire unconfirmed previews, purge
old files (what a job shows — progress, notes, summary — is read in imports.selectors).

The write policy is all-or-nothing, or valid rows only with a file of the rejected ones; the kind of import (its
ImportSchema, see imports.validation) is registered by its app (imports.kinds), so this app imports no kind's app.
Queueing the tasks lives in imports.dispatch (the tasks import this module).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.downloads import unguessable_name
from core.exports import csv_bytes
from imports.models import ImportJob
from imports.selectors import PURGED_STATUSES, import_job_expired_message, progress_cache_key
from imports.validation import ImportContext, ImportSchema, RowError, ValidationReport, import_validate

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 10
STORED_VALUE_CHARS = 200  # a stored error keeps this much of the cell (the rejected-rows file keeps it whole)
STORED_MESSAGE_CHARS = 1000


def _store_report(job: ImportJob, report: ValidationReport) -> None:
    table = report.table
    job.file_format = table.file_format if table else ""
    job.encoding = (table.encoding or "") if table else ""
    job.total_rows = report.total_rows
    job.valid_rows = len(report.valid)
    job.rejected_count = len(report.rejected_lines)
    limit = settings.IMPORT_MAX_STORED_ERRORS
    job.errors = [_stored(e) for e in report.errors[:limit]]
    job.error_total = len(report.errors)
    job.error_counts = dict(Counter(e.field for e in report.errors))
    job.warnings = [_stored(w) for w in report.warnings[:limit]]
    job.unknown_columns = report.unknown_columns
    job.column_mapping = report.mapping
    job.preview_rows = [
        {"line": line, **{k: _preview_value(v) for k, v in values.items()}} for line, values in (table or [])
    ][:PREVIEW_ROWS]


def _stored(error: RowError) -> dict[str, Any]:
    """An error as stored on the job: bounded, whatever the file held (the rejected-rows file has the full cells)."""
    stored = error.as_dict()
    stored["value"] = _clip(error.value, STORED_VALUE_CHARS)
    stored["message"] = _clip(error.message, STORED_MESSAGE_CHARS)
    return stored


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _preview_value(value: str) -> str:
    return value if len(value) <= 120 else value[:119] + "…"


def progress_set(*, job_pk: int, percent: int) -> None:
    """Progress lives in the cache while a write transaction runs (the row itself is not visible until commit)."""
    cache.set(progress_cache_key(job_pk=job_pk), percent, timeout=3600)


def import_job_create(
    *, kind: str, user: Any, content: bytes, filename: str, valid_rows_only: bool = False, institution: Any = None
) -> ImportJob:
    """Store an upload; validation and writing happen in tasks (or in-process without a broker)."""
    job = ImportJob(
        kind=kind,
        created_by=user,
        institution=institution,
        original_name=filename[:255],
        valid_rows_only=valid_rows_only,
    )
    job.file.save(unguessable_name(original=filename), ContentFile(content), save=False)
    job.save()
    cache.delete(progress_cache_key(job_pk=job.pk))  # a reused pk (tests, restored backups) must not inherit progress
    return job


def import_job_preview(*, job: ImportJob, schema: ImportSchema, context: ImportContext) -> ValidationReport:
    """Validate the stored file and record counts, errors and the first rows; writes no data."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)
    with job.file.open("rb") as fh:
        report = import_validate(schema=schema, data=fh, filename=job.original_name, context=context)
    _store_report(job, report)
    job.status = ImportJob.Status.REJECTED if report.fatal else ImportJob.Status.PREVIEWED
    job.message = report.fatal
    job.progress = 0
    job.save()
    return report


def import_job_execute(*, job: ImportJob, schema: ImportSchema, context: ImportContext) -> ImportJob:
    """Validate again (the database may have changed since the preview) and write according to the policy.

    All-or-nothing unless the job asks for valid rows only; every write happens in one transaction, so a
    failure, a killed worker or a lost database connection leaves the database as it was.
    """
    unfinished = [
        ImportJob.Status.PENDING,
        ImportJob.Status.PREVIEWED,
        ImportJob.Status.QUEUED,
        ImportJob.Status.RUNNING,
    ]
    started = ImportJob.objects.filter(pk=job.pk, status__in=unfinished).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), progress=1
    )
    if not started:  # a duplicate delivery of a job that is already finished
        job.refresh_from_db()
        return job
    job.refresh_from_db(fields=["status", "started_at", "progress"])  # the job.save() below must not undo them
    progress_set(job_pk=job.pk, percent=1)
    with job.file.open("rb") as fh:
        report = import_validate(schema=schema, data=fh, filename=job.original_name, context=context)
    _store_report(job, report)
    progress_set(job_pk=job.pk, percent=40)
    if report.fatal or (report.errors and not job.valid_rows_only):
        job.status = ImportJob.Status.REJECTED
        job.message = report.fatal or (
            f"发现 {len(report.rejected_lines)} 行有错误，未写入任何数据 / "
            f"{len(report.rejected_lines)} rows have errors; nothing was written"
        )
        job.created_count = job.updated_count = job.unchanged_count = 0
    else:

        def on_progress(done: int, total: int) -> None:
            progress_set(job_pk=job.pk, percent=40 + int(59 * done / max(total, 1)))

        with transaction.atomic():
            # The job row is locked for the whole write: a duplicate delivery running at the same time waits here,
            # then finds the job done and leaves; if the first copy died, its rollback released the lock.
            if ImportJob.objects.select_for_update().get(pk=job.pk).status == ImportJob.Status.DONE:
                job.refresh_from_db()
                return job
            counts = schema.write([row for _, row in report.valid], context, on_progress)
            job.created_count, job.updated_count, job.unchanged_count = counts.created, counts.updated, counts.unchanged
            job.status = ImportJob.Status.DONE
            job.progress = 100
            job.message = ""
            _finish(job, report)
        return job
    _finish(job, report)
    return job


def _finish(job: ImportJob, report: ValidationReport) -> None:
    if report.errors and report.table is not None:
        name = unguessable_name(original="x.csv", prefix=f"rejected-{job.pk}-")
        job.rejected_file.save(name, ContentFile(rejected_rows_csv(report)), save=False)
    job.finished_at = timezone.now()
    job.save()


def rejected_rows_csv(report: ValidationReport) -> bytes:
    """The rejected rows with their original columns plus an error column, ready to fix and upload again."""
    assert report.table is not None
    by_line: dict[int, list[str]] = {}
    for error in report.errors:
        by_line.setdefault(error.line, []).append(error.message)
    headers = [*report.table.headers, "错误 / errors"]
    rows = (
        [*(values.get(h, "") for h in report.table.headers), "；".join(by_line[line])]
        for line, values in report.table
        if line in by_line
    )
    return csv_bytes(headers=headers, rows=rows)


def import_job_expire(*, job: ImportJob, now: datetime | None = None) -> bool:
    """Expire one previewed job (nothing was written) and delete its upload. False, with `job` refreshed, when it is
    no longer waiting for confirmation (confirmed or expired meanwhile: the status update is conditional)."""
    now = now or timezone.now()
    expired = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.EXPIRED,
        message=import_job_expired_message(),
        finished_at=now,
        files_removed_at=now,
        file="",
    )
    if expired and job.file:
        job.file.delete(save=False)  # after the update: a confirmation racing with it finds the job expired
    job.refresh_from_db()
    return bool(expired)


def import_jobs_expire(*, now: datetime | None = None) -> int:
    """Expire every previewed job not confirmed within IMPORT_CONFIRM_HOURS of its upload and delete its upload;
    returns how many expired (beat, hourly; `manage.py purge_import_files`)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.IMPORT_CONFIRM_HOURS)
    due = ImportJob.objects.filter(status=ImportJob.Status.PREVIEWED, created_at__lte=cutoff).order_by("pk")
    return sum(import_job_expire(job=job, now=now) for job in due)


def import_files_purge(*, now: datetime | None = None) -> int:
    """Delete, once the retention period (IMPORT_FILE_RETENTION_DAYS after the job finished) is over, the upload of
    every rejected or failed job and every rejected-rows file (also those of jobs that wrote their valid rows). The
    job rows stay with their figures and record when the files went. Returns the number of jobs purged."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    due = ImportJob.objects.filter(finished_at__lt=cutoff, files_removed_at__isnull=True).filter(
        Q(status__in=PURGED_STATUSES) | ~Q(rejected_file="")
    )
    purged = 0
    for job in due.iterator():
        changes: dict[str, Any] = {"rejected_file": "", "files_removed_at": now}
        if job.rejected_file:
            job.rejected_file.delete(save=False)
        if job.status in PURGED_STATUSES:
            if job.file:
                job.file.delete(save=False)
            changes["file"] = ""
        ImportJob.objects.filter(pk=job.pk).update(**changes)
        purged += 1
    return purged

"""Reads of import jobs: the scoped queryset (the rule of accounts.access, applied to ImportJob), the lists built on
it, and what one job shows — its progress, deadline, notes and summary (the writes are in imports.services)."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import is_officer, is_platform_admin
from core.formatting import bilingual
from imports.models import ImportJob
from imports.validation import ImportContext


def import_jobs_visible_to(*, user: Any) -> QuerySet[ImportJob]:
    """Import jobs `user` (a User or an AnonymousUser) may see: platform admins all, officers their institution's,
    others their own uploads."""
    qs = ImportJob.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if is_platform_admin(user):
        return qs
    if is_officer(user):
        return qs.filter(institution_id=user.institution_id)
    return qs.filter(created_by=user)


def import_job_list(*, user: Any, kind: str | None = None) -> QuerySet[ImportJob]:
    """Import jobs `user` may see (`import_jobs_visible_to`), newest first."""
    qs = import_jobs_visible_to(user=user).select_related("institution", "created_by").order_by("-created_at")
    return qs.filter(kind=kind) if kind is not None else qs


def import_job_get(*, user: Any, pk: int, kind: str | None = None) -> ImportJob | None:
    """One import job if `user` may see it, else None (callers answer 404)."""
    return import_job_list(user=user, kind=kind).filter(pk=pk).first()


# --- one job: its context, progress, deadlines, notes and summary ---------------------------------------------------

ERRORS_PAGE_SIZE = 100  # errors per page of a job's summary (?offset=)
WARNINGS_SHOWN = 50
# jobs whose upload the retention period deletes with their rejected-rows file (imports.services.import_files_purge)
PURGED_STATUSES = (ImportJob.Status.REJECTED, ImportJob.Status.FAILED)


def import_context_for(*, job: ImportJob) -> ImportContext:
    """What a kind's schema reads and writes on behalf of: the uploader and the institution of the job."""
    return ImportContext(user=job.created_by, institution=job.institution)


def progress_cache_key(*, job_pk: int) -> str:
    """Where a running job's live progress is kept (imports.services.progress_set writes it)."""
    return f"import-progress:{job_pk}"


def import_job_progress(*, job: ImportJob) -> int:
    """The job's progress in percent: the live value while it runs, else the stored one."""
    if job.is_finished:
        return 100 if job.status == ImportJob.Status.DONE else job.progress
    live = cache.get(progress_cache_key(job_pk=job.pk))
    return max(job.progress, live) if live is not None else job.progress


def import_job_confirm_deadline(*, job: ImportJob) -> datetime:
    """When a previewed job expires unless it is confirmed: IMPORT_CONFIRM_HOURS after its upload."""
    return job.created_at + timedelta(hours=settings.IMPORT_CONFIRM_HOURS)


def import_job_expired_message() -> str:
    """What an expired job says (its summary, and the refusal of a late confirmation)."""
    hours = settings.IMPORT_CONFIRM_HOURS
    return (
        f"该导入超过 {hours} 小时未确认，已自动作废，未写入任何数据；请重新上传文件 / "
        f"this import was not confirmed within {hours} hours and has expired; nothing was written — "
        "upload the file again"
    )


def import_job_error_total(*, job: ImportJob) -> int:
    """Every error the last validation found (jobs stored before the count existed: the stored ones)."""
    return max(job.error_total, len(job.errors))


def import_job_errors_note(*, job: ImportJob) -> str:
    """ "显示前 N 条，共 M 条 / showing first N of M" when fewer errors are kept than were found, else ""."""
    stored, total = len(job.errors), import_job_error_total(job=job)
    if total <= stored:
        return ""
    return f"显示前 {stored:,} 条，共 {total:,} 条 / showing first {stored:,} of {total:,}"


def import_job_files_note(*, job: ImportJob) -> str:
    """What the retention period removed, or ""."""
    if job.files_removed_at is None:
        return ""
    day = timezone.localtime(job.files_removed_at).date().isoformat()
    if job.status == ImportJob.Status.EXPIRED:
        return f"上传的文件已于 {day} 随导入作废删除 / the uploaded file was deleted on {day} when the import expired"
    days = settings.IMPORT_FILE_RETENTION_DAYS
    if job.status in PURGED_STATUSES:
        what_zh, what_en = "上传的文件及其错误行文件", "the uploaded file and its rejected-rows file were"
    else:
        what_zh, what_en = "错误行文件", "the rejected-rows file was"
    return (
        f"{what_zh}已于 {day} 按 {days} 天的保留期限删除，统计数字保留 / "
        f"{what_en} deleted on {day} after the {days}-day retention period; the figures are kept"
    )


def import_job_summary(*, job: ImportJob, errors_offset: int = 0) -> dict[str, Any]:
    """The figures every front end shows (wizard, API, command): bounded, with one page of errors from the offset.

    Messages are stored Chinese first; they are shown in the reader's order (English first in the English UI).
    """
    offset = max(errors_offset, 0)
    page = job.errors[offset : offset + ERRORS_PAGE_SIZE]
    next_offset = offset + ERRORS_PAGE_SIZE if offset + ERRORS_PAGE_SIZE < len(job.errors) else None
    return {
        "pk": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": import_job_progress(job=job),
        "file": job.original_name,
        "file_format": job.file_format,
        "encoding": job.encoding,
        "valid_rows_only": job.valid_rows_only,
        "total_rows": job.total_rows,
        "valid_rows": job.valid_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "rejected": job.rejected_count,
        "unknown_columns": job.unknown_columns,
        "errors": [_shown(e) for e in page],
        "error_count": import_job_error_total(job=job),
        "errors_stored": len(job.errors),
        "errors_offset": offset,
        "errors_next_offset": next_offset,
        "errors_note": bilingual(import_job_errors_note(job=job)),
        "error_counts": job.error_counts,
        "warnings": [_shown(w) for w in job.warnings[:WARNINGS_SHOWN]],
        "warning_count": len(job.warnings),
        "message": bilingual(job.message),
        "has_rejected_file": bool(job.rejected_file),
        "files_removed": job.files_removed_at is not None,
        "files_note": bilingual(import_job_files_note(job=job)),
    }


def _shown(error: dict[str, Any]) -> dict[str, Any]:
    """A stored error or warning with its message in the reader's order."""
    return {**error, "message": bilingual(error.get("message", ""))}

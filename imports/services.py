"""Import machinery shared by the patent inventory and the enterprise list.

Validate everything, write once (STYLE §6): a kind-specific ImportSchema turns each raw row into clean
field values or row errors; this module reads the file, maps headers, collects errors, applies the
write policy (all-or-nothing, or valid rows only with a file of the rejected ones) and records the job.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.headers import map_headers
from common.tabular import UPLOAD_HEAD_BYTES, Table, TableError, check_upload, read_table
from core.downloads import unguessable_name
from core.exports import csv_bytes
from imports.models import ImportJob

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 10
ERRORS_PAGE_SIZE = 100  # errors per page of a job's summary (?offset=)
WARNINGS_SHOWN = 50
STORED_VALUE_CHARS = 200  # a stored error keeps this much of the cell (the rejected-rows file keeps it whole)
STORED_MESSAGE_CHARS = 1000


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one row: line as the user sees it in Excel, the field, the raw value, a bilingual message."""

    line: int
    field: str
    value: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def row_error(
    labels: Mapping[str, tuple[str, str]], line: int, name: str, value: str, code: str, zh: str, en: str
) -> RowError:
    """A row error whose message names the row and the column in both languages."""
    label_zh, label_en = labels[name]
    return RowError(line, name, value, code, f"第{line}行 {label_zh}: {zh} / Row {line}, {label_en}: {en}")


def row_issue(labels: Mapping[str, tuple[str, str]], line: int, name: str, value: str, issue: Any) -> RowError:
    """A validator's Issue as a row error; warnings get the 'warn:' code prefix so they never reject the row."""
    label_zh, label_en = labels[name]
    code = issue.code if issue.is_error else f"warn:{issue.code}"
    return RowError(line, name, value, code, issue.format(row=line, field_zh=label_zh, field_en=label_en))


@dataclass
class ImportContext:
    """Who imports, for whom, and when (so "today" can be fixed in tests)."""

    user: Any
    institution: Any = None
    today: Any = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ValidationReport:
    """What validating a file found; nothing has been written yet."""

    table: Table | None
    valid: list[tuple[int, dict[str, Any]]]
    errors: list[RowError]
    warnings: list[RowError]
    unknown_columns: list[str]
    mapping: dict[str, str]
    fatal: str = ""  # the file as a whole could not be read (bad format, missing columns)

    @property
    def total_rows(self) -> int:
        return len(self.table) if self.table else 0

    @property
    def rejected_lines(self) -> set[int]:
        return {e.line for e in self.errors if e.line > 0}


class ImportSchema(Protocol):
    """What a kind of import must provide."""

    kind: str

    # read-only members: a schema may hold them in narrower types (a dict of lists, a tuple)
    @property
    def aliases(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def required(self) -> Sequence[str]: ...

    @property
    def labels(self) -> Mapping[str, tuple[str, str]]: ...  # field -> (中文, English)

    def validate_row(
        self, line: int, raw: dict[str, str], context: ImportContext
    ) -> tuple[dict | None, list[RowError]]:
        """Clean one row (raw is keyed by field name) or report why not; warnings have code prefix 'warn:'."""

    def check_rows(self, rows: list[tuple[int, dict]], context: ImportContext) -> list[RowError]:
        """Checks across rows and against the database (duplicates in the file, conflicts with other owners)."""

    def write(self, rows: list[dict], context: ImportContext, progress: Callable[[int, int], None]) -> WriteCounts:
        """Upsert clean rows by their key; unchanged rows must not be touched."""


def upload_check(*, upload: Any) -> None:
    """The door check of every upload (web form and API): size, extension and first bytes; raises TableError.

    Reads only the first bytes and rewinds, so nothing is parsed in the request and nothing is stored on refusal.
    """
    size = getattr(upload, "size", None)
    limit = settings.UPLOAD_MAX_BYTES
    if isinstance(size, int) and size > limit:
        raise TableError(
            "file_too_large",
            f"文件大小 {size / 1048576:.1f} MB 超过上限 {limit / 1048576:.1f} MB，请拆分后分批上传 / "
            f"the file is {size / 1048576:.1f} MB, above the {limit / 1048576:.1f} MB limit; split it",
        )
    head = upload.read(UPLOAD_HEAD_BYTES)
    upload.seek(0)
    check_upload(filename=upload.name or "", head=head)


def table_limits() -> dict[str, int]:
    """The caps read_table applies to every import (settings, see README)."""
    return {
        "max_bytes": settings.UPLOAD_MAX_BYTES,
        "max_columns": settings.IMPORT_MAX_COLUMNS,
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_cells": settings.IMPORT_MAX_CELLS,
        "max_cell_chars": settings.IMPORT_MAX_CELL_CHARS,
        "max_shared_strings": settings.IMPORT_MAX_SHARED_STRINGS,
        "max_xml_part_bytes": settings.IMPORT_MAX_XML_PART_BYTES,
    }


def import_validate(*, schema: ImportSchema, data: Any, filename: str, context: ImportContext) -> ValidationReport:
    """Read and validate a whole file without writing anything."""
    try:
        table = read_table(data=data, filename=filename, **table_limits())
    except TableError as exc:
        return ValidationReport(None, [], [RowError(0, "", "", exc.code, exc.message)], [], [], {}, fatal=exc.message)
    headers = map_headers(table.headers, schema.aliases, required=schema.required)
    if headers.missing_required:
        missing = "、".join(schema.labels[f][0] for f in headers.missing_required)
        missing_en = ", ".join(schema.labels[f][1] for f in headers.missing_required)
        message = f"缺少必需的列：{missing} / Missing required columns: {missing_en}"
        error = RowError(1, "", "", "missing_columns", message)
        return ValidationReport(table, [], [error], [], headers.unknown_columns, headers.mapping, fatal=message)
    if context.today is None:
        context.today = timezone.localdate()  # once per file, not per row
    valid: list[tuple[int, dict]] = []
    errors: list[RowError] = []
    warnings = [RowError(0, "", "", w.code, w.message) for w in table.warnings]
    for line, values in table:
        raw = {name: values.get(column, "") for name, column in headers.mapping.items()}
        cleaned, problems = schema.validate_row(line, raw, context)
        row_errors = [p for p in problems if not p.code.startswith("warn:")]
        warnings.extend(p for p in problems if p.code.startswith("warn:"))
        if row_errors or cleaned is None:
            errors.extend(row_errors)
        else:
            valid.append((line, cleaned))
    cross = schema.check_rows(valid, context)
    if cross:
        errors.extend(cross)
        bad = {e.line for e in cross}
        valid = [(line, row) for line, row in valid if line not in bad]
    errors.sort(key=lambda e: (e.line, e.field))
    return ValidationReport(table, valid, errors, warnings, headers.unknown_columns, headers.mapping)


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


def progress_set(job_pk: int, percent: int) -> None:
    """Progress lives in the cache while a write transaction runs (the row itself is not visible until commit)."""
    cache.set(f"import-progress:{job_pk}", percent, timeout=3600)


def progress_get(job: ImportJob) -> int:
    """The job's progress in percent: the live value while it runs, else the stored one."""
    if job.is_finished:
        return 100 if job.status == ImportJob.Status.DONE else job.progress
    live = cache.get(f"import-progress:{job.pk}")
    return max(job.progress, live) if live is not None else job.progress


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
    cache.delete(f"import-progress:{job.pk}")  # a reused pk (tests, restored backups) must not inherit progress
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
    progress_set(job.pk, 1)
    with job.file.open("rb") as fh:
        report = import_validate(schema=schema, data=fh, filename=job.original_name, context=context)
    _store_report(job, report)
    progress_set(job.pk, 40)
    if report.fatal or (report.errors and not job.valid_rows_only):
        job.status = ImportJob.Status.REJECTED
        job.message = report.fatal or (
            f"发现 {len(report.rejected_lines)} 行有错误，未写入任何数据 / "
            f"{len(report.rejected_lines)} rows have errors; nothing was written"
        )
        job.created_count = job.updated_count = job.unchanged_count = 0
    else:

        def on_progress(done: int, total: int) -> None:
            progress_set(job.pk, 40 + int(59 * done / max(total, 1)))

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


SCHEMAS: dict[str, str] = {
    ImportJob.Kind.PATENTS: "patents.importers.PatentImportSchema",
    ImportJob.Kind.ENTERPRISES: "enterprises.importers.EnterpriseImportSchema",
}


def import_schema_for(kind: str) -> ImportSchema:
    """The schema of a kind of import (resolved lazily: core does not import the apps at start-up)."""
    from django.utils.module_loading import import_string

    return import_string(SCHEMAS[kind])()


def import_context_for(job: ImportJob) -> ImportContext:
    return ImportContext(user=job.created_by, institution=job.institution)


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Queue the write of a previewed job; without a broker it runs in-process before this returns."""
    from imports.tasks import import_job_run_task

    if job.status not in (ImportJob.Status.PREVIEWED, ImportJob.Status.PENDING):
        from core.errors import ConflictError

        raise ConflictError(
            f"该导入任务当前状态为“{job.get_status_display()}”，不能再次开始 / the job cannot be started again"
        )
    from core.errors import ServiceUnavailableError

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    try:
        task_send(import_job_run_task, job.pk)
    except ServiceUnavailableError:  # "try again" must be possible: back to where it was, not queued for a sweep
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(status=job.status)
        raise
    job.refresh_from_db()
    return job


def import_jobs_redispatch(*, stalled_for: float | None = None) -> int:
    """Send again the import jobs a dead worker (or a lost broker message) may have held: their write rolled back
    and the tasks are idempotent. `stalled_for`: only the jobs whose status and progress did not change for that
    many seconds (the periodic sweep); None: every unfinished one (a worker starting)."""
    from core.jobs import unchanged_for
    from imports.tasks import import_job_preview_task, import_job_run_task

    sent = 0
    unfinished = (
        ImportJob.Status.PENDING,
        ImportJob.Status.VALIDATING,
        ImportJob.Status.QUEUED,
        ImportJob.Status.RUNNING,
    )
    for pk, status, progress in ImportJob.objects.filter(status__in=unfinished).values_list("pk", "status", "progress"):
        if stalled_for is not None and not unchanged_for(
            key=f"import:{pk}", state=(status, progress), seconds=stalled_for
        ):
            continue
        if status in (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING):
            if stalled_for is None:  # a preview is only re-sent by the sweep: a fresh upload's is still on its way
                continue
            import_job_preview_task.delay(pk)
        else:
            import_job_run_task.delay(pk)
        sent += 1
    return sent


def task_send(task: Any, *args: Any, critical: bool = True) -> None:
    """Queue a task after the surrounding transaction commits; a broker that is down becomes a 'try again'.

    `critical=False` is for follow-up work that a later run redoes anyway (re-ranking): it is logged, not raised.
    """
    from kombu.exceptions import OperationalError as BrokerError

    from core.errors import ServiceUnavailableError

    def send() -> None:
        try:
            task.delay(*args)
        except (BrokerError, ConnectionError, OSError) as exc:
            logger.warning("broker unavailable for %s: %s", task.name, exc)
            if not critical:
                return
            raise ServiceUnavailableError(
                "后台任务服务暂时不可用，请稍后重试 / the task queue is unavailable, try again"
            ) from exc

    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(send, robust=False)
    else:
        send()


def import_job_error_total(job: ImportJob) -> int:
    """Every error the last validation found (jobs stored before the count existed: the stored ones)."""
    return max(job.error_total, len(job.errors))


def import_job_errors_note(job: ImportJob) -> str:
    """ "显示前 N 条，共 M 条 / showing first N of M" when fewer errors are kept than were found, else ""."""
    stored, total = len(job.errors), import_job_error_total(job)
    if total <= stored:
        return ""
    return f"显示前 {stored:,} 条，共 {total:,} 条 / showing first {stored:,} of {total:,}"


def import_job_files_note(job: ImportJob) -> str:
    """What the retention period removed, or ""."""
    if job.files_removed_at is None:
        return ""
    day = timezone.localtime(job.files_removed_at).date().isoformat()
    days = settings.IMPORT_FILE_RETENTION_DAYS
    if job.status in PURGED_STATUSES:
        what_zh, what_en = "上传的文件及其错误行文件", "the uploaded file and its rejected-rows file were"
    else:
        what_zh, what_en = "错误行文件", "the rejected-rows file was"
    return (
        f"{what_zh}已于 {day} 按 {days} 天的保留期限删除，统计数字保留 / "
        f"{what_en} deleted on {day} after the {days}-day retention period; the figures are kept"
    )


def import_job_summary(job: ImportJob, *, errors_offset: int = 0) -> dict[str, Any]:
    """The figures every front end shows (wizard, API, command): bounded, with one page of errors from the offset."""
    offset = max(errors_offset, 0)
    page = job.errors[offset : offset + ERRORS_PAGE_SIZE]
    next_offset = offset + ERRORS_PAGE_SIZE if offset + ERRORS_PAGE_SIZE < len(job.errors) else None
    return {
        "pk": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": progress_get(job),
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
        "errors": page,
        "error_count": import_job_error_total(job),
        "errors_stored": len(job.errors),
        "errors_offset": offset,
        "errors_next_offset": next_offset,
        "errors_note": import_job_errors_note(job),
        "error_counts": job.error_counts,
        "warnings": job.warnings[:WARNINGS_SHOWN],
        "warning_count": len(job.warnings),
        "message": job.message,
        "has_rejected_file": bool(job.rejected_file),
        "files_removed": job.files_removed_at is not None,
        "files_note": import_job_files_note(job),
    }


PURGED_STATUSES = (ImportJob.Status.REJECTED, ImportJob.Status.FAILED)


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

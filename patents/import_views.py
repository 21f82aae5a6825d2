"""The officer's inventory upload wizard: upload → preview → confirm → progress → summary, the import records and
the Excel template (thin: imports.services and the selectors do the work)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.access import is_reviewer, require_access
from core.downloads import protected_file_response
from core.errors import ApplicationError
from core.http import AuthedHttpRequest
from core.params import page_param, query_without, whole_param
from imports.dispatch import import_job_preview_queue, import_job_start
from imports.models import ImportJob
from imports.selectors import (
    import_job_confirm_deadline,
    import_job_error_total,
    import_job_errors_note,
    import_job_files_note,
    import_job_get,
    import_job_list,
    import_job_summary,
)
from imports.services import import_job_create
from patents.forms import (
    ImportUploadForm,
)
from patents.template_xlsx import FILENAME as TEMPLATE_FILENAME
from patents.template_xlsx import patent_template_workbook

PAGE_SIZE = 25
ERRORS_PAGE_SIZE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the upload wizard -------------------------------------------------------------------------------------------


def _patent_job(request: AuthedHttpRequest, pk: int) -> ImportJob:
    """A patent import job of the officer's institution; 404 for anyone else's (never reveal it exists)."""
    job = import_job_get(user=request.user, pk=pk, kind=ImportJob.Kind.PATENTS)
    if job is None:
        raise Http404
    return job


@require_access(is_reviewer)
def import_upload_page(request: AuthedHttpRequest) -> HttpResponse:
    """Step 1: the file and the write policy; stores the upload and validates it (nothing is written yet)."""
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_job_create(
            kind=ImportJob.Kind.PATENTS,
            user=request.user,
            content=upload.read(),
            filename=upload.name,
            valid_rows_only=form.cleaned_data["valid_rows_only"],
            institution=request.user.institution,
        )
        try:
            import_job_preview_queue(job=job)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("patents:import_job", pk=job.pk)
    return render(request, "patents/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@require_access(is_reviewer)
def import_job_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Steps 2–4 of one job: the preview before confirming, then its progress and summary."""
    job = _patent_job(request, pk)
    summary = import_job_summary(job=job)
    errors = Paginator(job.errors, ERRORS_PAGE_SIZE).get_page(page_param(request.GET, "errors_page"))
    context = {
        "job": job,
        "summary": summary,
        "errors": errors,
        "errors_query": query_without(request, "errors_page"),
        "error_total": import_job_error_total(job=job),
        "errors_note": import_job_errors_note(job=job),
        "files_note": import_job_files_note(job=job),
        "is_finished": job.is_finished,
    }
    if job.status == ImportJob.Status.PREVIEWED:
        context.update(_preview_table(job))
        context.update(
            confirm_hours=settings.IMPORT_CONFIRM_HOURS, confirm_deadline=import_job_confirm_deadline(job=job)
        )
        return render(request, "patents/import_preview.html", context)
    return render(request, "patents/import_result.html", context)


def _preview_table(job: ImportJob) -> dict[str, Any]:
    rows = job.preview_rows
    headers = [name for name in (rows[0] if rows else {}) if name != "line"]
    fields_by_header = {header: field for field, header in job.column_mapping.items()}
    return {
        "preview_headers": [(header, fields_by_header.get(header, "")) for header in headers],
        "preview_rows": [(row.get("line"), [row.get(header, "") for header in headers]) for row in rows],
    }


@require_access(is_reviewer)
@require_POST
def import_job_start_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Step 3: confirm a previewed job; the write runs in a task (in-process without a broker)."""
    job = _patent_job(request, pk)
    try:
        import_job_start(job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("patents:import_job", pk=job.pk)


@require_access(is_reviewer)
def import_job_status(request: AuthedHttpRequest, pk: int) -> JsonResponse:
    """The job's figures and progress, polled by the progress page; one page of errors from `?offset=`."""
    offset = whole_param(request.GET, "offset", minimum=0, maximum=10**9, default=0)  # as the API's (400 if not)
    return JsonResponse(import_job_summary(job=_patent_job(request, pk), errors_offset=offset))


@require_access(is_reviewer)
def import_job_rejected_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The rejected rows with an error column (CSV), for the institution that uploaded them only."""
    job = _patent_job(request, pk)
    if not job.rejected_file:
        raise Http404
    filename = f"{Path(job.original_name).stem or 'import'}-rejected-rows.csv"
    return protected_file_response(file=job.rejected_file, filename=filename)


@require_access(is_reviewer)
def import_job_list_page(request: AuthedHttpRequest) -> HttpResponse:
    """导入记录: the institution's patent imports, newest first."""
    jobs = import_job_list(user=request.user, kind=ImportJob.Kind.PATENTS).defer(
        "errors", "warnings", "preview_rows", "column_mapping"
    )
    page = Paginator(jobs, PAGE_SIZE).get_page(page_param(request.GET))
    return render(request, "patents/import_jobs.html", {"page": page, "query": query_without(request, "page")})


@require_access(is_reviewer)
def import_template_download(request: HttpRequest) -> HttpResponse:
    """The Excel template (headers the importer reads, one example row, instructions)."""
    return HttpResponse(
        patent_template_workbook(),
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, TEMPLATE_FILENAME)},
    )

"""Patent pages: the list every role may browse (scoped) and a patent's page; for tech-transfer officers the
inventory upload wizard (upload → preview → confirm → progress → summary), the import records and the
inventory management (filters, bulk pooling, a patent's edit / terms / history page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_officer, is_signed_in, require_access
from core.downloads import protected_file_response
from core.errors import ApplicationError
from core.http import AuthedHttpRequest
from core.params import page_param, whole_param
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
from patents.filters import PatentFilterSet
from patents.forms import (
    BulkActionForm,
    ImportUploadForm,
    InstitutionStockForm,
    PatentEditForm,
    PatentInventoryFilterSet,
    PatentTermsForm,
)
from patents.institutions import institution_stock_set
from patents.models import Patent
from patents.selectors import institution_inventory_rate, patent_counts_for_institution, patent_get, patent_list
from patents.services import (
    EDITABLE_FIELDS,
    patent_terms_set,
    patent_update,
    patents_modes_set,
    patents_pool,
    patents_unpool,
)
from patents.template_xlsx import FILENAME as TEMPLATE_FILENAME
from patents.template_xlsx import patent_template_workbook

PAGE_SIZE = 25
ERRORS_PAGE_SIZE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_access(is_signed_in)
def patent_list_page(request: AuthedHttpRequest) -> HttpResponse:
    """Filterable, paginated list of the patents the user may see."""
    filterset = PatentFilterSet(request.GET, queryset=patent_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(page_param(request.GET))
    context = {"filter": filterset, "page": page, "query": _query_without(request, "page")}
    return render(request, "patents/patent_list.html", context)


@require_access(is_signed_in)
def patent_detail_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A patent's page; 404 when the user may not see it."""
    patent = patent_get(user=request.user, pk=pk)
    if patent is None:
        raise Http404
    can_see_internal = is_officer(request.user) and patent.institution_id == request.user.institution_id
    return render(request, "patents/patent_detail.html", {"patent": patent, "can_see_internal": can_see_internal})


# --- the upload wizard -------------------------------------------------------------------------------------------


def _patent_job(request: AuthedHttpRequest, pk: int) -> ImportJob:
    """A patent import job of the officer's institution; 404 for anyone else's (never reveal it exists)."""
    job = import_job_get(user=request.user, pk=pk, kind=ImportJob.Kind.PATENTS)
    if job is None:
        raise Http404
    return job


@require_access(is_officer)
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


@require_access(is_officer)
def import_job_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Steps 2–4 of one job: the preview before confirming, then its progress and summary."""
    job = _patent_job(request, pk)
    summary = import_job_summary(job=job)
    errors = Paginator(job.errors, ERRORS_PAGE_SIZE).get_page(page_param(request.GET, "errors_page"))
    context = {
        "job": job,
        "summary": summary,
        "errors": errors,
        "errors_query": _query_without(request, "errors_page"),
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


@require_access(is_officer)
@require_POST
def import_job_start_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Step 3: confirm a previewed job; the write runs in a task (in-process without a broker)."""
    job = _patent_job(request, pk)
    try:
        import_job_start(job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("patents:import_job", pk=job.pk)


@require_access(is_officer)
def import_job_status(request: AuthedHttpRequest, pk: int) -> JsonResponse:
    """The job's figures and progress, polled by the progress page; one page of errors from `?offset=`."""
    offset = whole_param(request.GET, "offset", minimum=0, maximum=10**9, default=0)  # as the API's (400 if not)
    return JsonResponse(import_job_summary(job=_patent_job(request, pk), errors_offset=offset))


@require_access(is_officer)
def import_job_rejected_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The rejected rows with an error column (CSV), for the institution that uploaded them only."""
    job = _patent_job(request, pk)
    if not job.rejected_file:
        raise Http404
    filename = f"{Path(job.original_name).stem or 'import'}-rejected-rows.csv"
    return protected_file_response(file=job.rejected_file, filename=filename)


@require_access(is_officer)
def import_job_list_page(request: AuthedHttpRequest) -> HttpResponse:
    """导入记录: the institution's patent imports, newest first."""
    jobs = import_job_list(user=request.user, kind=ImportJob.Kind.PATENTS).defer(
        "errors", "warnings", "preview_rows", "column_mapping"
    )
    page = Paginator(jobs, PAGE_SIZE).get_page(page_param(request.GET))
    return render(request, "patents/import_jobs.html", {"page": page, "query": _query_without(request, "page")})


@require_access(is_officer)
def import_template_download(request: HttpRequest) -> HttpResponse:
    """The Excel template (headers the importer reads, one example row, instructions)."""
    return HttpResponse(
        patent_template_workbook(),
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, TEMPLATE_FILENAME)},
    )


# --- inventory management ----------------------------------------------------------------------------------------


@require_access(is_officer)
def inventory_page(request: AuthedHttpRequest) -> HttpResponse:
    """The institution's patents: filters, search, sortable columns, 25 a page, bulk actions."""
    filterset = PatentInventoryFilterSet(request.GET, queryset=patent_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(page_param(request.GET))
    assert request.user.institution is not None  # require_access(is_officer) checked institution_id
    context = {
        "filter": filterset,
        "page": page,
        "query": _query_without(request, "page"),
        "bulk_form": BulkActionForm(patents=Patent.objects.none()),
        "counts": patent_counts_for_institution(institution=request.user.institution),
    }
    return render(request, "patents/inventory.html", context)


@require_access(is_officer)
def inventory_stock_page(request: AuthedHttpRequest) -> HttpResponse:
    """The institution's valid patents held (the 盘点率's denominator): shown, and set by its officers."""
    institution = request.user.institution
    assert institution is not None  # require_access(is_officer) checked institution_id
    initial = {"held": institution.patents_held, "as_of": institution.patents_held_on or timezone.localdate()}
    form = InstitutionStockForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            institution_stock_set(
                user=request.user,
                institution=institution,
                held=form.cleaned_data["held"],
                as_of=form.cleaned_data["as_of"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存有效专利存量。"))
            return redirect("patents:inventory_stock")
    context = {"form": form, "institution": institution, "rate": institution_inventory_rate(institution=institution)}
    return render(request, "patents/inventory_stock.html", context, status=400 if form.errors else 200)


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    # a path on this site: redirect() would read "abc" as a URL name and fail (a 500)
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse("patents:inventory")


def _error_messages(exc: ValidationError | ApplicationError) -> list[str]:
    return [exc.message] if isinstance(exc, ApplicationError) else list(exc.messages)


@require_access(is_officer)
@require_POST
def inventory_bulk(request: AuthedHttpRequest) -> HttpResponse:
    """Pool, unpool (with a reason) or set the transfer modes of the selected patents; all or none change."""
    form = BulkActionForm(request.POST, patents=patent_list(user=request.user))
    target = _next_url(request, request.POST.get("next"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))  # an ErrorList yields its messages
        return redirect(target)
    data = form.cleaned_data
    try:
        if data["action"] == BulkActionForm.POOL:
            count = patents_pool(patents=data["patents"], user=request.user)
            messages.success(request, _("已入库 %(count)d 件专利") % {"count": count})
        elif data["action"] == BulkActionForm.UNPOOL:
            count = patents_unpool(patents=data["patents"], user=request.user, reason=data["reason"])
            messages.success(request, _("已移出 %(count)d 件专利（未入库）") % {"count": count})
        else:
            count = patents_modes_set(patents=data["patents"], user=request.user, transfer_modes=data["transfer_modes"])
            messages.success(request, _("已为 %(count)d 件专利设置转化方式") % {"count": count})
    except (ValidationError, ApplicationError) as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
    return redirect(target)


def _own_patent(request: AuthedHttpRequest, pk: int) -> Patent:
    patent = patent_get(user=request.user, pk=pk)
    if patent is None:
        raise Http404
    return patent


def _manage_render(
    request: HttpRequest, patent: Patent, *, edit_form: Form | None = None, terms_form: Form | None = None
) -> HttpResponse:
    context = {
        "patent": patent,
        "edit_form": edit_form or PatentEditForm(initial=model_to_dict(patent, fields=EDITABLE_FIELDS)),
        "terms_form": terms_form or PatentTermsForm(initial=PatentTermsForm.initial_for(patent)),
        "history": patent.status_changes.select_related("actor"),
        "has_errors": bool((edit_form and edit_form.errors) or (terms_form and terms_form.errors)),
    }
    return render(request, "patents/patent_manage.html", context, status=400 if context["has_errors"] else 200)


def _form_errors_add(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_access(is_officer)
def patent_manage_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """An own patent for the officer: edit form, pooling terms, status history."""
    return _manage_render(request, _own_patent(request, pk))


@require_access(is_officer)
@require_POST
def patent_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Save the descriptive fields (patents.services.patent_update)."""
    patent = _own_patent(request, pk)
    form = PatentEditForm(request.POST)
    if form.is_valid():
        try:
            patent_update(patent=patent, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors_add(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("专利信息已保存"))
            return redirect("patents:manage", pk=patent.pk)
        patent.refresh_from_db()  # the service assigned the values before validation refused them
    return _manage_render(request, patent, edit_form=form)


@require_access(is_officer)
@require_POST
def patent_terms(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Save the pooling terms (patents.services.patent_terms_set checks completeness and the open-licence caps)."""
    patent = _own_patent(request, pk)
    form = PatentTermsForm(request.POST)
    if form.is_valid():
        try:
            patent_terms_set(patent=patent, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_add(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("许可条件已保存"))
            return redirect("patents:manage", pk=patent.pk)
        patent.refresh_from_db()
    return _manage_render(request, patent, terms_form=form)

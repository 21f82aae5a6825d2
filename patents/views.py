"""Patent pages: the list every role may browse (scoped) and a patent's page; for tech-transfer officers the
inventory management (filters, bulk pooling, the holdings, a patent's edit / terms / assessment / history page).
The upload wizard is in patents/import_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_officer, is_patent_describer, is_signed_in, require_access
from core.errors import ApplicationError
from core.exports import list_download
from core.http import AuthedHttpRequest
from core.params import page_param, query_without
from patents.assessments import assessment_indicators, patent_assess, patent_grading
from patents.exports import inventory_table
from patents.filters import PatentFilterSet
from patents.forms import (
    BulkActionForm,
    InstitutionStockForm,
    PatentAssessmentForm,
    PatentEditForm,
    PatentInventoryFilterSet,
    PatentTermsForm,
)
from patents.hooks import patent_detail_facts
from patents.institutions import institution_stock_set
from patents.models import Patent, PatentAssessment
from patents.review_rules import may_describe
from patents.selectors import (
    institution_inventory_rate,
    patent_counts_for_institution,
    patent_demand,
    patent_get,
    patent_legal_history,
    patent_list,
    patents_with_demand,
    supply_context,
)
from patents.services import (
    EDITABLE_FIELDS,
    patent_terms_set,
    patent_update,
    patents_modes_set,
    patents_pool,
    patents_unpool,
)

PAGE_SIZE = 25
ERRORS_PAGE_SIZE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_access(is_signed_in)
def patent_list_page(request: AuthedHttpRequest) -> HttpResponse:
    """Filterable, paginated list of the patents the user may see."""
    filterset = PatentFilterSet(request.GET, queryset=patent_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(page_param(request.GET))
    context = {"filter": filterset, "page": page, "query": query_without(request, "page")}
    return render(request, "patents/patent_list.html", context)


@require_access(is_signed_in)
def patent_detail_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A patent's page; 404 when the user may not see it."""
    patent = patent_get(user=request.user, pk=pk)
    if patent is None:
        raise Http404
    can_see_internal = is_officer(request.user) and patent.institution_id == request.user.institution_id
    context = {
        "patent": patent,
        "can_see_internal": can_see_internal,
        "legal_history": patent_legal_history(patent=patent),
        # the layers above (matching: similar patents, matched enterprises), the same figures as the API detail
        "facts": patent_detail_facts.collect(user=request.user, patent=patent),
        **supply_context(),
    }
    if patent.is_pooled:
        context["demand"] = patent_demand(patent=patent)
    return render(request, "patents/patent_detail.html", context)


# --- inventory management ----------------------------------------------------------------------------------------


@require_access(is_officer)
def inventory_page(request: AuthedHttpRequest) -> HttpResponse:
    """The institution's patents: filters, search, sortable columns, 25 a page, bulk actions; `?format=xlsx|csv`
    downloads the filtered rows in the page's order."""
    filterset = PatentInventoryFilterSet(request.GET, queryset=patents_with_demand(patent_list(user=request.user)))
    if file := list_download(
        request,
        name="inventory",
        table=lambda limit: inventory_table(patents=filterset.qs[:limit]),
        errors=filterset.errors,
    ):
        return file
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(page_param(request.GET))
    assert request.user.institution is not None  # require_access(is_officer) checked institution_id
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without(request, "page"),
        "bulk_form": BulkActionForm(patents=Patent.objects.none()),
        "counts": patent_counts_for_institution(institution=request.user.institution),
        **supply_context(),
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


@require_access(is_patent_describer)
def patent_assessment_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The value self-assessment of an own patent: the indicators, the grade they derive with its reasons, and the
    grade the office settles on (a changed grade needs a note). Officers, the patent's college admin and, while it
    is a draft, its inventors fill it in."""
    patent = _own_patent(request, pk)
    if not may_describe(request.user, patent):
        raise Http404
    assessment = PatentAssessment.objects.filter(patent=patent).first()
    form = PatentAssessmentForm(request.POST or None, initial=PatentAssessmentForm.initial_for(assessment))
    if request.method == "POST" and form.is_valid():
        try:
            patent_assess(
                user=request.user,
                patent=patent,
                indicators=form.indicators(),
                consent_modes=form.cleaned_data["consent_modes"],
                grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存价值自评。"))
            return redirect("patents:manage_assessment", pk=patent.pk)
    grading = patent_grading(patent=patent, indicators=assessment_indicators(assessment))
    context = {"patent": patent, "form": form, "assessment": assessment, "grading": grading}
    return render(request, "patents/assessment.html", context, status=400 if form.errors else 200)


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

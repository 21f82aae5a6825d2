"""Docking pages: the member's requests, the officer's inbox, one request with its timeline, and transitions."""

from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import has_role, is_enterprise_member, is_officer, is_officer_bureau_or_admin, require_access
from core.downloads import protected_file_response
from core.errors import ApplicationError
from core.exports import list_download
from core.http import AuthedHttpRequest
from core.params import id_param, page_param
from enterprises.docking import DockingParty, docking_action_label
from enterprises.exports import docking_inbox_table, docking_mine_table
from enterprises.forms import DockingCreateForm, TransitionForm
from enterprises.models import DockingRequest, DockingStatus, TechNeed
from enterprises.selectors import docking as docking_selectors
from enterprises.selectors.docking import (
    docking_actions_for,
    docking_contact_defaults,
    docking_get,
    docking_list,
    docking_party,
    institution_response_times,
)
from enterprises.selectors.needs import tech_need_get_own
from enterprises.services.docking import docking_request_create, docking_transition
from enterprises.views._helpers import form_error_from
from patents.models import Institution
from patents.selectors import institutions_in_statistics_of, patent_get

STATUS_FILTERS = {"open": (DockingStatus.SUBMITTED, DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING)}


_Requests = TypeVar("_Requests", bound=QuerySet[DockingRequest])  # keeps docking_list's is_overdue annotation


def _filtered(request: HttpRequest, requests: _Requests) -> _Requests:
    status = request.GET.get("status", "")
    if status in STATUS_FILTERS:
        return requests.filter(status__in=STATUS_FILTERS[status])
    if status in DockingStatus.values:
        return requests.filter(status=status)
    return requests


@require_access(is_enterprise_member)
def docking_mine(request: AuthedHttpRequest) -> HttpResponse:
    """The member's enterprise's docking requests, newest first; `?format=xlsx|csv` downloads them."""
    requests = _filtered(request, docking_list(user=request.user))
    if file := list_download(
        request, name="docking", table=lambda limit: docking_mine_table(requests=requests[:limit])
    ):
        return file
    page = Paginator(requests, 25).get_page(page_param(request.GET))
    context = {"page": page, "statuses": DockingStatus.choices, "overdue_days": settings.DOCKING_OVERDUE_DAYS}
    return render(request, "enterprises/docking_mine.html", context)


@require_access(is_officer)
def docking_inbox(request: AuthedHttpRequest) -> HttpResponse:
    """The officer's institution's requests: waiting ones first (overdue, then oldest), then open, then closed;
    `?format=xlsx|csv` downloads them in that order."""
    requests = _filtered(request, docking_selectors.docking_inbox(user=request.user))
    if file := list_download(
        request, name="docking-inbox", table=lambda limit: docking_inbox_table(requests=requests[:limit])
    ):
        return file
    page = Paginator(requests, 25).get_page(page_param(request.GET))
    assert request.user.institution_id is not None  # officers always have one (a check constraint)
    own = institution_response_times(institutions=Institution.objects.filter(pk=request.user.institution_id))
    context = {
        "page": page,
        "statuses": DockingStatus.choices,
        "response": own[0] if own else None,
        "overdue_days": settings.DOCKING_OVERDUE_DAYS,
    }
    return render(request, "enterprises/docking_inbox.html", context)


@require_access(is_enterprise_member)
def docking_create(request: AuthedHttpRequest) -> HttpResponse:
    """Request docking about a pooled patent (?patent=) or from one of the enterprise's needs (?need=)."""
    source = request.POST if request.method == "POST" else request.GET
    patent_pk, need_pk = id_param(source, "patent"), id_param(source, "need")  # not an id: a 400
    patent = patent_get(user=request.user, pk=patent_pk) if patent_pk is not None else None
    need = tech_need_get_own(user=request.user, pk=need_pk) if need_pk is not None else None
    if patent is None and need is None:
        raise Http404
    assert request.user.enterprise_id is not None  # require_access(is_enterprise_member) checked it
    open_needs = TechNeed.objects.filter(enterprise_id=request.user.enterprise_id, status=TechNeed.Status.OPEN)
    form = DockingCreateForm(
        request.POST or None,
        needs=open_needs,
        about_patent=patent is not None,
        initial={"need": need.pk if need else "", **docking_contact_defaults(user=request.user)},
    )
    if request.method == "POST" and form.is_valid():
        cited = need or (open_needs.filter(pk=form.cleaned_data["need"]).first() if form.cleaned_data["need"] else None)
        try:
            docking = docking_request_create(
                actor=request.user,
                patent=patent,
                need=cited,
                institution=form.cleaned_data.get("institution"),
                message=form.cleaned_data["message"],
                expires_on=form.cleaned_data["expires_on"],
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
                contact_email=form.cleaned_data["contact_email"],
            )
        except (ValidationError, ApplicationError) as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("对接请求已提交，高校回复后会通知您。"))
            return redirect("enterprises:docking_detail", pk=docking.pk)
    return render(request, "enterprises/docking_form.html", {"form": form, "patent": patent, "need": need})


@require_access(has_role)
def docking_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One request with its timeline and the actions the user may take now."""
    docking = docking_get(user=request.user, pk=pk)
    if docking is None:
        raise Http404
    actions = [
        (a, docking_action_label(action=a, status=docking.status))
        for a in docking_actions_for(docking=docking, user=request.user)
    ]
    context = {
        "docking": docking,
        "events": docking.events.select_related("actor"),
        "actions": actions,
        # the institution's officers answer the enterprise: they see the contact it gave
        "show_contact": docking_party(docking=docking, user=request.user)
        in (DockingParty.INSTITUTION, DockingParty.ENTERPRISE),
        "form": TransitionForm(auto_id=False),  # one copy per action panel: no duplicate element ids
        "overdue_days": settings.DOCKING_OVERDUE_DAYS,
    }
    return render(request, "enterprises/docking_detail.html", context)


@require_POST
@require_access(has_role)
def docking_transition_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Apply one action from the detail page; errors come back as a message on the same page."""
    docking = docking_get(user=request.user, pk=pk)
    if docking is None:
        raise Http404
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{e}" for errors in form.errors.values() for e in errors))
        return redirect("enterprises:docking_detail", pk=pk)
    try:
        docking = docking_transition(docking=docking, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("对接请求状态已更新为“%(status)s”。") % {"status": docking.get_status_display()})
    return redirect("enterprises:docking_detail", pk=pk)


@require_access(has_role)
def docking_contract(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The signed contract, only to those who may see the request (media files are never served publicly)."""
    docking = docking_get(user=request.user, pk=pk)
    if docking is None or not docking.contract_file:
        raise Http404
    name = f"contract-{docking.pk}.{(docking.contract_file.name or '').rsplit('.', 1)[-1]}"
    return protected_file_response(file=docking.contract_file, filename=name)


@require_access(is_officer_bureau_or_admin)
def response_times(request: AuthedHttpRequest) -> HttpResponse:
    """Median first-response time per institution (officers: their own)."""
    institutions = institutions_in_statistics_of(user=request.user)
    rows = institution_response_times(institutions=institutions)
    context = {"rows": rows, "overdue_days": settings.DOCKING_OVERDUE_DAYS}
    return render(request, "enterprises/response_times.html", context)

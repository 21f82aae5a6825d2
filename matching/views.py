"""Matching pages: SME recommendations and search, the officer's push list, staff's run list."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from core.http import AuthedHttpRequest
from core.models import City
from matching.selectors import (
    current_run,
    enterprises_for_patent,
    match_run_list,
    patent_search,
    recommendations_for_enterprise,
)
from matching.services import enterprise_rank_now, match_run_start
from patents.models import PatentType, TransferMode
from patents.selectors import patent_get


@login_required
def recommendations_page(request: AuthedHttpRequest) -> HttpResponse:
    """为您推荐: ranked pooled patents with the matched terms highlighted, filters, follow and dock buttons."""
    if request.user.role != Role.ENTERPRISE or not request.user.enterprise_id:
        raise Http404
    filters = {k: request.GET.get(k, "") for k in ("city", "patent_type", "mode")}
    qs = recommendations_for_enterprise(enterprise_id=request.user.enterprise_id, **filters)
    page = Paginator(qs, settings.MATCHING_RECOMMENDATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matching/recommendations.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "run": current_run(),
            "cities": City.objects.filter(province_id="42"),
            "types": PatentType.choices,
            "modes": TransferMode.choices,
        },
    )


@login_required
@require_POST
def recommendations_refresh(request: AuthedHttpRequest) -> HttpResponse:
    """Re-rank the enterprise now (after it edited its needs)."""
    if request.user.role != Role.ENTERPRISE or not request.user.enterprise_id:
        raise Http404
    assert request.user.enterprise is not None  # enterprise_id is set
    enterprise_rank_now(enterprise=request.user.enterprise)
    return redirect("matching:recommendations")


@login_required
def search_page(request: AuthedHttpRequest) -> HttpResponse:
    """Search the pool: engine ranking plus facets (city, institution, IPC section, type, mode)."""
    text = request.GET.get("q", "")[:500]
    filters = {k: request.GET.get(k, "") for k in ("city", "institution", "ipc_section", "patent_type", "mode")}
    if not filters["institution"].isdigit():  # a hand-edited URL: ignore the filter rather than fail
        filters["institution"] = ""
    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1
    data = patent_search(user=request.user, text=text, filters=filters, page=page) if text.strip() else None
    pager = (
        Paginator(range(data["total"]), settings.MATCHING_SEARCH_PAGE_SIZE).page(data["page"])
        if data and data["total"]
        else None
    )
    query = urlencode({"q": text, **{k: v for k, v in filters.items() if v}})
    return render(
        request,
        "matching/search.html",
        {
            "q": text,
            "filters": filters,
            "data": data,
            "page": pager,
            "query": query,
            "types": PatentType.choices,
            "modes": TransferMode.choices,
        },
    )


@login_required
def patent_enterprises_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The enterprises that fit one patent (officer's push list; bureau read)."""
    qs = enterprises_for_patent(user=request.user, patent_id=pk)
    if qs is None:
        raise Http404
    page = Paginator(qs, settings.MATCHING_PUSH_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/patent_enterprises.html",
        {"patent": patent_get(user=request.user, pk=pk), "page": page, "query": ""},
    )


def _staff(request: AuthedHttpRequest) -> None:
    if not (request.user.is_platform_admin or request.user.role == Role.BUREAU_PROVINCE):
        raise Http404


@login_required
def runs_page(request: AuthedHttpRequest) -> HttpResponse:
    """Matching runs with live progress."""
    _staff(request)
    return render(request, "matching/runs.html", {"runs": match_run_list()[:30]})


@login_required
def runs_status(request: AuthedHttpRequest) -> JsonResponse:
    _staff(request)
    runs = [
        {
            "pk": r.pk,
            "status": r.status,
            "status_display": r.get_status_display(),
            "progress": r.progress,
            "is_current": r.is_current,
        }
        for r in match_run_list()[:30]
    ]
    return JsonResponse({"runs": runs})


@login_required
@require_POST
def runs_start(request: AuthedHttpRequest) -> HttpResponse:
    _staff(request)
    match_run_start(trigger="web", requested_by=request.user.username)
    return redirect("matching:runs")

"""Matching pages: SME recommendations and search, the officer's push list, staff's run list."""

from collections.abc import Sequence
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    is_enterprise_member,
    is_officer_bureau_or_admin,
    is_province_staff,
    is_signed_in,
    require_access,
)
from common.numbers import parse_id
from core.errors import ApplicationError
from core.exports import list_download
from core.http import AuthedHttpRequest
from core.params import id_param, page_param
from core.selectors import city_list
from enterprises.services.push import MESSAGE_MAX_LENGTH, patent_push
from matching.live.rerank import enterprise_rank_now
from matching.models import Recommendation
from matching.presentation.exports import patent_enterprises_table, recommendations_table, search_hits_table
from matching.presentation.push import push_result_message, push_rows_explain
from matching.presentation.recommendations import recommendations_label_needs
from matching.presentation.search import search_active_filters, search_facet_groups
from matching.reading.needs import need_recommendations, open_needs_of
from matching.reading.push_list import enterprises_for_patent
from matching.reading.recommendations import recommendations_for_enterprise
from matching.reading.search import patent_search
from matching.runs.current import current_run, match_run_list
from matching.runs.progress import run_progress_rows
from matching.runs.start import match_run_start
from patents.filters import grades_param
from patents.models import PatentType, TransferMode, ValueGrade
from patents.selectors import patent_get


def _assessment_filters(request: AuthedHttpRequest) -> dict[str, str]:
    """The assessment's filters (issue 25) of a search or recommendations page: value grades ("A,B") and inventor
    consent ("1" or "")."""
    return {
        "grade": grades_param(request.GET.getlist("grade")),
        "consent": "1" if request.GET.get("consent") else "",
    }


@require_access(is_enterprise_member, hidden=True)
def recommendations_page(request: AuthedHttpRequest) -> HttpResponse:
    """为您推荐: ranked pooled patents with the matched terms highlighted, filters, follow and dock buttons;
    `?format=xlsx|csv` downloads them in the page's order."""
    filters = {k: request.GET.get(k, "") for k in ("city", "patent_type", "mode")} | _assessment_filters(request)
    needs = open_needs_of(user=request.user)
    need_pk = id_param(request.GET, "need")
    need = next((n for n in needs if n.pk == need_pk), None)
    # all needs: the stored recommendations (a queryset, paged in SQL); one need: ranked on demand (a list)
    qs: Sequence[object] | QuerySet[Recommendation] = (
        recommendations_for_enterprise(user=request.user, **filters)
        if need is None
        else need_recommendations(user=request.user, need=need, **filters)
    )
    if file := list_download(
        request,
        name="recommendations",
        table=lambda limit: recommendations_table(items=list(qs[:limit]), needs=needs, need=need),
    ):
        return file
    page = Paginator(qs, settings.MATCHING_RECOMMENDATIONS_PAGE_SIZE).get_page(page_param(request.GET))
    if need is None:
        recommendations_label_needs(recommendations=page.object_list, needs=needs)
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
            "cities": city_list(),  # the platform's province (PLATFORM_PROVINCE_CODE)
            "types": PatentType.choices,
            "modes": TransferMode.choices,
            "grades": ValueGrade.values,
            "needs": needs,
            "need": need,
        },
    )


@require_access(is_enterprise_member, hidden=True)
@require_POST
def recommendations_refresh(request: AuthedHttpRequest) -> HttpResponse:
    """Re-rank the enterprise now (after it edited its needs)."""
    assert request.user.enterprise is not None  # is_enterprise_member checked enterprise_id
    enterprise_rank_now(enterprise=request.user.enterprise)
    return redirect("matching:recommendations")


@require_access(is_signed_in)
def search_page(request: AuthedHttpRequest) -> HttpResponse:
    """Search the pool: engine ranking plus facets (city, institution, IPC section, type, mode); `?format=xlsx|csv`
    downloads the hits counted (at most MATCHING_SEARCH_HITS), in the page's order."""
    text = request.GET.get("q", "")[:500]
    filters = {k: request.GET.get(k, "") for k in ("city", "institution", "ipc_section", "patent_type", "mode")}
    filters |= _assessment_filters(request)
    institution = id_param(request.GET, "institution")  # not an id: a 400
    filters["institution"] = str(institution) if institution is not None else ""
    if file := list_download(
        request,
        name="search",
        table=lambda limit: search_hits_table(user=request.user, text=text, filters=filters, limit=limit),
        limit=settings.MATCHING_SEARCH_HITS,
    ):
        return file
    page = page_param(request.GET)
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
            "grades": ValueGrade.values,
            "facet_groups": search_facet_groups(facets=data["facets"], filters=filters, text=text) if data else [],
            "active_filters": search_active_filters(filters=filters, text=text),
            "hits_cap": settings.MATCHING_SEARCH_HITS,
        },
    )


@require_access(is_officer_bureau_or_admin, hidden=True)
def patent_enterprises_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The enterprises that fit one patent, each with the need text (or profile) that matched and its last push;
    officers and bureau staff in scope select some and push the patent to them; `?format=xlsx|csv` downloads the
    list."""
    qs = enterprises_for_patent(user=request.user, patent_id=pk)
    if qs is None:
        raise Http404
    if file := list_download(
        request,
        name=f"patent-{pk}-enterprises",
        table=lambda limit: patent_enterprises_table(patent_id=pk, rows=qs[:limit]),
    ):
        return file
    page = Paginator(qs, settings.MATCHING_PUSH_LIST_PAGE_SIZE).get_page(page_param(request.GET))
    push_rows_explain(patent_id=pk, rows=list(page.object_list))  # the same rows, filled in place
    patent = patent_get(user=request.user, pk=pk)
    return render(
        request,
        "matching/patent_enterprises.html",
        {
            "patent": patent,
            "page": page,
            "query": "",
            "can_push": patent is not None and patent.is_pooled,
            "message_max": MESSAGE_MAX_LENGTH,
            "repeat_hours": settings.PATENT_PUSH_REPEAT_HOURS,
        },
    )


@require_access(is_officer_bureau_or_admin, hidden=True)
@require_POST
def patent_push_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """推送给所选企业: push the patent to the ticked enterprises, then back to the list with what happened."""
    patent = patent_get(user=request.user, pk=pk)
    if patent is None:
        raise Http404
    raw = request.POST.getlist("enterprise")
    ids = [number for number in map(parse_id, raw) if number is not None]
    back = reverse("matching:patent_enterprises", args=[pk])
    if request.POST.get("page"):
        back += "?" + urlencode({"page": page_param(request.POST)})
    if len(ids) != len(raw):
        messages.error(request, _("所选企业有误，请重新选择。"))
        return redirect(back)
    try:
        result = patent_push(
            patent=patent, enterprise_ids=ids, user=request.user, message=request.POST.get("message", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
        return redirect(back)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    if result.without_members:  # some ticked enterprises were not pushed: not a plain success
        messages.warning(request, push_result_message(result=result))
    else:
        messages.success(request, push_result_message(result=result))
    return redirect(back)


@require_access(is_province_staff, hidden=True)
def runs_page(request: AuthedHttpRequest) -> HttpResponse:
    """Matching runs with live progress (static/js/runs_progress.js polls runs_status)."""
    runs = list(match_run_list()[:30])
    progress = {row["pk"]: row for row in run_progress_rows(runs)}
    return render(request, "matching/runs.html", {"runs": [(r, progress[r.pk]) for r in runs]})


@require_access(is_province_staff, hidden=True)
def runs_status(request: AuthedHttpRequest) -> JsonResponse:
    return JsonResponse({"runs": run_progress_rows(match_run_list()[:30])})


@require_access(is_province_staff, hidden=True)
@require_POST
def runs_start(request: AuthedHttpRequest) -> HttpResponse:
    """Record the run and return at once (a worker or, without a broker, a server thread runs it)."""
    try:
        match_run_start(trigger="web", requested_by=request.user.username)
    except ApplicationError as exc:  # 已有匹配正在运行, or the task queue is down
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已开始全量匹配，进度见下表。"))
    return redirect("matching:runs")

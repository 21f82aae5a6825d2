"""The needs hall (需求大厅): open enterprise needs with the best patents of the caller's pool for each, and the
officer's recommendation of chosen patents to a need's enterprise. Thin: matching.reading.needs_hall ranks,
enterprises.services.need_recommend writes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_officer, is_officer_bureau_or_admin, require_access
from common.numbers import parse_id
from core.errors import ApplicationError
from core.http import AuthedHttpRequest
from core.params import page_param
from core.selectors import city_list
from enterprises.industry import industry_section_choices
from enterprises.services.need_recommend import MAX_PATENTS, need_patents_recommend
from enterprises.services.push import MESSAGE_MAX_LENGTH
from matching.presentation.needs_hall import hall_back_url, hall_filters, hall_recommend_message
from matching.reading.needs_hall import hall_matches, hall_needs, hall_order_by_best
from matching.runs.current import current_run

HALL_PAGE_SIZE = 20


@require_access(is_officer_bureau_or_admin, hidden=True)
def needs_hall_page(request: AuthedHttpRequest) -> HttpResponse:
    """需求大厅: open needs (filters: city, industry, words), sorted by best match or newest, each with the best
    three patents of the caller's pool; officers tick patents under a need and recommend them."""
    filters = hall_filters(request.GET)
    needs = hall_needs(user=request.user, city=filters.city, industry=filters.industry, text=filters.q)
    listed = hall_order_by_best(user=request.user, needs=needs) if filters.ordering == "-best_match" else needs
    page = Paginator(listed, HALL_PAGE_SIZE).get_page(page_param(request.GET))
    rows = hall_matches(user=request.user, needs=list(page.object_list))
    return render(
        request,
        "matching/needs_hall.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": filters.query,
            "cities": city_list(),
            "industries": industry_section_choices(),
            "run": current_run(),
            "can_recommend": is_officer(request.user),
            "message_max": MESSAGE_MAX_LENGTH,
            "max_patents": MAX_PATENTS,
            "repeat_hours": settings.PATENT_PUSH_REPEAT_HOURS,
        },
    )


@require_access(is_officer, hidden=True)
@require_POST
def needs_hall_recommend(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """推荐给企业: recommend the ticked patents for need `pk`, then back to the hall with what happened."""
    need = hall_needs(user=request.user).filter(pk=pk).first()
    if need is None:  # not an open need the officer may see
        raise Http404
    back = hall_back_url(request.POST)
    raw = request.POST.getlist("patent")
    ids = [number for number in map(parse_id, raw) if number is not None]
    if len(ids) != len(raw):
        messages.error(request, _("所选专利有误，请重新选择。"))
        return redirect(back)
    try:
        result = need_patents_recommend(
            need=need, patent_ids=ids, user=request.user, message=request.POST.get("message", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
        return redirect(back)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    text = hall_recommend_message(result=result)
    (messages.warning if result.without_members or not result.sent else messages.success)(request, text)
    return redirect(back)

"""我的订阅: the member's enterprise's saved searches (list, delete), 保存搜索 from the search page, 提醒我 on a need,
and the signed unsubscribe link of the alert e-mails (no sign-in needed)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_enterprise_member, require_access
from core.errors import ApplicationError
from core.http import AuthedHttpRequest
from enterprises.models import SAVED_SEARCH_FILTERS
from enterprises.selectors.needs import tech_need_get_own
from enterprises.selectors.saved_searches import (
    saved_search_filter_labels,
    saved_search_get_own,
    saved_search_list,
)
from enterprises.services.saved_searches import (
    need_alert_set,
    saved_search_create,
    saved_search_delete,
    saved_search_for_token,
    saved_search_unsubscribe,
)


def _errors_text(error: ValidationError | ApplicationError) -> str:
    if isinstance(error, ApplicationError):
        return error.message
    return "；".join(m for ms in error.message_dict.values() for m in ms)


@require_access(is_enterprise_member)
def saved_searches(request: AuthedHttpRequest) -> HttpResponse:
    """我的订阅: the enterprise's saved searches and needs marked 提醒我, with delete."""
    saved = list(saved_search_list(user=request.user))
    labels = saved_search_filter_labels(saved=saved)
    rows = [
        {
            "saved": s,
            "labels": labels[s.pk],
            "url": reverse("matching:recommendations") + f"?need={s.need_id}"
            if s.need_id is not None
            else reverse("matching:search") + "?" + urlencode({"q": s.text, **(s.filters or {})}),
        }
        for s in saved
    ]
    return render(request, "enterprises/saved_searches.html", {"rows": rows})


@require_access(is_enterprise_member)
@require_POST
def saved_search_save(request: AuthedHttpRequest) -> HttpResponse:
    """保存搜索: save the search page's words and the filters in force (its query string, in `search`), then back to
    the same search."""
    search = QueryDict(request.POST.get("search", "")[:4000])
    text = search.get("q", "")
    filters = {key: search.get(key, "") for key in SAVED_SEARCH_FILTERS if search.get(key)}
    back = reverse("matching:search") + "?" + urlencode({"q": text, **filters})
    try:
        saved = saved_search_create(user=request.user, name=request.POST.get("name", ""), text=text, filters=filters)
    except (ValidationError, ApplicationError) as error:
        messages.error(request, _errors_text(error))
        return redirect(back)
    messages.success(request, _("已保存搜索“%(name)s”：有新入库的匹配专利时会提醒您。") % {"name": saved.name})
    return redirect(back)


@require_access(is_enterprise_member)
@require_POST
def saved_search_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Delete one of the enterprise's subscriptions."""
    saved = saved_search_get_own(user=request.user, pk=pk)
    if saved is None:
        raise Http404
    saved_search_delete(user=request.user, saved_search=saved)
    messages.success(request, _("已删除订阅“%(name)s”。") % {"name": saved.name})
    return redirect("enterprises:saved_searches")


@require_access(is_enterprise_member)
@require_POST
def need_alert(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """提醒我 on one of the enterprise's needs (`on` = "1"), or off."""
    need = tech_need_get_own(user=request.user, pk=pk)
    if need is None:
        raise Http404
    on = request.POST.get("on") == "1"
    try:
        need_alert_set(user=request.user, need=need, on=on)
    except (ValidationError, ApplicationError) as error:
        messages.error(request, _errors_text(error))
        return redirect("enterprises:need_list")
    if on:
        messages.success(request, _("需求“%(title)s”有新入库的匹配专利时会提醒您。") % {"title": need.title})
    else:
        messages.success(request, _("已取消需求“%(title)s”的提醒。") % {"title": need.title})
    return redirect("enterprises:need_list")


def unsubscribe(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The signed link of an alert e-mail: a page asking to confirm (so a mail scanner opening the link changes
    nothing), and the confirmation turns the subscription's alerts off. No sign-in; a changed token is refused."""
    try:
        saved = (
            saved_search_unsubscribe(token=token) if request.method == "POST" else saved_search_for_token(token=token)
        )
    except ApplicationError as error:
        status = getattr(error, "status_code", 400)
        return render(request, "enterprises/unsubscribe.html", {"error": error.message}, status=status)
    done = request.method == "POST"
    return render(request, "enterprises/unsubscribe.html", {"saved": saved, "done": done})

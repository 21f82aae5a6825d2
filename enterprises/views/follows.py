"""Follows: the member's followed patents, follow/unfollow, and the followers of an officer's patents."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_enterprise_member, is_officer, require_access
from core.exports import list_download
from core.http import AuthedHttpRequest
from core.params import id_param, page_param
from enterprises.exports import followers_table, follows_table
from enterprises.selectors.follows import patent_follow_list
from enterprises.services.follows import patent_follow, patent_unfollow
from enterprises.views._helpers import safe_next
from patents.selectors import patent_get


@require_access(is_enterprise_member)
def follow_list(request: AuthedHttpRequest) -> HttpResponse:
    """Patents the member's enterprise follows; `?format=xlsx|csv` downloads them."""
    follows = patent_follow_list(user=request.user)
    if file := list_download(request, name="follows", table=lambda limit: follows_table(follows=follows[:limit])):
        return file
    page = Paginator(follows, 25).get_page(page_param(request.GET))
    return render(request, "enterprises/follow_list.html", {"page": page, "query": ""})


@require_POST
@require_access(is_enterprise_member)
def follow_toggle(request: AuthedHttpRequest, patent_pk: int) -> HttpResponse:
    """Follow a pooled patent, or stop following it when `unfollow` is posted."""
    patent = patent_get(user=request.user, pk=patent_pk)
    if patent is None:
        raise Http404
    if request.POST.get("unfollow"):
        patent_unfollow(user=request.user, patent=patent)
        messages.success(request, _("已取消关注。"))
    else:
        patent_follow(user=request.user, patent=patent)
        messages.success(request, _("已关注该专利。"))
    return redirect(safe_next(request, reverse("patents:detail", args=[patent.pk])))


@require_access(is_officer)
def followers(request: AuthedHttpRequest) -> HttpResponse:
    """Enterprises following the officer's institution's patents, newest first; `?format=xlsx|csv` downloads them."""
    follows = patent_follow_list(user=request.user)
    patent = id_param(request.GET, "patent")  # not an id (nor one a 64-bit column holds): a 400
    if patent is not None:
        follows = follows.filter(patent_id=patent)
    if file := list_download(request, name="followers", table=lambda limit: followers_table(follows=follows[:limit])):
        return file
    page = Paginator(follows, 25).get_page(page_param(request.GET))
    return render(request, "enterprises/followers.html", {"page": page, "query": f"patent={patent}" if patent else ""})

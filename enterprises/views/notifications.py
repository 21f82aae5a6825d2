"""The user's in-app notifications."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.access import is_signed_in, require_access
from core.http import AuthedHttpRequest
from core.params import page_param
from enterprises.notification_texts import notification_rendered
from enterprises.selectors.notifications import notification_list
from enterprises.services.notifications import notification_mark_read, notifications_mark_all_read


@require_access(is_signed_in)
def notifications(request: AuthedHttpRequest) -> HttpResponse:
    """All of the user's notifications, newest first, each in the reader's language."""
    page = Paginator(notification_list(user=request.user), 30).get_page(page_param(request.GET))
    items = [notification_rendered(n) for n in page.object_list]
    return render(request, "enterprises/notifications.html", {"page": page, "items": items, "query": ""})


@require_POST
@require_access(is_signed_in)
def notification_open(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    notification = notification_list(user=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    notification_mark_read(notification=notification, user=request.user)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("enterprises:notifications")


@require_POST
@require_access(is_signed_in)
def notifications_read_all(request: AuthedHttpRequest) -> HttpResponse:
    """Mark every notification read."""
    notifications_mark_all_read(user=request.user)
    return redirect("enterprises:notifications")

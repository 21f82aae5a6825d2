"""Technology needs of the member's enterprise: list, create, edit, close, reopen."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_enterprise_member, require_access
from core.http import AuthedHttpRequest
from enterprises.forms import TechNeedForm
from enterprises.models import TechNeed
from enterprises.selectors.needs import tech_need_get_own, tech_need_list
from enterprises.selectors.saved_searches import need_ids_alerted
from enterprises.services.needs import tech_need_close, tech_need_create, tech_need_reopen, tech_need_update
from enterprises.views._helpers import form_error_from


def _own(request: AuthedHttpRequest, pk: int) -> TechNeed:
    need = tech_need_get_own(user=request.user, pk=pk)
    if need is None:
        raise Http404
    return need


@require_access(is_enterprise_member)
def need_list(request: AuthedHttpRequest) -> HttpResponse:
    """The enterprise's needs, open ones first."""
    needs = tech_need_list(user=request.user).order_by("status", "-created_at")
    return render(
        request, "enterprises/need_list.html", {"needs": needs, "alerted": need_ids_alerted(user=request.user)}
    )


@require_access(is_enterprise_member)
def need_create(request: AuthedHttpRequest) -> HttpResponse:
    """Publish a new technology need."""
    form = TechNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert request.user.enterprise is not None  # require_access(is_enterprise_member) checked enterprise_id
        try:
            need = tech_need_create(enterprise=request.user.enterprise, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("技术需求“%(title)s”已发布。") % {"title": need.title})
            return redirect("enterprises:need_list")
    return render(request, "enterprises/need_form.html", {"form": form, "need": None})


@require_access(is_enterprise_member)
def need_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Edit one of the enterprise's needs."""
    need = _own(request, pk)
    form = TechNeedForm(request.POST or None, initial=TechNeedForm.initial_for(need))
    if request.method == "POST" and form.is_valid():
        try:
            tech_need_update(need=need, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("技术需求已保存。"))
            return redirect("enterprises:need_list")
    return render(request, "enterprises/need_form.html", {"form": form, "need": need})


@require_POST
@require_access(is_enterprise_member)
def need_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Close a need."""
    need = tech_need_close(need=_own(request, pk), actor=request.user)
    messages.success(request, _("技术需求“%(title)s”已关闭。") % {"title": need.title})
    return redirect("enterprises:need_list")


@require_POST
@require_access(is_enterprise_member)
def need_reopen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Open a closed need again."""
    need = tech_need_reopen(need=_own(request, pk), actor=request.user)
    messages.success(request, _("技术需求“%(title)s”已重新开放。") % {"title": need.title})
    return redirect("enterprises:need_list")

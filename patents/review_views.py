"""Pages of the review chain: the reviewers' queue (待审核) with bulk approve / return / not-to-pool, an inventor's
patents (我的专利) to describe and submit, the invitation of inventors and its acceptance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_inventor, is_patent_describer, is_reviewer, require_access
from core.errors import ApplicationError
from core.http import AuthedHttpRequest
from core.params import page_param, query_without
from patents.invitations import MAX_AGE_DAYS, inventor_invite, invitation_accept, invitation_from_token
from patents.models import Patent
from patents.review import ReviewError, patent_describe, patent_submit, patents_approve, patents_reject, patents_return
from patents.review_forms import AcceptForm, DescribeForm, InviteForm, ReviewBulkForm, ReviewFilterForm
from patents.review_rules import may_describe, may_submit, review_step, review_step_label
from patents.review_selectors import my_patents, review_colleges, review_queue
from patents.selectors import patent_get, patent_list

PAGE_SIZE = 50


def _errors(request: HttpRequest, exc: ApplicationError) -> None:
    rows = exc.rows if isinstance(exc, ReviewError) else [exc.message]
    for row in rows:
        messages.error(request, row)


@require_access(is_reviewer)
def review_queue_page(request: AuthedHttpRequest) -> HttpResponse:
    """待审核: the patents waiting for the reviewer, filtered by step and college, with bulk actions."""
    colleges = review_colleges(user=request.user)
    filters = ReviewFilterForm(request.GET, colleges=colleges)
    step, college = "", None
    if filters.is_valid():
        step = filters.cleaned_data["step"]
        college = filters.cleaned_data["college"]
    queue = review_queue(user=request.user, step=step, college_pk=college.pk if college else None)
    page = Paginator(queue, PAGE_SIZE).get_page(page_param(request.GET))
    context = {
        "filters": filters,
        "page": page,
        "query": query_without(request, "page"),
        "bulk_form": ReviewBulkForm(patents=Patent.objects.none()),
        "next": request.get_full_path(),
    }
    return render(request, "patents/review_queue.html", context)


@require_access(is_reviewer)
@require_POST
def review_bulk(request: AuthedHttpRequest) -> HttpResponse:
    """Approve, return or refuse the selected patents: all or none, each refused row said."""
    form = ReviewBulkForm(request.POST, patents=review_queue(user=request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("patents:review_queue")
    data = form.cleaned_data
    try:
        if data["action"] == ReviewBulkForm.APPROVE:
            count = patents_approve(patents=data["patents"], user=request.user)
            messages.success(request, _("已审核通过 %(count)d 件专利") % {"count": count})
        elif data["action"] == ReviewBulkForm.RETURN:
            count = patents_return(patents=data["patents"], user=request.user, comment=data["comment"])
            messages.success(request, _("已退回 %(count)d 件专利") % {"count": count})
        else:
            count = patents_reject(patents=data["patents"], user=request.user, reason=data["comment"])
            messages.success(request, _("已将 %(count)d 件专利标记为不予入库") % {"count": count})
    except ApplicationError as exc:
        _errors(request, exc)
    return redirect("patents:review_queue")


@require_access(is_inventor)
def my_patents_page(request: AuthedHttpRequest) -> HttpResponse:
    """我的专利: an inventor's patents, where each stands and the comment of a return."""
    rows = [(patent, review_step(patent), review_step_label(patent)) for patent in my_patents(user=request.user)]
    return render(request, "patents/my_patents.html", {"rows": rows})


def _describable(request: AuthedHttpRequest, pk: int) -> Patent:
    patent = patent_get(user=request.user, pk=pk)
    if patent is None:
        raise Http404
    return patent


@require_access(is_patent_describer)
def my_patent_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Describe one patent (title, abstract, claims, the modes agreed to) and submit it."""
    patent = _describable(request, pk)
    editable = may_describe(request.user, patent)
    initial = {"title": patent.title, "abstract": patent.abstract, "claims": patent.claims}
    form = DescribeForm(request.POST or None, initial=initial | {"transfer_modes": patent.transfer_modes})
    if request.method == "POST" and form.is_valid():
        try:
            patent_describe(patent=patent, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("专利信息已保存"))
            return redirect("patents:my_patent", pk=patent.pk)
    step = review_step(patent)
    context = {
        "patent": patent,
        "form": form,
        "editable": editable,
        "step": step,
        "step_label": review_step_label(patent),
        "can_submit": step == "draft" and may_submit(request.user, patent),
    }
    return render(request, "patents/my_patent.html", context, status=400 if form.errors else 200)


@require_access(is_patent_describer)
@require_POST
def my_patent_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Submit a draft for review."""
    patent = _describable(request, pk)
    try:
        patent_submit(patent=patent, user=request.user)
    except ApplicationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已提交审核"))
    return redirect("patents:my_patent", pk=patent.pk)


@require_access(is_reviewer)
def invite_page(request: AuthedHttpRequest) -> HttpResponse:
    """Invite an inventor by e-mail to some of the reviewer's patents."""
    form = InviteForm(
        request.POST or None, patents=patent_list(user=request.user), colleges=review_colleges(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            inventor_invite(
                user=request.user,
                email=form.cleaned_data["email"],
                patents=form.cleaned_data["numbers"],
                college=form.cleaned_data["college"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("邀请已发送，链接 %(days)d 天内有效") % {"days": MAX_AGE_DAYS})
            return redirect("patents:invite")
    return render(request, "patents/invite.html", {"form": form}, status=400 if form.errors else 200)


def invitation_accept_page(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee sets a username and password (public: the signed link is the credential)."""
    invitation = invitation_from_token(token=token)
    if invitation is None:
        return render(request, "patents/invitation_accept.html", {"invalid": True}, status=404)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("patents:my_patents")
    context = {"form": form, "invitation": invitation}
    return render(request, "patents/invitation_accept.html", context, status=400 if form.errors else 200)

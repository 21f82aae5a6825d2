"""The bureau's review queue: new registrations not in the imported registry, early pilot codes, and claims of
registry enterprises (with the registry's data beside the claimant's); and the claim codes the bureau issues."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import is_bureau_or_admin, require_access
from core.errors import ApplicationError
from core.http import AuthedHttpRequest, client_ip
from enterprises.forms import ClaimCodeForm, ReviewForm
from enterprises.models import EnterpriseClaim
from enterprises.selectors.claims import enterprise_claim_list, enterprise_for_claim_code
from enterprises.selectors.profile import enterprise_review_queue
from enterprises.services.claim_codes import enterprise_claim_code_issue
from enterprises.services.claims import enterprise_claim_decide
from enterprises.services.registration import enterprise_review_decide


@require_access(is_bureau_or_admin)
def review_queue(request: AuthedHttpRequest) -> HttpResponse:
    """Registrations and claims waiting for review, oldest first, and the form that issues a claim code."""
    return render(
        request,
        "enterprises/review_queue.html",
        {
            "queue": enterprise_review_queue(user=request.user),
            "claims": enterprise_claim_list(user=request.user),
            "code_form": ClaimCodeForm(),
        },
    )


@require_POST
@require_access(is_bureau_or_admin)
def review_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one registration of the queue."""
    enterprise = enterprise_review_queue(user=request.user).filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或驳回。"))
        return redirect("enterprises:review_queue")
    try:
        enterprise = enterprise_review_decide(
            enterprise=enterprise,
            reviewer=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s：%(verdict)s") % {"name": enterprise.name, "verdict": enterprise.get_verification_display()},
        )
    return redirect("enterprises:review_queue")


@require_POST
@require_access(is_bureau_or_admin)
def claim_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one pending claim of a registry enterprise (in the reviewer's scope)."""
    claim = enterprise_claim_list(user=request.user).filter(pk=pk).first()
    if claim is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或驳回。"))
        return redirect("enterprises:review_queue")
    claimant = claim.claimant.username  # as the queue showed it (approval renames the account to the code)
    try:
        decided = enterprise_claim_decide(
            claim=claim,
            reviewer=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        if decided.status == EnterpriseClaim.Status.APPROVED:
            messages.success(
                request,
                _("已批准 %(claimant)s 认领 %(name)s；该企业的其他待审核认领已自动驳回。")
                % {"claimant": claimant, "name": decided.enterprise.name},
            )
        else:
            messages.success(
                request,
                _("已驳回 %(claimant)s 对 %(name)s 的认领。") % {"claimant": claimant, "name": decided.enterprise.name},
            )
    return redirect("enterprises:review_queue")


@never_cache
@require_POST
@require_access(is_bureau_or_admin)
def claim_code_issue(request: AuthedHttpRequest) -> HttpResponse:
    """Issue a one-time claim code for a registry enterprise in the issuer's scope and show it this once."""
    form = ClaimCodeForm(request.POST)
    enterprise = (
        enterprise_for_claim_code(user=request.user, uscc=request.POST.get("uscc", "")) if form.is_valid() else None
    )
    if enterprise is None:
        messages.error(
            request,
            _("企业名录中没有该统一社会信用代码，或该企业不在您的管辖范围。"),
        )
        return redirect("enterprises:review_queue")
    try:
        issued = enterprise_claim_code_issue(enterprise=enterprise, issuer=request.user, ip_address=client_ip(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("enterprises:review_queue")
    return render(request, "enterprises/claim_code_issued.html", {"issued": issued, "enterprise": enterprise})

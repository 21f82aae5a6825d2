"""The bureau's review queue: every new registration not found in the imported registry, and early pilot codes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_bureau_or_admin, require_access
from core.errors import ApplicationError
from core.http import AuthedHttpRequest
from enterprises.forms import ReviewForm
from enterprises.selectors import enterprise_review_queue
from enterprises.services.registration import enterprise_review_decide


@require_access(is_bureau_or_admin)
def review_queue(request: AuthedHttpRequest) -> HttpResponse:
    """Registrations waiting for review, oldest first."""
    return render(request, "enterprises/review_queue.html", {"queue": enterprise_review_queue(user=request.user)})


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

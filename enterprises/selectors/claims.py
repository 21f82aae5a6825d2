"""Reads of claims of registry enterprises: the review queue with its rivals, a claimant's own claims, the
enterprise a claim code is issued for, the members who joined a registry enterprise unreviewed."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.access import is_city_staff, is_province_staff
from accounts.models import User
from core.models import AuditLog
from enterprises.models import (
    Enterprise,
    EnterpriseClaim,
)
from enterprises.selectors.profile import enterprises_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ClaimAnnotations(TypedDict):
    """The field enterprise_claim_list adds to each claim."""

    rivals: int


def enterprise_claim_list(
    *, user: User, status: str | None = EnterpriseClaim.Status.PENDING
) -> "QuerySet[WithAnnotations[EnterpriseClaim, ClaimAnnotations]]":
    """Claims of registry enterprises that `user` may review (province bureau and admins all, city staff those of
    enterprises in their city), oldest first, each with `rivals`: the other pending claims of the same enterprise.

    `status` None lists every claim; the default lists those waiting for a decision (the review queue).
    """
    rivals = (
        EnterpriseClaim.objects.filter(enterprise_id=OuterRef("enterprise_id"), status=EnterpriseClaim.Status.PENDING)
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    if not (is_province_staff(user) or is_city_staff(user)):
        qs = EnterpriseClaim.objects.none()
    else:
        qs = EnterpriseClaim.objects.filter(enterprise__in=enterprises_visible_to(user=user))
    if status is not None:
        qs = qs.filter(status=status)
    return (
        qs.select_related("enterprise", "enterprise__city", "city", "claimant", "reviewer")
        .annotate(rivals=Coalesce(Subquery(rivals, output_field=IntegerField()), Value(0)))
        .order_by("created_at", "pk")
    )


def enterprise_claims_of(*, user: User) -> QuerySet[EnterpriseClaim]:
    """The claims `user` submitted, newest first (what the claimant's home page and `claims/mine/` show)."""
    if not user.is_authenticated:
        return EnterpriseClaim.objects.none()
    return (
        EnterpriseClaim.objects.filter(claimant=user)
        .select_related("enterprise", "city")
        .order_by("-created_at", "-pk")
    )


def enterprise_for_claim_code(*, user: User, uscc: str) -> Enterprise | None:
    """The enterprise of this code if `user` (bureau staff or admin) may issue it a claim code: it is in the user's
    scope (a city bureau: its city's). None otherwise (the service refuses an enterprise that has an account)."""
    if not (is_province_staff(user) or is_city_staff(user)):
        return None
    return enterprises_visible_to(user=user).select_related("city").filter(uscc=uscc.strip().upper()).first()


@dataclass(frozen=True)
class UnreviewedClaim:
    """A member who joined a registry enterprise by code and name alone, without a reviewed claim."""

    enterprise: Enterprise
    member: User
    registered_at: datetime


def enterprise_claims_unreviewed() -> list[UnreviewedClaim]:
    """Members still bound to a registry enterprise they joined through a sign-up that verified anyone who
    typed a registry enterprise's code and name: its audit row `enterprise.register` says "verified" (a new
    enterprise always registered as "review"), and no approved claim of the enterprise exists. For the bureau to
    re-check (`manage.py registry_claims_unreviewed`)."""
    rows = AuditLog.objects.filter(
        action="enterprise.register", target_type="Enterprise", detail__verification="verified", actor__isnull=False
    ).order_by("created_at", "pk")
    approved = set(
        EnterpriseClaim.objects.filter(status=EnterpriseClaim.Status.APPROVED).values_list("enterprise_id", flat=True)
    )
    out = []
    for row in rows.select_related("actor", "actor__enterprise", "actor__enterprise__city"):
        member = row.actor
        if member is None or member.enterprise is None or str(member.enterprise_id) != row.target_id:
            continue  # no longer a member of that enterprise
        if member.enterprise_id in approved:
            continue
        out.append(UnreviewedClaim(enterprise=member.enterprise, member=member, registered_at=row.created_at))
    return out

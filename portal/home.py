"""Figures for each role's home page (read-only; built from the apps' selectors)."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext

from accounts.access import (
    is_bureau_or_admin,
    is_city_staff,
    is_college_admin,
    is_enterprise_member,
    is_inventor,
    is_officer,
)
from accounts.models import User
from enterprises.models import TechNeed
from enterprises.selectors.claims import enterprise_claims_of
from enterprises.selectors.docking import docking_waiting
from enterprises.selectors.needs import needs_visible_to
from enterprises.selectors.profile import enterprises_visible_to
from enterprises.selectors.saved_searches import alerts_since, notifications_since
from matching.reading.recommendations import recommendations_for_enterprise
from patents.models import Institution, InventoryStatus, Patent, ReviewStatus
from patents.review_rules import REVIEW_STEPS
from patents.review_selectors import my_patents, review_waiting_counts
from patents.selectors import patent_counts_for_institution, patents_visible_to


def _review_waiting(user: User) -> dict[str, Any]:
    counts = review_waiting_counts(user=user)
    labels = dict(ReviewStatus.choices)
    steps = [ReviewStatus.SUBMITTED] if is_college_admin(user) else list(REVIEW_STEPS)
    rows = [(str(step), labels[step], counts[str(step)]) for step in steps]
    return {"review_waiting": counts, "review_waiting_rows": rows}


def home_context(*, user: User, since: datetime | None = None) -> dict[str, Any]:
    """What the home page of `user`'s role shows; an enterprise member's also what is new since `since` (the previous
    visit; None: a first visit)."""
    if is_college_admin(user):
        return {
            "college": user.college,
            "college_patent_count": patents_visible_to(user=user).count(),
            **_review_waiting(user),
        }
    if is_inventor(user):
        mine = my_patents(user=user)
        returned = mine.filter(inventory_status=InventoryStatus.INVENTORIED, review_status=ReviewStatus.DRAFT).exclude(
            review_comment=""
        )
        return {"my_count": mine.count(), "my_returned": returned.count()}
    if is_officer(user):
        assert user.institution is not None  # institution_id is set
        return {
            **_review_waiting(user),
            "institution": user.institution,
            "counts": patent_counts_for_institution(institution=user.institution),
            "recent_patents": Patent.objects.filter(institution=user.institution).order_by("-updated_at")[:8],
            "docking_waiting_count": docking_waiting(user=user).count(),
            "docking_waiting": list(docking_waiting(user=user)[:5]),
        }
    if is_enterprise_member(user):
        return {
            "enterprise": user.enterprise,
            "needs": TechNeed.objects.filter(enterprise=user.enterprise).order_by("-created_at")[:10],
            "pooled_count": Patent.objects.filter(inventory_status=InventoryStatus.POOLED).count(),
            "recommendations": recommendations_for_enterprise(user=user)[:5],
            "since": since,
            "new_alerts": alerts_since(user=user, since=since),
            "new_notifications": notifications_since(user=user, since=since),
        }
    if is_bureau_or_admin(user):
        patents = patents_visible_to(user=user)
        enterprises = enterprises_visible_to(user=user)
        scope = gettext("全省")
        if is_city_staff(user):
            assert user.city is not None  # city_id is set
            scope = user.city.name
        return {
            "scope": scope,
            "kpis": {
                "institutions": Institution.objects.filter(patents__in=patents).distinct().count(),
                "inventoried": patents.count(),
                "pooled": patents.filter(inventory_status=InventoryStatus.POOLED).count(),
                "inventions": patents.filter(patent_type="invention").count(),
                "enterprises": enterprises.count(),
                "needs": needs_visible_to(user=user).count(),
            },
        }
    return {"claims": list(enterprise_claims_of(user=user)[:5])}  # a claimant's account waits without a role

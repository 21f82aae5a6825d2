"""Reads of the review chain (patents.review): the queue a reviewer works through, what waits for them, an inventor's
patents, and the share of inventoried patents at each step (the 盘点率 dashboard) — all on the scoped querysets of
patents.selectors."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.access import is_college_admin, is_officer
from patents.models import College, Institution, InventoryStatus, Patent, ReviewStatus
from patents.review_rules import REVIEW_STEPS, STEP_POOLED
from patents.selectors import RATE_LEGAL_STATUSES, patents_visible_to

UNDER_REVIEW = Q(inventory_status=InventoryStatus.INVENTORIED, review_status__in=REVIEW_STEPS)


def review_actionable_q(*, user: Any) -> Q:
    """The review steps `user` acts on: college admins the college step, officers the university's (and the college
    step of patents without a college admin — they keep the whole institution, so every step is in their queue)."""
    if is_college_admin(user):
        return Q(review_status=ReviewStatus.SUBMITTED)
    if is_officer(user):
        return Q(review_status__in=REVIEW_STEPS)
    return Q(pk__in=[])


def review_queue(*, user: Any, step: str = "", college_pk: int | None = None) -> QuerySet[Patent]:
    """The patents under review `user` sees and acts on, oldest change first, narrowed by step and college."""
    qs = patents_visible_to(user=user).filter(UNDER_REVIEW & review_actionable_q(user=user))
    if step:
        qs = qs.filter(review_status=step)
    if college_pk is not None:
        qs = qs.filter(college_id=college_pk)
    return qs.select_related("college", "review_submitted_by").order_by("updated_at", "pk")


def review_waiting_counts(*, user: Any) -> dict[str, int]:
    """How many patents wait for `user` at each review step they act on (the home page's links to the queue)."""
    counts: dict[str, int] = {str(step): 0 for step in REVIEW_STEPS}
    rows = review_queue(user=user).values_list("review_status").annotate(n=Count("pk")).order_by()
    counts.update({str(step): n for step, n in rows})
    counts["total"] = sum(counts.values())
    return counts


def review_colleges(*, user: Any) -> QuerySet[College]:
    """The colleges a reviewer filters the queue by: an officer's institution's, a college admin's own."""
    if is_college_admin(user):
        return College.objects.filter(pk=user.college_id)
    if is_officer(user):
        return College.objects.filter(institution_id=user.institution_id)
    return College.objects.none()


def my_patents(*, user: Any) -> QuerySet[Patent]:
    """An inventor's patents (the scoped queryset: those linked to them)."""
    return patents_visible_to(user=user).select_related("institution", "college").order_by("application_number")


# --- the share of inventoried patents at each step (the 盘点率 dashboard) ----------------------------------------

SHARE_STEPS = (ReviewStatus.SUBMITTED, ReviewStatus.COLLEGE_APPROVED, ReviewStatus.UNIVERSITY_APPROVED, STEP_POOLED)


@dataclass(frozen=True)
class StepShares:
    """One institution's (or college's) inventoried valid patents and how many stand at each step."""

    pk: int | None
    name: str
    inventoried: int
    steps: dict[str, int]

    def share(self, step: str) -> float | None:
        return self.steps.get(step, 0) / self.inventoried if self.inventoried else None

    @property
    def shares(self) -> list[tuple[str, int, float | None]]:
        return [(step, self.steps.get(step, 0), self.share(step)) for step in SHARE_STEPS]


def _step_counts(patents: QuerySet[Patent], key: str) -> dict[Any, dict[str, int]]:
    """Per `key`: the inventoried valid patents (as the 盘点率 counts them) and how many are at each step."""
    counts: dict[Any, dict[str, int]] = {}
    rows = (
        patents.filter(legal_status__in=RATE_LEGAL_STATUSES)
        .values_list(key, "inventory_status", "review_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for owner, status, review, n in rows:
        entry = counts.setdefault(owner, {"inventoried": 0})
        entry["inventoried"] += n
        step = STEP_POOLED if status == InventoryStatus.POOLED else review
        if status in (InventoryStatus.POOLED, InventoryStatus.INVENTORIED):
            entry[step] = entry.get(step, 0) + n
    return counts


def institution_step_shares(*, institutions: QuerySet[Institution]) -> list[StepShares]:
    """Per institution (by name): the share of its inventoried valid patents at each step of the review chain."""
    counts = _step_counts(Patent.objects.filter(institution__in=institutions), "institution_id")
    return [
        StepShares(i.pk, i.name, counts.get(i.pk, {}).get("inventoried", 0), counts.get(i.pk, {}))
        for i in institutions.order_by("name")
    ]


def college_step_shares(*, institution_pk: int) -> list[StepShares]:
    """Per college of the institution; patents filed under no college last (pk None)."""
    counts = _step_counts(Patent.objects.filter(institution_id=institution_pk), "college_id")
    rows = [
        StepShares(c.pk, c.name, counts.get(c.pk, {}).get("inventoried", 0), counts.get(c.pk, {}))
        for c in College.objects.filter(institution_id=institution_pk).order_by("code", "name")
    ]
    if None in counts:
        rows.append(StepShares(None, "", counts[None]["inventoried"], counts[None]))
    return rows

"""Who may act on a patent on its way into the pool (the review chain of patents.review): pure rules on a user and a
patent, no writes. The scoped querysets (patents.selectors) decide what a user sees; these decide what they may do."""

from typing import Any

from django.utils.translation import gettext

from accounts.access import is_college_admin, is_inventor, is_officer
from patents.models import InventoryStatus, Patent, PatentInventor, ReviewStatus

# the steps a patent passes, in order, as the queue and the 盘点率 dashboard show them
STEP_POOLED = "pooled"
STEP_NOT_POOLED = "not_pooled"
CHAIN_STEPS = (
    ReviewStatus.DRAFT,
    ReviewStatus.SUBMITTED,
    ReviewStatus.COLLEGE_APPROVED,
    ReviewStatus.UNIVERSITY_APPROVED,
    STEP_POOLED,
)
# the steps a reviewer acts on (approve or return)
REVIEW_STEPS = (ReviewStatus.SUBMITTED, ReviewStatus.COLLEGE_APPROVED, ReviewStatus.UNIVERSITY_APPROVED)


def review_step(patent: Patent) -> str:
    """Where the patent stands: pooled and not-pooled come from inventory_status (the pool itself), the rest from
    review_status."""
    if patent.inventory_status == InventoryStatus.POOLED:
        return STEP_POOLED
    if patent.inventory_status == InventoryStatus.NOT_POOLED:
        return STEP_NOT_POOLED
    return str(patent.review_status)


def review_step_label(patent: Patent) -> str:
    """The step as the inventor's pages show it: 已入库, 不予入库, 已退回 (a draft with a comment), or the status."""
    step = review_step(patent)
    if step == STEP_POOLED:
        return gettext("已入库")
    if step == STEP_NOT_POOLED:
        return gettext("不予入库")
    if step == ReviewStatus.DRAFT and patent.review_comment:
        return gettext("已退回")
    return str(patent.get_review_status_display())


def is_linked_inventor(user: Any, patent: Patent) -> bool:
    """An inventor's account linked to the patent."""
    return bool(
        is_inventor(user)
        and user.institution_id == patent.institution_id
        and PatentInventor.objects.filter(patent_id=patent.pk, user_id=user.pk).exists()
    )


def is_college_admin_of(user: Any, patent: Patent) -> bool:
    """The college admin of the patent's college."""
    return bool(
        is_college_admin(user)
        and user.institution_id == patent.institution_id
        and patent.college_id is not None
        and user.college_id == patent.college_id
    )


def is_officer_of(user: Any, patent: Patent) -> bool:
    """An officer of the patent's institution."""
    return bool(is_officer(user) and user.institution_id == patent.institution_id)


def may_describe(user: Any, patent: Patent) -> bool:
    """Officers and the college's admin describe the patent at any step; its inventors while it is a draft."""
    if is_officer_of(user, patent) or is_college_admin_of(user, patent):
        return True
    return review_step(patent) == ReviewStatus.DRAFT and is_linked_inventor(user, patent)


def may_submit(user: Any, patent: Patent) -> bool:
    """A draft is submitted by its inventors, its college's admin or the institution's officers."""
    return is_officer_of(user, patent) or is_college_admin_of(user, patent) or is_linked_inventor(user, patent)


def may_review(user: Any, patent: Patent, step: str) -> bool:
    """The college step is the college admin's (the officers keep the whole institution and may act for a college
    without one); the university's steps (approving, then pooling) are the officers'."""
    if step == ReviewStatus.SUBMITTED:
        return is_college_admin_of(user, patent) or is_officer_of(user, patent)
    if step in (ReviewStatus.COLLEGE_APPROVED, ReviewStatus.UNIVERSITY_APPROVED):
        return is_officer_of(user, patent)
    return False

"""Reads of follows: which follows a user may see (the rule of accounts.access), the list, and what the follow
and docking buttons on a patent's page show. `user` is a User or an AnonymousUser, as request.user is."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.access import is_city_staff, is_college_admin, is_enterprise_member, is_officer, is_province_staff
from accounts.models import User
from enterprises.models import (
    DockingRequest,
    DockingStatus,
    PatentFollow,
)
from patents.models import Patent


def follows_visible_to(*, user: Any) -> QuerySet[PatentFollow]:
    """Follows `user` may see: province all, city staff those of their city's institutions' patents (the funnel's
    被关注, by the university's city), officers those of their institution's patents, members their enterprise's."""
    qs = PatentFollow.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(patent__institution__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(patent__institution_id=user.institution_id)
    if is_college_admin(user):
        return qs.filter(patent__institution_id=user.institution_id, patent__college_id=user.college_id)
    if is_enterprise_member(user):
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def patent_follow_list(*, user: User) -> QuerySet[PatentFollow]:
    """Follows visible to `user` (the rule is `follows_visible_to`)."""
    return follows_visible_to(user=user).select_related(
        "enterprise", "enterprise__city", "patent", "patent__institution"
    )


@dataclass(frozen=True)
class PatentActionsState:
    """What the follow / request-docking buttons on a patent's page show for one user."""

    is_member: bool
    can_follow: bool
    is_following: bool
    can_request_docking: bool
    open_docking: DockingRequest | None
    follower_count: int | None  # only for officers of the owning institution


def patent_actions_state(*, user: User, patent: Patent) -> PatentActionsState:
    """Follow and docking state of one patent for the patent page's action buttons."""
    is_member = is_enterprise_member(user)
    is_following, open_docking, follower_count = False, None, None
    if is_member:
        assert user.enterprise_id is not None  # is_member checked it
        is_following = PatentFollow.objects.filter(enterprise_id=user.enterprise_id, patent=patent).exists()
        open_docking = (
            DockingRequest.objects.filter(enterprise_id=user.enterprise_id, patent=patent)
            .filter(status__in=[DockingStatus.SUBMITTED, DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING])
            .first()
        )
    elif is_officer(user) and user.institution_id == patent.institution_id:
        follower_count = PatentFollow.objects.filter(patent=patent).count()
    verified = is_member and user.enterprise is not None and user.enterprise.is_verified
    return PatentActionsState(
        is_member=is_member,
        can_follow=is_member and patent.is_pooled,
        is_following=is_following,
        can_request_docking=verified and patent.is_pooled and open_docking is None,
        open_docking=open_docking,
        follower_count=follower_count,
    )

"""Reads of technology needs: which needs a user may see (the rule of accounts.access), the list, one's own.
`user` is a User or an AnonymousUser, as request.user is."""

from typing import Any

from django.db.models import QuerySet

from accounts.access import is_city_staff, is_enterprise_member, is_officer, is_province_staff
from accounts.models import User
from enterprises.models import (
    TechNeed,
)


def needs_visible_to(*, user: Any) -> QuerySet[TechNeed]:
    """Needs `user` may see: province all, city staff their city's enterprises', officers the open ones, members their
    enterprise's."""
    qs = TechNeed.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(enterprise__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(status=TechNeed.Status.OPEN)
    if is_enterprise_member(user):
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def tech_need_list(*, user: User) -> QuerySet[TechNeed]:
    """Needs visible to `user` (the rule is `needs_visible_to`), with their enterprise."""
    return needs_visible_to(user=user).select_related("enterprise")


def tech_need_get_own(*, user: User, pk: int) -> TechNeed | None:
    """One of the user's own enterprise's needs (for editing), else None."""
    if not is_enterprise_member(user) or user.enterprise_id is None:  # (the second test narrows the type)
        return None
    return TechNeed.objects.filter(enterprise_id=user.enterprise_id, pk=pk).first()

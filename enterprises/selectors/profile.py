"""Reads of enterprises: which enterprises a user may see (the rule of accounts.access), the list, the
registration review queue and who reviews an enterprise. `user` is a User or an AnonymousUser, as request.user is."""

from typing import Any

from django.db.models import Q, QuerySet

from accounts.access import is_city_staff, is_enterprise_member, is_officer, is_province_staff
from accounts.models import Role, User
from enterprises.models import (
    Enterprise,
)


def enterprises_visible_to(*, user: Any) -> QuerySet[Enterprise]:
    """Enterprises `user` may see: province and officers all, city staff those in their city, members their own."""
    qs = Enterprise.objects.all()
    if is_province_staff(user) or is_officer(user):
        return qs
    if is_city_staff(user):
        return qs.filter(city_id=user.city_id)
    if is_enterprise_member(user):
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises visible to `user` (the rule is `enterprises_visible_to`), with their city."""
    return enterprises_visible_to(user=user).select_related("city")


def enterprise_review_queue(*, user: User) -> QuerySet[Enterprise]:
    """Registrations waiting for manual review that `user` may decide (province bureau and admins all, city its own)."""
    if not (is_province_staff(user) or is_city_staff(user)):
        return Enterprise.objects.none()
    qs = enterprises_visible_to(user=user).select_related("city").filter(verification=Enterprise.Verification.REVIEW)
    return qs.order_by("created_at", "pk")


def enterprise_reviewers(*, enterprise: Enterprise) -> list[User]:
    """The bureau staff who review this enterprise's registration or claims: the province, and its city's bureau."""
    scope = Q(role=Role.BUREAU_PROVINCE)
    if enterprise.city_id:
        scope |= Q(role=Role.BUREAU_CITY, city_id=enterprise.city_id)
    return list(User.objects.filter(scope, is_active=True))

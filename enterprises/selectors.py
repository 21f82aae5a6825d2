"""Reads for enterprises and needs, scoped to what the user may see."""

from django.db.models import QuerySet

from accounts.models import Role, User
from enterprises.models import Enterprise, TechNeed


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises visible to `user`: members their own; bureau (city staff: their city), officers, admins all."""
    qs = Enterprise.objects.select_related("city")
    if not user.is_authenticated:
        return qs.none()
    if user.is_platform_admin or user.role in (Role.BUREAU_PROVINCE, Role.OFFICER):
        return qs
    if user.role == Role.BUREAU_CITY:
        return qs.filter(city_id=user.city_id)
    if user.role == Role.ENTERPRISE:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def tech_need_list(*, user: User) -> QuerySet[TechNeed]:
    """Needs visible to `user`: members their enterprise's, everyone else with a role the open ones."""
    qs = TechNeed.objects.select_related("enterprise")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=user.enterprise_id)
    if user.is_platform_admin or user.role in (Role.BUREAU_PROVINCE, Role.BUREAU_CITY, Role.OFFICER):
        return qs.filter(status=TechNeed.Status.OPEN) if user.role == Role.OFFICER else qs
    return qs.none()

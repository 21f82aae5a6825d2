"""Who may see what: the role predicates and one scoped queryset per model, used by every page, API, export and command.

The rule, per role:
- platform admins and the province bureau: everything;
- city bureau staff: only their city — patents whose institution is in the city, enterprises in the city and those
  enterprises' needs, follows and docking requests (never a row of another city, also not by pk);
- tech-transfer officers: their institution's patents, follows and docking requests; every enterprise; open needs;
- enterprise members: pooled patents; their own enterprise, needs, follows and docking requests;
- anyone else (anonymous, no role): nothing.

The pool rule (what search and recommendations show) is `patents_pooled_visible_to`: visible AND pooled, read live, so
a patent withdrawn from the pool disappears at once from both.
Selectors add their select_related/annotations on top of these querysets; they never widen them.
"""

from typing import Any

from django.db.models import QuerySet

from accounts.models import Role
from enterprises.models import DockingRequest, Enterprise, PatentFollow, TechNeed
from patents.models import InventoryStatus, Patent

# --- role predicates ------------------------------------------------------------------------------
# `user` is a User or AnonymousUser (typed Any: request.user is either).


def is_province_staff(user: Any) -> bool:
    """Platform admins and province bureau staff: the whole province."""
    return bool(user.is_authenticated and (user.is_platform_admin or user.role == Role.BUREAU_PROVINCE))


def is_city_staff(user: Any) -> bool:
    """City bureau staff: their city only (a check constraint guarantees the city)."""
    return bool(user.is_authenticated and user.role == Role.BUREAU_CITY and user.city_id is not None)


def is_bureau(user: Any) -> bool:
    """Bureau staff of the province or of a city."""
    return bool(user.is_authenticated and user.role in (Role.BUREAU_PROVINCE, Role.BUREAU_CITY))


def is_officer(user: Any) -> bool:
    """A tech-transfer officer bound to an institution."""
    return bool(user.is_authenticated and user.role == Role.OFFICER and user.institution_id is not None)


def is_enterprise_member(user: Any) -> bool:
    """A member bound to an enterprise."""
    return bool(user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id is not None)


# --- scoped querysets -----------------------------------------------------------------------------


def patents_visible_to(user: Any) -> QuerySet[Patent]:
    """Patents `user` may see: province all, city staff their city's institutions', officers their institution's,
    enterprise members the pooled ones."""
    qs = Patent.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(institution__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(institution_id=user.institution_id)
    if is_enterprise_member(user):
        return qs.filter(inventory_status=InventoryStatus.POOLED)
    return qs.none()


def patents_pooled_visible_to(user: Any) -> QuerySet[Patent]:
    """The pool as `user` sees it: visible and pooled now (search and recommendations both read through this)."""
    return patents_visible_to(user).filter(inventory_status=InventoryStatus.POOLED)


def enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    """Enterprises `user` may see: province and officers all, city staff those in their city, members their own."""
    qs = Enterprise.objects.all()
    if is_province_staff(user) or is_officer(user):
        return qs
    if is_city_staff(user):
        return qs.filter(city_id=user.city_id)
    if is_enterprise_member(user):
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def needs_visible_to(user: Any) -> QuerySet[TechNeed]:
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


def follows_visible_to(user: Any) -> QuerySet[PatentFollow]:
    """Follows `user` may see: province all, city staff their city's enterprises', officers those of their
    institution's patents, members their enterprise's."""
    qs = PatentFollow.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(enterprise__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(patent__institution_id=user.institution_id)
    if is_enterprise_member(user):
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def dockings_visible_to(user: Any) -> QuerySet[DockingRequest]:
    """Docking requests `user` may see: province all, city staff their city's enterprises', officers their
    institution's, members their enterprise's."""
    qs = DockingRequest.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(enterprise__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(institution_id=user.institution_id)
    if is_enterprise_member(user):
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def docking_visible_to(user: Any, docking: DockingRequest) -> bool:
    """Whether `user` may see this one request (the same rule as `dockings_visible_to`, without a query)."""
    if is_province_staff(user):
        return True
    if is_city_staff(user):
        return docking.enterprise.city_id == user.city_id
    if is_officer(user):
        return docking.institution_id == user.institution_id
    if is_enterprise_member(user):
        return docking.enterprise_id == user.enterprise_id
    return False

"""Reads for institutions and patents, scoped to what the user may see."""

from django.db.models import Count, QuerySet

from accounts.models import Role, User
from patents.models import Institution, InventoryStatus, Patent


def patent_list(*, user: User) -> QuerySet[Patent]:
    """Patents visible to `user`: officers their institution's, bureau and admins all, enterprises pooled only."""
    qs = Patent.objects.select_related("institution", "institution__city")
    if not user.is_authenticated:
        return qs.none()
    if user.is_platform_admin or user.role in (Role.BUREAU_PROVINCE, Role.BUREAU_CITY):
        return qs
    if user.role == Role.OFFICER:
        return qs.filter(institution_id=user.institution_id) if user.institution_id is not None else qs.none()
    if user.role == Role.ENTERPRISE:
        return qs.filter(inventory_status=InventoryStatus.POOLED)
    return qs.none()


def patent_get(*, user: User, pk: int) -> Patent | None:
    """One patent if `user` may see it, else None (callers answer 404, never 403, to hide existence)."""
    return patent_list(user=user).filter(pk=pk).first()


def institution_list() -> QuerySet[Institution]:
    """Institutions taking part, with their city."""
    return Institution.objects.select_related("city").filter(is_active=True)


def patent_counts_for_institution(*, institution: Institution) -> dict[str, int]:
    """How many of an institution's patents are in each inventory status (for the officer's home page)."""
    counts = dict.fromkeys(InventoryStatus.values, 0)
    counts.update(  # one GROUP BY instead of fetching every status row
        Patent.objects.filter(institution=institution)
        .values_list("inventory_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts["total"] = sum(counts.values())
    return counts

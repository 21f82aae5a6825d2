"""Reads for institutions and patents, scoped to what the user may see."""

from django.db.models import Count, QuerySet

from accounts.access import patents_visible_to
from accounts.models import User
from patents.models import Institution, InventoryStatus, Patent


def patent_list(*, user: User) -> QuerySet[Patent]:
    """Patents visible to `user` (the rule is `accounts.access.patents_visible_to`), with institution and city."""
    return patents_visible_to(user).select_related("institution", "institution__city")


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

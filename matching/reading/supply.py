"""冷门 for an officer: the institution's pooled patents that no enterprise ranks in its top MATCHING_TOP_K above
SUPPLY_DEMAND_THRESHOLD (no patents.PatentDemand row) SUPPLY_COLD_DAYS days or more after they were pooled, so the
officer can revise the title, abstract or terms. Reads only. docs/supply_demand.md."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.supply import cold_days
from matching.runs.current import current_run
from patents.models import InventoryStatus, Patent, PatentStatusChange


def cold_patents(*, patents: QuerySet[Patent]) -> QuerySet[Patent]:
    """Those of `patents` pooled SUPPLY_COLD_DAYS days ago or more with no demand in the current run, longest pooled
    first, annotated with `pooled_at` (their last change to 已入库, their creation when none was recorded); none
    before the first run (no run: no demand known)."""
    if current_run() is None:
        return patents.none()
    cutoff = timezone.now() - timedelta(days=cold_days())
    last = (
        PatentStatusChange.objects.filter(patent_id=OuterRef("pk"), to_status=InventoryStatus.POOLED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        patents.filter(inventory_status=InventoryStatus.POOLED, demand__isnull=True)
        .annotate(pooled_at=Coalesce(Subquery(last, output_field=DateTimeField()), "created_at"))
        .filter(pooled_at__lte=cutoff)
        .order_by("pooled_at", "pk")
    )


def institution_cold_patents(*, institution_id: int) -> QuerySet[Patent]:
    """The institution's 冷门 patents."""
    return cold_patents(patents=Patent.objects.filter(institution_id=institution_id))

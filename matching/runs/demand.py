"""A pooled patent's demand (patents.PatentDemand) aggregated from the rows a run already stored: the enterprises
whose top-k list holds it at a score of at least SUPPLY_DEMAND_THRESHOLD, their open needs, its best score there.
One GROUP BY over the run's rows when the run finalises (no second ranking pass); the patents of one enterprise's
old and new list again when the live index re-ranks that enterprise (a need created, edited or closed). Writes.
docs/supply_demand.md."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from enterprises.models import TechNeed
from matching.models import Recommendation
from patents.models import InventoryStatus, Patent, PatentDemand


def _aggregate_sql(*, only: list[int] | None) -> tuple[str, list[Any]]:
    demand, rec = PatentDemand._meta.db_table, Recommendation._meta.db_table
    need, patent = TechNeed._meta.db_table, Patent._meta.db_table
    sql = (
        f"INSERT INTO {demand} (patent_id, run_id, enterprises, needs, best_score) "
        f"SELECT r.patent_id, r.run_id, COUNT(*), COALESCE(SUM(n.open_needs), 0), MAX(r.score) "
        f"FROM {rec} r JOIN {patent} p ON p.id = r.patent_id AND p.inventory_status = %s "
        f"LEFT JOIN (SELECT enterprise_id, COUNT(*) AS open_needs FROM {need} WHERE status = %s "
        f"GROUP BY enterprise_id) n ON n.enterprise_id = r.enterprise_id "
        f"WHERE r.run_id = %s AND r.score >= %s AND r.rank <= %s"
    )
    params: list[Any] = [InventoryStatus.POOLED, TechNeed.Status.OPEN]
    if only is not None:
        sql += f" AND r.patent_id IN ({', '.join(['%s'] * len(only))})"
    sql += " GROUP BY r.patent_id, r.run_id"
    return sql, params


def patent_demand_rebuild(*, run_id: int) -> int:
    """Replace every patent's demand by the one in run `run_id` (inside the run's finalise transaction). Returns the
    number of patents with demand."""
    PatentDemand.objects.all().delete()
    sql, params = _aggregate_sql(only=None)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, run_id, settings.SUPPLY_DEMAND_THRESHOLD, settings.MATCHING_TOP_K])
    return PatentDemand.objects.count()


@transaction.atomic
def patent_demand_refresh(*, run_id: int, patent_ids: Iterable[int]) -> None:
    """Recompute the demand of `patent_ids` from run `run_id`'s rows as they are now (an enterprise re-ranked)."""
    ids = sorted(set(patent_ids))
    for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        part = ids[start : start + 500]
        PatentDemand.objects.filter(patent_id__in=part).delete()
        sql, params = _aggregate_sql(only=part)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, run_id, settings.SUPPLY_DEMAND_THRESHOLD, settings.MATCHING_TOP_K, *part])

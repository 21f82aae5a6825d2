"""A pooled patent's demand (patents.PatentDemand), and each enterprise's closest pooled supply (EnterpriseSupply),
aggregated from the rows a run already stored. Demand: the enterprises
whose top-k list holds it at a score of at least SUPPLY_DEMAND_THRESHOLD, their open needs, its best score there.
The run's finalise sums what its chunks kept (matching.runs.chunk_demand) and falls back on one GROUP BY over the
run's rows here (no second ranking pass either way); the patents of one enterprise's old and new list are aggregated
again when the live index re-ranks that enterprise (a need created, edited or closed). Writes.
docs/supply_demand.md."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from core.supply import demand_threshold
from enterprises.models import TechNeed
from matching.models import EnterpriseSupply, Recommendation
from patents.models import InventoryStatus, Patent, PatentDemand

# the demand tables' writers take turns (PostgreSQL): two enterprises re-ranked at once refresh the same patents' rows
# (delete, then insert), and without turns the second insert meets the first's rows (a duplicate key) or the two wait
# on each other's rows (a deadlock); the finalise's rebuild takes the same turn. SQLite writes one at a time anyway.
_DEMAND_LOCK = 2_706_027


def demand_turn_take() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DEMAND_LOCK])


def _demand_insert() -> str:
    return f"INSERT INTO {PatentDemand._meta.db_table} (patent_id, run_id, enterprises, needs, best_score) "


def _aggregate_sql(*, only: list[int] | None) -> tuple[str, list[Any]]:
    """The SELECT of each patent's demand (patent_id, run_id, enterprises, needs, best_score) and its first params."""
    rec, need, patent = Recommendation._meta.db_table, TechNeed._meta.db_table, Patent._meta.db_table
    sql = (
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
    demand_turn_take()
    PatentDemand.objects.all().delete()
    sql, params = _aggregate_sql(only=None)
    with connection.cursor() as cursor:
        cursor.execute(_demand_insert() + sql, [*params, run_id, demand_threshold(), settings.MATCHING_TOP_K])
    return PatentDemand.objects.count()


@transaction.atomic
def patent_demand_refresh(*, run_id: int, patent_ids: Iterable[int]) -> None:
    """Recompute the demand of `patent_ids` from run `run_id`'s rows as they are now (enterprises re-ranked).

    The rows have no index by patent (it would double every chunk's COPY), so each call scans the run's rows: on
    PostgreSQL all the patents in one parallel SELECT (an INSERT…SELECT never runs in parallel; JIT off: compiling
    cost more than the scan saves), its few result rows inserted after; a caller re-ranking many enterprises refreshes
    their patents once (matching.live.rerank.patents_recommend_now)."""
    demand_turn_take()
    ids = sorted(set(patent_ids))
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    size = len(ids) if postgres else 500  # SQLite's bound-parameter limit
    for start in range(0, len(ids), max(size, 1)):
        part = ids[start : start + size]
        sql, params = _aggregate_sql(only=part)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, run_id, demand_threshold(), settings.MATCHING_TOP_K, *part])
            found = cursor.fetchall()
        PatentDemand.objects.filter(patent_id__in=part).delete()
        PatentDemand.objects.bulk_create(
            [PatentDemand(patent_id=p, run_id=r, enterprises=e, needs=n, best_score=b) for p, r, e, n, b in found]
        )


def _supply_sql(*, only: list[int] | None) -> list[str]:
    """The statements that write EnterpriseSupply: on PostgreSQL one INSERT of each enterprise's best pooled row
    (DISTINCT ON: one sort of the run's rows); elsewhere the best score grouped, then the best patent per row."""
    supply, rec, patent = EnterpriseSupply._meta.db_table, Recommendation._meta.db_table, Patent._meta.db_table
    within = f" AND r.enterprise_id IN ({', '.join(['%s'] * len(only))})" if only is not None else ""
    pooled = f"JOIN {patent} p ON p.id = r.patent_id AND p.inventory_status = %s"
    if connection.vendor == "postgresql":
        return [
            f"INSERT INTO {supply} (enterprise_id, run_id, best_score, best_patent_id) "
            f"SELECT DISTINCT ON (r.enterprise_id) r.enterprise_id, r.run_id, r.score, r.patent_id "
            f"FROM {rec} r {pooled} WHERE r.run_id = %s AND r.rank <= %s{within} "
            f"ORDER BY r.enterprise_id, r.score DESC, r.patent_id"
        ]
    best = (
        f"SELECT r.patent_id FROM {rec} r {pooled} WHERE r.run_id = {supply}.run_id "
        f"AND r.enterprise_id = {supply}.enterprise_id ORDER BY r.score DESC, r.patent_id LIMIT 1"
    )
    return [
        f"INSERT INTO {supply} (enterprise_id, run_id, best_score) SELECT r.enterprise_id, r.run_id, MAX(r.score) "
        f"FROM {rec} r {pooled} WHERE r.run_id = %s AND r.rank <= %s{within} GROUP BY r.enterprise_id, r.run_id",
        f"UPDATE {supply} SET best_patent_id = ({best})"
        + (f" WHERE enterprise_id IN ({', '.join(['%s'] * len(only))})" if only is not None else ""),
    ]


def _supply_write(*, run_id: int, only: list[int] | None) -> None:
    statements = _supply_sql(only=only)
    ids = list(only or [])
    with connection.cursor() as cursor:
        cursor.execute(statements[0], [InventoryStatus.POOLED, run_id, settings.MATCHING_TOP_K, *ids])
        if len(statements) > 1:
            cursor.execute(statements[1], [InventoryStatus.POOLED, *ids])


def enterprise_supply_rebuild(*, run_id: int) -> None:
    """Replace every enterprise's closest pooled supply by the one in run `run_id` (the run's finalise)."""
    demand_turn_take()
    EnterpriseSupply.objects.all().delete()
    _supply_write(run_id=run_id, only=None)


@transaction.atomic
def supply_and_demand_rebuild(*, run_id: int) -> int:
    """patent_demand_rebuild then enterprise_supply_rebuild, the same rows (the run's finalise). Returns the number of
    patents with demand. On PostgreSQL each aggregate is a parallel SELECT (an INSERT…SELECT never is) into a temporary
    table, JIT off, supply by hash aggregation (the greatest [score, -patent_id] per enterprise: best score, then the
    smallest patent id) instead of a sort; then one short INSERT of the 45k / 26k result rows. ~1.4× faster at
    45,000 × 26,000: bench/demand_rebuild.py, docs/supply_demand.md."""
    demand_turn_take()
    if connection.vendor != "postgresql":
        patents = patent_demand_rebuild(run_id=run_id)
        enterprise_supply_rebuild(run_id=run_id)
        return patents
    PatentDemand.objects.all().delete()
    EnterpriseSupply.objects.all().delete()
    supply = EnterpriseSupply._meta.db_table
    rec, patent = Recommendation._meta.db_table, Patent._meta.db_table
    select, params = _aggregate_sql(only=None)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("DROP TABLE IF EXISTS demand_agg, supply_agg")
        cursor.execute(
            f"CREATE TEMPORARY TABLE demand_agg AS {select}",
            [*params, run_id, demand_threshold(), settings.MATCHING_TOP_K],
        )
        cursor.execute(_demand_insert() + "SELECT * FROM demand_agg")
        cursor.execute(
            f"CREATE TEMPORARY TABLE supply_agg AS SELECT r.enterprise_id, "
            f"MAX(ARRAY[r.score, -r.patent_id::float8]) AS best FROM {rec} r "
            f"JOIN {patent} p ON p.id = r.patent_id AND p.inventory_status = %s "
            f"WHERE r.run_id = %s AND r.rank <= %s GROUP BY r.enterprise_id",
            [InventoryStatus.POOLED, run_id, settings.MATCHING_TOP_K],
        )
        cursor.execute(
            f"INSERT INTO {supply} (enterprise_id, run_id, best_score, best_patent_id) "
            f"SELECT enterprise_id, %s, best[1], (-best[2])::bigint FROM supply_agg",
            [run_id],
        )
        cursor.execute("SELECT COUNT(*) FROM demand_agg")
        patents = int(cursor.fetchone()[0])
        cursor.execute("DROP TABLE demand_agg, supply_agg")
    return patents


@transaction.atomic
def enterprise_supply_refresh(*, run_id: int, enterprise_ids: list[int]) -> None:
    """Recompute the closest pooled supply of `enterprise_ids` from run `run_id`'s rows (an enterprise re-ranked)."""
    demand_turn_take()
    EnterpriseSupply.objects.filter(enterprise_id__in=enterprise_ids).delete()
    _supply_write(run_id=run_id, only=enterprise_ids)

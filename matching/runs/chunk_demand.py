"""Supply and demand summed from the chunks (issue 27's run budget): each chunk, while it holds its rows as arrays,
keeps what the finalise's aggregation needs of them — per patent the enterprises whose list holds it at a score of at
least SUPPLY_DEMAND_THRESHOLD, their open needs and its best score there; per enterprise its best row (score, then
the smallest patent id) — in a small file beside the run's others (``demand-<n>.npz``). The finalise then sums ~45,000
× chunks numbers instead of reading the run's 1.3 M stored rows twice, and writes the 45k + 26k result rows.

The figures equal matching.runs.demand's aggregation over the stored rows, with one difference in time: a patent's
open needs are counted when its chunk is ranked, not when the run finalises (seconds to minutes apart). When the
finalise cannot trust the sums — a chunk's file is missing (a chunk written before this code), a patent of the run
left the pool or an enterprise was deleted while it ran — it returns None and the caller aggregates the stored rows
(matching.runs.demand.supply_and_demand_rebuild). Writes (the finalise's part). docs/supply_demand.md."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count

from core.supply import demand_threshold
from enterprises.models import Enterprise, TechNeed
from matching.models import EnterpriseSupply, MatchRun
from matching.runs.artifacts import run_file_read, run_file_save
from matching.runs.demand import demand_turn_take
from matching.runs.rows import RecommendationRows
from patents.models import InventoryStatus, Patent, PatentDemand


def _name(number: int) -> str:
    return f"demand-{number}.npz"


def _open_needs(enterprise_ids: np.ndarray) -> np.ndarray:
    """The number of open needs of each of `enterprise_ids` (distinct; in their order), in one query."""
    counts = dict(
        TechNeed.objects.filter(enterprise__pk__any_of=enterprise_ids, status=TechNeed.Status.OPEN)
        .values_list("enterprise_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return np.array([counts.get(e, 0) for e in enterprise_ids.tolist()], dtype=np.int64)


def _owner_runs(owners: np.ndarray) -> np.ndarray | None:
    """Where each enterprise's rows start, when each enterprise's rows are consecutive (a chunk's rows are, in query
    order: matching.runs.chunks._rows); None otherwise."""
    if not len(owners):
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    return starts if len(np.unique(owners[starts])) == len(starts) else None


def chunk_demand_arrays(rows: RecommendationRows) -> dict[str, np.ndarray]:
    """What the finalise needs of a chunk's rows: per patent (at the demand threshold) the enterprises, their open
    needs and the best score; per enterprise its best row (score descending, then the smallest patent id).
    Linear in the rows when each enterprise's rows are consecutive (as a chunk's are): no sort of the rows by
    enterprise and one query for the chunk's enterprises' open needs (~15 ms for 100,000 rows, ~50 ms before)."""
    owners, scores, patent_ids = rows.enterprise_ids, rows.scores, rows.patent_ids
    starts = _owner_runs(owners)
    if starts is None:  # rows of an enterprise apart: sorted by enterprise first (same figures)
        order = np.argsort(owners, kind="stable")
        owners, scores, patent_ids = owners[order], scores[order], patent_ids[order]
        starts = _owner_runs(owners)
        assert starts is not None
    lengths = np.diff(np.r_[starts, len(owners)])
    passing = scores >= demand_threshold()
    patents, at = np.unique(patent_ids[passing], return_inverse=True)
    needs = np.repeat(_open_needs(owners[starts]), lengths)[passing]
    best = np.full(len(patents), -np.inf)
    np.maximum.at(best, at, scores[passing])
    if len(starts):
        supply_scores = np.maximum.reduceat(scores, starts)
        at_best = scores == np.repeat(supply_scores, lengths)
        supply_patents = np.minimum.reduceat(np.where(at_best, patent_ids, np.iinfo(np.int64).max), starts)
    else:
        supply_scores, supply_patents = np.empty(0), np.empty(0, dtype=np.int64)
    return {
        "patent_ids": patents.astype(np.int64),
        "enterprises": np.bincount(at, minlength=len(patents)).astype(np.int64),
        "needs": np.bincount(at, weights=needs, minlength=len(patents)).astype(np.int64),
        "best": best,
        "supply_enterprise_ids": owners[starts].astype(np.int64),
        "supply_scores": supply_scores.astype(np.float64),
        "supply_patent_ids": supply_patents.astype(np.int64),
    }


def chunk_demand_save(*, run: MatchRun, number: int, rows: RecommendationRows) -> None:
    """Keep chunk `number`'s share of the run's supply and demand (before its rows are committed: a chunk marked done
    always has its file; a copy ranked again writes the same numbers)."""
    run_file_save(run=run, name=_name(number), arrays=chunk_demand_arrays(rows))


@dataclass(frozen=True)
class RunDemand:
    """The run's supply and demand summed over its chunks: per patent (enterprises, needs, best score) and per
    enterprise (best score, best patent), as arrays sorted by id."""

    patent_ids: np.ndarray
    enterprises: np.ndarray
    needs: np.ndarray
    best: np.ndarray
    supply_enterprise_ids: np.ndarray
    supply_scores: np.ndarray
    supply_patent_ids: np.ndarray


def run_demand_sum(*, run: MatchRun) -> RunDemand | None:
    """The chunks' shares summed; None when a chunk's file is missing."""
    numbers = sorted(run.chunks.values_list("number", flat=True))
    parts: list[dict[str, np.ndarray]] = []
    for number in numbers:
        payload = run_file_read(run=run, name=_name(number))
        if payload is None:
            return None
        with np.load(io.BytesIO(payload)) as archive:
            parts.append({name: archive[name] for name in archive.files})

    def joined(name: str, dtype: type) -> np.ndarray:
        return np.concatenate([p[name] for p in parts]) if parts else np.empty(0, dtype=dtype)

    patents, at = np.unique(joined("patent_ids", np.int64), return_inverse=True)
    best = np.full(len(patents), -np.inf)
    np.maximum.at(best, at, joined("best", np.float64))
    owners = joined("supply_enterprise_ids", np.int64)
    order = np.argsort(owners, kind="stable")  # every enterprise is in one chunk: one row each
    return RunDemand(
        patent_ids=patents,
        enterprises=np.bincount(at, weights=joined("enterprises", np.int64), minlength=len(patents)).astype(np.int64),
        needs=np.bincount(at, weights=joined("needs", np.int64), minlength=len(patents)).astype(np.int64),
        best=best,
        supply_enterprise_ids=owners[order],
        supply_scores=joined("supply_scores", np.float64)[order],
        supply_patent_ids=joined("supply_patent_ids", np.int64)[order],
    )


def _unchanged(summed: RunDemand) -> bool:
    """Every patent the sums name is still pooled and every enterprise still exists (else the stored rows decide)."""
    named = np.union1d(summed.patent_ids, summed.supply_patent_ids)
    pooled = np.fromiter(
        Patent.objects.filter(inventory_status=InventoryStatus.POOLED).values_list("pk", flat=True).order_by(),
        dtype=np.int64,
    )
    if not np.isin(named, pooled).all():
        return False
    existing = np.fromiter(Enterprise.objects.values_list("pk", flat=True).order_by(), dtype=np.int64)
    return bool(np.isin(summed.supply_enterprise_ids, existing).all())


def _copy(table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO("".join(lines)))


def supply_and_demand_from_chunks(*, run: MatchRun) -> int | None:
    """Replace every patent's demand and every enterprise's closest supply by run `run`'s, summed from its chunks
    (inside the finalise's transaction; it takes the demand writers' turn). Returns the number of patents
    with demand, or None (nothing written) when the sums cannot be trusted."""
    summed = run_demand_sum(run=run)
    if summed is None:
        return None
    demand_turn_take()  # then nobody refreshes a patent's demand between the check and the writes
    if not _unchanged(summed):
        return None
    PatentDemand.objects.all().delete()
    EnterpriseSupply.objects.all().delete()
    figures = (summed.patent_ids, summed.enterprises, summed.needs, summed.best)
    demand = zip(*(column.tolist() for column in figures), strict=True)
    supply = zip(
        summed.supply_enterprise_ids.tolist(),
        summed.supply_scores.tolist(),
        summed.supply_patent_ids.tolist(),
        strict=True,
    )
    if connection.vendor == "postgresql":
        # repr() of a float is its shortest exact form: PostgreSQL reads back the very double the chunk computed
        _copy(
            PatentDemand._meta.db_table,
            ("patent_id", "run_id", "enterprises", "needs", "best_score"),
            [f"{p}\t{run.pk}\t{e}\t{n}\t{b!r}\n" for p, e, n, b in demand],
        )
        _copy(
            EnterpriseSupply._meta.db_table,
            ("enterprise_id", "run_id", "best_score", "best_patent_id"),
            [f"{e}\t{run.pk}\t{s!r}\t{p}\n" for e, s, p in supply],
        )
    else:
        PatentDemand.objects.bulk_create(
            [PatentDemand(patent_id=p, run_id=run.pk, enterprises=e, needs=n, best_score=b) for p, e, n, b in demand],
            batch_size=2000,
        )
        EnterpriseSupply.objects.bulk_create(
            [EnterpriseSupply(enterprise_id=e, run_id=run.pk, best_score=s, best_patent_id=p) for e, s, p in supply],
            batch_size=2000,
        )
    return len(summed.patent_ids)

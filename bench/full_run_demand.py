"""bench/full_run.py's supply-and-demand figures (issue 27): the finalise's two ways and the chunks' side."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def supply_and_demand_off() -> Iterator[None]:
    """Runs without issue 27's supply and demand (the baseline of its budget): no chunk keeps a share and the
    finalise writes no demand — what the run did before the feature. Put back on leaving."""
    from matching.runs import chunks, finalise, inline

    saved = (chunks.chunk_demand_save, inline.chunk_demand_save, finalise.supply_and_demand_from_chunks)

    def no_share(**_: object) -> None:
        return None

    chunks.chunk_demand_save = inline.chunk_demand_save = no_share
    finalise.supply_and_demand_from_chunks = lambda **_: 0  # a number: the finalise does not aggregate the rows
    try:
        yield
    finally:
        chunks.chunk_demand_save, inline.chunk_demand_save, finalise.supply_and_demand_from_chunks = saved


def with_and_without(measure: Callable[[str], tuple[object, float]]) -> tuple[list, list]:
    """Two warm runs with supply and demand and two without, in the order with, without, without, with (a drift of
    the machine's speed during the four weighs on both sides alike): ([(run, cpu), …] with, [...] without)."""
    with_runs = [measure("bench-warm")]
    with supply_and_demand_off():
        without_runs = [measure("bench-no-demand"), measure("bench-no-demand")]
    with_runs.append(measure("bench-warm"))
    return with_runs, without_runs


def demand_baseline(run) -> dict[str, float | bool]:
    """The run's supply and demand both ways, in rolled-back transactions: aggregated from its 1.3 M stored rows
    (supply_and_demand_rebuild: what the finalise did before the chunks kept their shares, the baseline) and summed
    from the chunks' files (what the finalise does now), with the same rows written; and the chunks' side of it: each
    chunk's share taken again from its rows (what every chunk task now adds before writing them)."""
    import numpy as np
    from django.conf import settings
    from django.db import transaction

    from matching.models import EnterpriseSupply, Recommendation
    from matching.runs.artifacts import run_artifacts
    from matching.runs.chunk_demand import chunk_demand_arrays, supply_and_demand_from_chunks
    from matching.runs.demand import supply_and_demand_rebuild
    from matching.runs.rows import RecommendationRows
    from patents.models import PatentDemand

    def written() -> tuple[list, list]:
        return (
            list(PatentDemand.objects.order_by("pk").values_list("pk", "enterprises", "needs", "best_score")),
            list(EnterpriseSupply.objects.order_by("pk").values_list("pk", "best_score", "best_patent_id")),
        )

    def timed(write) -> tuple[float, tuple[list, list]]:  # noqa: ANN001
        with transaction.atomic():
            started = time.perf_counter()
            write()
            seconds = time.perf_counter() - started
            rows = written()
            transaction.set_rollback(True)
        return seconds, rows

    rows_s, by_rows = timed(lambda: supply_and_demand_rebuild(run_id=run.pk))
    chunks_s, by_chunks = timed(lambda: supply_and_demand_from_chunks(run=run))
    _, _, enterprise_ids = run_artifacts(run)
    size, shares_s = settings.MATCHING_ENTERPRISE_CHUNK, 0.0
    for start in range(0, len(enterprise_ids), size):
        owners = enterprise_ids[start : start + size].tolist()
        stored = Recommendation.objects.filter(run=run, enterprise_id__in=owners)
        found = np.array(stored.values_list("enterprise_id", "patent_id", "score"), dtype=np.float64).reshape(-1, 3)
        n = len(found)
        chunk = RecommendationRows(
            run_id=run.pk, enterprise_ids=found[:, 0].astype(np.int64), patent_ids=found[:, 1].astype(np.int64),
            ranks=np.ones(n, np.int16), scores=found[:, 2], semantic=np.zeros(n), final_scores=found[:, 2],
            terms=["[]"] * n,
        )  # fmt: skip
        started = time.perf_counter()
        chunk_demand_arrays(chunk)
        shares_s += time.perf_counter() - started
    return {
        "demand_from_rows_s": round(rows_s, 2),
        "demand_from_chunks_s": round(chunks_s, 2),
        "demand_chunk_shares_s": round(shares_s, 2),
        "demand_same_rows": by_rows == by_chunks,
    }

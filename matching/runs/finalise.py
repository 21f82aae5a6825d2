"""Finalising a run: when its last chunk is done it becomes the run readers see (atomically), and the runs before the
previous one lose their rows and files. Writes."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone

from matching.models import MatchRun, Recommendation
from matching.runs.artifacts import run_artifacts_delete
from matching.runs.chunk_demand import supply_and_demand_from_chunks
from matching.runs.current import current_run_forget
from matching.runs.demand import supply_and_demand_rebuild
from matching.runs.writes import recommendations_of_runs_delete_in_short_transactions


def match_run_finalize_if_complete(*, run_pk: int) -> bool:
    """When every chunk is done, make this run the one readers see (atomically) and drop runs older than the last.

    PostgreSQL drops their rows in the same transaction; SQLite (one writer at a time) right after it, in short
    transactions — nobody reads those runs any more, and a crash in between leaves rows the next run drops."""
    finished, stale = _match_run_finalize(run_pk=run_pk)
    if stale:
        recommendations_of_runs_delete_in_short_transactions(run_ids=stale)
    return finished


@transaction.atomic
def _match_run_finalize(*, run_pk: int) -> tuple[bool, list[int]]:
    """match_run_finalize_if_complete's transaction: (finished, the runs whose rows are still to drop)."""
    run = MatchRun.objects.select_for_update().get(pk=run_pk)
    done = run.chunks.filter(done=True).count()
    if run.status != MatchRun.Status.RUNNING:
        return run.status == MatchRun.Status.DONE, []
    if done < run.chunks_total:
        MatchRun.objects.filter(pk=run.pk).update(progress=10 + int(89 * done / max(run.chunks_total, 1)))
        return False, []
    started = time.perf_counter()
    previous = list(MatchRun.objects.filter(is_current=True).exclude(pk=run.pk).values_list("pk", flat=True))
    MatchRun.objects.filter(pk__in=previous).update(is_current=False)
    total = run.recommendations.count()
    chunk_seconds = sum(run.chunks.values_list("seconds", flat=True))
    stale = MatchRun.objects.filter(status__in=[MatchRun.Status.DONE, MatchRun.Status.FAILED]).exclude(
        pk__in=[run.pk, *previous]
    )
    stale_later = list(stale.values_list("pk", flat=True)) if connection.vendor != "postgresql" else []
    if not stale_later:
        Recommendation.objects.filter(run__in=stale).delete()
    run.status, run.is_current, run.progress, run.finished_at = MatchRun.Status.DONE, True, 100, timezone.now()
    demand_started = time.perf_counter()
    in_demand = supply_and_demand_from_chunks(run=run)  # the chunks' sums; the stored rows when they cannot serve
    if in_demand is None:
        in_demand = supply_and_demand_rebuild(run_id=run.pk)
    run.counts = {**run.counts, "recommendations": total, "patents_in_demand": in_demand}
    demand_s = time.perf_counter() - demand_started
    assert run.started_at is not None  # set when the run went RUNNING
    run.timings = {
        **run.timings,
        "chunks_s": round(chunk_seconds, 2),  # summed over the chunks (over every worker)
        "finalize_s": round(time.perf_counter() - started, 2),  # count, switch the current run, drop stale rows
        "demand_s": round(demand_s, 2),  # of which: patents' demand, enterprises' supply (the chunks' sums)
        "wall_s": round((run.finished_at - run.started_at).total_seconds(), 2),
    }
    run.save()
    stale_paths = [path for path in stale.values_list("index_path", flat=True) if path]
    transaction.on_commit(lambda: run_artifacts_delete(index_paths=stale_paths))
    transaction.on_commit(current_run_forget)
    return True, stale_later

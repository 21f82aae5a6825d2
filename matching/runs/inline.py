"""A whole run in this process, chunk after chunk: `manage.py match_all` (match_run_start(inline=True)), the server
thread that runs a run without a broker (`make run`), tests and benches. On PostgreSQL the next chunk is ranked while
the previous one is written. Writes."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from django.db import connection

from matching.models import MatchRun
from matching.runs.chunk_demand import chunk_demand_save
from matching.runs.chunks import match_chunk_execute, match_chunk_rank, match_chunk_store, run_shards
from matching.runs.guard import match_run_fail
from matching.runs.prepare import match_run_prepare
from matching.runs.rows import RecommendationRows


def match_run_execute_inline(*, run: MatchRun) -> MatchRun:
    """Run a whole recorded run in this process (match_run_start(inline=True), tests, benches)."""
    try:
        numbers = match_run_prepare(run=run)
        run.refresh_from_db()
        if run_shards(run) > 1:  # shard by shard, as the workers take them; each chunk's last shard writes it
            for shard in range(run_shards(run)):
                for number in numbers:
                    match_chunk_execute(run=run, number=number, shard=shard)
        elif connection.vendor == "postgresql" and not connection.in_atomic_block:
            _chunks_overlapped(run, numbers)
        else:  # one connection (SQLite, or inside a transaction such as a test's): chunk after chunk
            for number in numbers:
                match_chunk_execute(run=run, number=number)
    except ValueError as exc:
        match_run_fail(run_pk=run.pk, reason=str(exc))
    run.refresh_from_db()
    return run


def _chunks_overlapped(run: MatchRun, numbers: list[int]) -> None:
    """Rank chunk n + 1 while PostgreSQL ingests chunk n: the writer thread's COPY and commit wait on the server
    with the GIL released, so the server's index work runs beside the ranking instead of after it."""

    def store(number: int, rows: RecommendationRows, owners: np.ndarray, started: float) -> None:
        match_chunk_store(run=run, number=number, rows=rows, owners=owners, started=started, share_kept=True)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="match-writer") as writer:
        pending: Future | None = None
        try:
            for number in numbers:
                started = time.perf_counter()
                ranked = match_chunk_rank(run=run, number=number)
                if ranked is None:
                    continue
                ranked[0].copy_buffer  # noqa: B018 - built here, so the writer only waits on the database
                # The chunk's share of supply and demand, here too: the kernels hold the GIL while they rank, so
                # Python work in the writer thread waits for them and delays the COPY the next chunk waits on
                # (~0.4 s a chunk at 45,000 × 26,000 there; ~14 ms here: docs/supply_demand.md).
                chunk_demand_save(run=run, number=number, rows=ranked[0])
                if pending is not None:
                    pending.result()
                pending = writer.submit(store, number, *ranked, started)
            if pending is not None:
                pending.result()
        finally:
            writer.submit(lambda: connection.close()).result()  # resolved in the writer thread: its own connection

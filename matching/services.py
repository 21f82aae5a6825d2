"""Writes of matching: start a run, prepare it (token caches in matching.tokens, index, queries), rank and store its
chunks (row arrays from matching.rows), finalise it, recover it, and re-rank one enterprise now.

The engine (matching/engine) is pure; this module feeds it from the database (reads in matching.selectors), keeps
the run's files through matching.artifacts and stores what the engine returns. Patents for enterprises is the
direction stored; enterprises for a patent (the push list) is ranked on demand from the same artifacts.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from core.errors import ServiceUnavailableError
from core.jobs import task_send, unchanged_for
from enterprises.models import DockingRequest, Enterprise, PatentFollow
from matching.artifacts import run_artifacts, run_artifacts_delete, run_artifacts_save
from matching.engine import (
    FeedbackEvent,
    FeedbackKind,
    MatchIndex,
    adjust_scores,
    explain_many,
    explain_pairs,
    fit_index,
    rank_index,
    rank_one,
    score_parts,
)
from matching.live_index import live_index, matchable_patents
from matching.models import MatchChunk, MatchRun, Recommendation
from matching.recommendation_writes import (
    recommendations_of_runs_delete_in_short_transactions,
    recommendations_replace_in_short_transactions,
    recommendations_write,
)
from matching.rows import RecommendationRows, terms_json
from matching.run_guard import match_run_record, match_run_submit_local
from matching.selectors import Ranked, current_run, current_run_forget, matchable_enterprises, patent_push_list
from matching.tasks import match_chunk_task, match_run_prepare_task
from matching.tokens import enterprise_queries, enterprise_query, patent_documents, patent_ipc_subclasses

logger = logging.getLogger(__name__)
FEEDBACK_KINDS: dict[str, FeedbackKind] = {"declined": "declined", "withdrawn": "withdrawn", "signed": "signed"}


def match_run_start(*, trigger: str, requested_by: str = "", inline: bool = False) -> MatchRun:
    """Record a full run and start it; every entry point (page, API, beat, command) comes through here.

    Queued (default): the preparation task is sent after commit; a broker that is down fails the run and raises
    ServiceUnavailableError, so the caller is told to try again and this run never starts later by itself.
    `inline=True` (the management command): the whole run in this process, returned finished.
    No broker (settings.MATCHING_LOCAL_EXECUTOR): a background thread of this process (matching.run_guard).
    One run at a time: ConflictError ("已有匹配正在运行") while another is pending or running.
    """
    parameters: dict[str, int | str] = {"top_k": settings.MATCHING_TOP_K, "trigger": trigger}
    if requested_by:
        parameters["by"] = requested_by
    run = match_run_record(parameters=parameters, sweep=not inline)  # ConflictError while a run is active
    if inline:
        return match_run_execute_inline(run=run)
    if settings.MATCHING_LOCAL_EXECUTOR:  # no broker: a thread of this process, the request returns at once
        match_run_submit_local(run=run, execute=lambda r: match_run_execute_inline(run=r))
        return run
    try:
        task_send(match_run_prepare_task, run.pk)
    except ServiceUnavailableError:
        match_run_fail(run_pk=run.pk, reason="任务队列不可用 / the task queue was unavailable")
        raise
    return run


def match_run_prepare(*, run: MatchRun) -> list[int]:
    """Tokenize (cached), fit, transform every enterprise's query, save the artifacts; returns the chunk numbers."""
    started, started_cpu = time.perf_counter(), time.process_time()
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, started_at=timezone.now(), progress=1)
    if not (matchable_patents().exists() and matchable_enterprises().exists()):
        raise ValueError("没有可匹配的入库专利或企业 / no pooled patents or enterprises to match")
    marks = [(time.perf_counter(), time.process_time())]
    patent_ids, docs = patent_documents(patents=matchable_patents())
    marks.append((time.perf_counter(), time.process_time()))
    index = fit_index(
        documents=docs,
        patent_ids=[str(pk) for pk in patent_ids],
        labels=patent_ipc_subclasses(patents=matchable_patents(), patent_ids=patent_ids),
    )
    marks.append((time.perf_counter(), time.process_time()))
    enterprise_pks, texts = enterprise_queries(enterprises=matchable_enterprises())
    queries = index.transform_queries(texts)
    marks.append((time.perf_counter(), time.process_time()))
    enterprise_ids = np.array(enterprise_pks, dtype=np.int64)
    index_path = run_artifacts_save(run=run, index=index, queries=queries, enterprise_ids=enterprise_ids)
    marks.append((time.perf_counter(), time.process_time()))
    per_chunk = settings.MATCHING_ENTERPRISE_CHUNK
    numbers = list(range((len(enterprise_pks) + per_chunk - 1) // per_chunk))
    with transaction.atomic():
        MatchChunk.objects.filter(run=run).delete()
        MatchChunk.objects.bulk_create([MatchChunk(run=run, number=n) for n in numbers])
        MatchRun.objects.filter(pk=run.pk).update(
            index_path=index_path,
            chunks_total=len(numbers),
            progress=10,
            counts={"patents": len(patent_ids), "enterprises": len(enterprise_pks), "terms": len(index.terms)},
            timings={
                # tokenize: read (and where changed, tokenize) the patents; queries: the same for the enterprises'
                # queries, then their vectors; save: the run's artifacts. *_cpu_s: this process's CPU seconds.
                **_phase_timings(("tokenize", "fit", "queries", "save"), marks),
                "prepare_s": round(time.perf_counter() - started, 2),
                "prepare_cpu_s": round(time.process_time() - started_cpu, 2),
            },
        )
    return numbers


def _phase_timings(names: tuple[str, ...], marks: list[tuple[float, float]]) -> dict[str, float]:
    """Wall and CPU seconds of consecutive phases from (perf_counter, process_time) marks taken between them."""
    out: dict[str, float] = {}
    for name, (wall0, cpu0), (wall1, cpu1) in zip(names, marks[:-1], marks[1:], strict=True):
        out[f"{name}_s"], out[f"{name}_cpu_s"] = round(wall1 - wall0, 2), round(cpu1 - cpu0, 2)
    return out


def match_run_prepare_dispatch(*, run: MatchRun) -> int:
    """Prepare a queued run and send one task per chunk (the workers share them); a redelivered preparation only
    re-sends the unfinished chunks. Returns the number of chunk tasks sent."""
    if run.chunks_total:
        numbers = list(run.chunks.filter(done=False).values_list("number", flat=True))
    else:
        try:
            numbers = match_run_prepare(run=run)
        except ValueError as exc:
            match_run_fail(run_pk=run.pk, reason=str(exc))
            return 0
    return match_chunks_dispatch(run_pk=run.pk, numbers=numbers)


def match_chunks_dispatch(*, run_pk: int, numbers: Iterable[int]) -> int:
    """Queue one task per chunk number; returns how many were sent."""
    sent = 0
    for number in numbers:
        match_chunk_task.delay(run_pk, number)
        sent += 1
    return sent


def _feedback_events(enterprise_ids: list[int], row_of: dict[str, int]) -> dict[int, list[FeedbackEvent]]:
    events: dict[int, list[FeedbackEvent]] = {}
    for enterprise_id, patent_id, status in DockingRequest.objects.filter(
        enterprise_id__in=enterprise_ids, patent__isnull=False, status__in=list(FEEDBACK_KINDS)
    ).values_list("enterprise_id", "patent_id", "status"):
        if str(patent_id) in row_of:
            events.setdefault(enterprise_id, []).append(FeedbackEvent(row_of[str(patent_id)], FEEDBACK_KINDS[status]))
    for enterprise_id, patent_id in PatentFollow.objects.filter(enterprise_id__in=enterprise_ids).values_list(
        "enterprise_id", "patent_id"
    ):
        if str(patent_id) in row_of:
            events.setdefault(enterprise_id, []).append(FeedbackEvent(row_of[str(patent_id)], "followed"))
    return events


def _chunk_rows(
    run: MatchRun, index: MatchIndex, queries: sp.csr_matrix, enterprise_ids: np.ndarray
) -> RecommendationRows:
    """Rank a chunk's enterprises: the best MATCHING_TOP_K of twice as many candidates after feedback, as arrays."""
    top_k = settings.MATCHING_TOP_K
    top = rank_index(index=index, queries=queries, k=top_k * 2)  # fused score; spare candidates for feedback
    scores = top.scores.astype(np.float64)
    final = scores.copy()
    row_of = {pid: row for row, pid in enumerate(index.patent_ids)}
    events = _feedback_events([int(e) for e in enterprise_ids], row_of)
    for i, enterprise_id in enumerate(enterprise_ids.tolist()):
        if enterprise_id in events:
            final[i] = adjust_scores(
                scores=top.scores[i],
                candidate_rows=top.indices[i],
                events=events[enterprise_id],
                patent_matrix=index.matrix,
            )
    valid = (top.indices >= 0) & (scores > 0)
    # best final score first, ties in candidate order (a stable sort); invalid candidates sort last
    order = np.argsort(np.where(valid, -final, np.inf), axis=1, kind="stable")[:, :top_k]
    kept = np.arange(order.shape[1])[None, :] < np.minimum(valid.sum(axis=1), top_k)[:, None]
    pair_query, slot = np.nonzero(kept)
    pair_candidate = order[pair_query, slot]
    patent_rows = top.indices[pair_query, pair_candidate]
    term_ids = explain_pairs(
        matrix=index.matrix,
        queries=queries,
        query_rows=pair_query,
        patent_rows=patent_rows,
        n_terms=settings.MATCHING_TERMS_SHOWN,
    )
    return RecommendationRows(
        run_id=run.pk,
        enterprise_ids=np.asarray(enterprise_ids, dtype=np.int64)[pair_query],
        patent_ids=np.asarray(index.patent_ids, dtype=np.int64)[patent_rows],
        ranks=slot + 1,
        scores=scores[pair_query, pair_candidate],
        semantic=(
            np.zeros(len(patent_rows)) if top.semantic is None else top.semantic[pair_query, pair_candidate]
        ).astype(np.float64),
        final_scores=final[pair_query, pair_candidate],
        terms=terms_json(terms=index.terms, term_ids=term_ids),
    )


def match_chunk_rank(*, run: MatchRun, number: int) -> tuple[RecommendationRows, np.ndarray] | None:
    """The rows of one chunk and the enterprises it owns; None when the chunk is done already (a duplicate)."""
    if MatchChunk.objects.filter(run=run, number=number, done=True).exists():
        return None
    index, queries, enterprise_ids = run_artifacts(run)
    size = settings.MATCHING_ENTERPRISE_CHUNK
    part = slice(number * size, (number + 1) * size)
    return _chunk_rows(run, index, queries[part], enterprise_ids[part]), enterprise_ids[part]


def match_chunk_store(
    *, run: MatchRun, number: int, rows: RecommendationRows, owners: np.ndarray, started: float
) -> int:
    """Replace the chunk's rows and mark it done in one transaction (idempotent under the chunk's row lock); the
    chunk that completes the run finalises it. SQLite: in short transactions (_match_chunk_store_sqlite)."""
    if connection.vendor != "postgresql":
        return _match_chunk_store_sqlite(run=run, number=number, rows=rows, owners=owners, started=started)
    with transaction.atomic():
        # Lock the chunk: a redelivered copy running at the same time waits here, then sees it done.
        chunk = MatchChunk.objects.select_for_update().get(run=run, number=number)
        if chunk.done:
            return chunk.rows
        if connection.vendor == "postgresql":
            # Losing this commit in a database crash loses the chunk's rows and its done flag together (one
            # transaction), and the chunk is simply ranked again; not waiting for the WAL flush saves seconds.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        Recommendation.objects.filter(run=run, enterprise_id__in=owners.tolist()).delete()
        recommendations_write(rows)
        MatchChunk.objects.filter(pk=chunk.pk).update(
            done=True, rows=len(rows), seconds=round(time.perf_counter() - started, 3)
        )
    match_run_finalize_if_complete(run_pk=run.pk)
    return len(rows)


def _match_chunk_store_sqlite(
    *, run: MatchRun, number: int, rows: RecommendationRows, owners: np.ndarray, started: float
) -> int:
    """The chunk's rows a few enterprises per transaction, then the chunk marked done: SQLite has one writer at a
    time, and `make run` serves sign-ins, follows and needs beside the run. Every transaction replaces whole
    enterprises' lists, so a chunk stopped half-way and ranked again (or a duplicate copy) ends with exactly its
    rows; nobody reads a run's rows before its last chunk makes it current."""
    finished = MatchChunk.objects.filter(run=run, number=number, done=True).values_list("rows", flat=True).first()
    if finished is not None:
        return finished
    recommendations_replace_in_short_transactions(run_id=run.pk, owners=owners, rows=rows)
    with transaction.atomic():
        chunk = MatchChunk.objects.select_for_update().get(run=run, number=number)
        if chunk.done:
            return chunk.rows
        MatchChunk.objects.filter(pk=chunk.pk).update(
            done=True, rows=len(rows), seconds=round(time.perf_counter() - started, 3)
        )
    match_run_finalize_if_complete(run_pk=run.pk)
    return len(rows)


def match_chunk_execute(*, run: MatchRun, number: int) -> int:
    """Rank one chunk and replace its rows (idempotent); the chunk that completes the run finalises it."""
    started = time.perf_counter()
    ranked = match_chunk_rank(run=run, number=number)
    if ranked is None:
        return 0  # a duplicate delivery of a finished chunk: nothing to rank
    rows, owners = ranked
    return match_chunk_store(run=run, number=number, rows=rows, owners=owners, started=started)


def _chunks_overlapped(run: MatchRun, numbers: list[int]) -> None:
    """Rank chunk n + 1 while PostgreSQL ingests chunk n: the writer thread's COPY and commit wait on the server
    with the GIL released, so the server's index work runs beside the ranking instead of after it."""

    def store(number: int, rows: RecommendationRows, owners: np.ndarray, started: float) -> None:
        match_chunk_store(run=run, number=number, rows=rows, owners=owners, started=started)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="match-writer") as writer:
        pending: Future | None = None
        try:
            for number in numbers:
                started = time.perf_counter()
                ranked = match_chunk_rank(run=run, number=number)
                if ranked is None:
                    continue
                ranked[0].copy_buffer  # noqa: B018 - built here, so the writer only waits on the database
                if pending is not None:
                    pending.result()
                pending = writer.submit(store, number, *ranked, started)
            if pending is not None:
                pending.result()
        finally:
            writer.submit(lambda: connection.close()).result()  # resolved in the writer thread: its own connection


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
    run.counts = {**run.counts, "recommendations": total}
    assert run.started_at is not None  # set when the run went RUNNING
    run.timings = {
        **run.timings,
        "chunks_s": round(chunk_seconds, 2),  # summed over the chunks (over every worker)
        "finalize_s": round(time.perf_counter() - started, 2),  # count, switch the current run, drop stale rows
        "wall_s": round((run.finished_at - run.started_at).total_seconds(), 2),
    }
    run.save()
    stale_paths = [path for path in stale.values_list("index_path", flat=True) if path]
    transaction.on_commit(lambda: run_artifacts_delete(index_paths=stale_paths))
    transaction.on_commit(current_run_forget)
    return True, stale_later


def match_runs_redispatch(*, stalled_for: float | None = None) -> int:
    """Send again what a dead worker (or a lost broker message) may have held: the unfinished chunks (or the
    preparation) of running runs. `stalled_for`: only runs whose status and finished chunks did not change for that
    many seconds (the periodic sweep); None: every unfinished run (a worker starting).

    Chunks are idempotent and locked, so a copy of one still queued elsewhere changes nothing; this turns the
    broker's visibility timeout into seconds of recovery.
    """
    sent = 0
    for run in MatchRun.objects.filter(status__in=[MatchRun.Status.PENDING, MatchRun.Status.RUNNING]):
        undone = list(run.chunks.filter(done=False).values_list("number", flat=True))
        state = (run.status, run.chunks_total, len(undone))
        if stalled_for is not None and not unchanged_for(key=f"run:{run.pk}", state=state, seconds=stalled_for):
            continue
        if run.status == MatchRun.Status.PENDING or not run.chunks_total:
            match_run_prepare_task.delay(run.pk)
            sent += 1
            continue
        sent += match_chunks_dispatch(run_pk=run.pk, numbers=undone)
    return sent


def match_run_fail(*, run_pk: int, reason: str) -> None:
    """Mark a run FAILED with its reason; the previous run stays served."""
    MatchRun.objects.filter(pk=run_pk).exclude(status=MatchRun.Status.DONE).update(
        status=MatchRun.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def patents_recommend_now(*, patent_ids: list[int]) -> int:
    """Newly pooled (or edited) patents enter the stored recommendation lists now: every enterprise among a patent's
    best MATCHING_POOL_REFRESH_ENTERPRISES whose list is short or whose lowest score the patent beats is re-ranked
    against the live index. Returns the number of enterprises re-ranked. Withdrawn patents need nothing: the lists are
    read through the pool rule."""
    run = current_run()
    if run is None or not patent_ids:
        return 0
    top_k = settings.MATCHING_TOP_K
    wanted: dict[int, float] = {}
    for patent_id in sorted(set(patent_ids))[: settings.MATCHING_POOL_REFRESH_PATENTS]:
        for enterprise_id, score in patent_push_list(patent_id=patent_id, k=settings.MATCHING_POOL_REFRESH_ENTERPRISES):
            wanted[enterprise_id] = max(score, wanted.get(enterprise_id, 0.0))
    if not wanted:
        return 0
    lists = {
        row["enterprise_id"]: row
        for row in Recommendation.objects.filter(run=run, enterprise_id__in=list(wanted))
        .values("enterprise_id")
        .annotate(n=Count("pk"), lowest=Min("score"))
    }
    targets = [
        pk
        for pk, score in wanted.items()
        if score > 0 and (pk not in lists or lists[pk]["n"] < top_k or score > lists[pk]["lowest"])
    ]
    for enterprise in Enterprise.objects.filter(pk__in=targets).order_by("pk"):
        enterprise_rank_now(enterprise=enterprise)
    return len(targets)


def enterprise_rank_now(*, enterprise: Enterprise) -> list[Ranked]:
    """Rank one enterprise now against the current index (a new or edited need); store it in the current run."""
    run = current_run()
    if run is None:
        return []
    index = live_index(run)
    query = index.transform_query(enterprise_query(Enterprise.objects.prefetch_related("needs").get(pk=enterprise.pk)))
    top = rank_one(index=index, query=query, k=settings.MATCHING_TOP_K)
    pairs = top.row(0)
    terms = explain_many(index=index, queries=query, patent_rows=top.indices, n_terms=settings.MATCHING_TERMS_SHOWN)[0]
    semantic = score_parts(index=index, queries=query, patent_rows=top.indices).semantic[0]
    ranked = [Ranked(int(index.patent_ids[row]), score, terms[j]) for j, (row, score) in enumerate(pairs)]
    scores = np.array([r.score for r in ranked], dtype=np.float64)
    with transaction.atomic():
        # two changes of one enterprise at once (two needs published together): the second waits for the first,
        # then replaces its rows — without the lock its delete misses the first's rows and its insert collides
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).exists()
        Recommendation.objects.filter(run=run, enterprise=enterprise).delete()
        recommendations_write(
            RecommendationRows(
                run_id=run.pk,
                enterprise_ids=np.full(len(ranked), enterprise.pk, dtype=np.int64),
                patent_ids=np.array([r.patent_id for r in ranked], dtype=np.int64),
                ranks=np.arange(1, len(ranked) + 1),
                scores=scores,
                semantic=semantic[: len(ranked)].astype(np.float64),
                final_scores=scores,
                terms=[json.dumps(r.terms, ensure_ascii=False) for r in ranked],
            )
        )
    return ranked


def match_run_execute_inline(*, run: MatchRun) -> MatchRun:
    """Run a whole recorded run in this process (match_run_start(inline=True), tests, benches)."""
    try:
        numbers = match_run_prepare(run=run)
        run.refresh_from_db()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            _chunks_overlapped(run, numbers)
        else:  # one connection (SQLite, or inside a transaction such as a test's): chunk after chunk
            for number in numbers:
                match_chunk_execute(run=run, number=number)
    except ValueError as exc:
        match_run_fail(run_pk=run.pk, reason=str(exc))
    run.refresh_from_db()
    return run

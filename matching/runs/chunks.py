"""Ranking and storing one chunk of a run (MATCHING_ENTERPRISE_CHUNK enterprises): the best MATCHING_TOP_K patents
of each after its feedback, explained, as column arrays (matching.runs.rows), then written (matching.runs.writes) in
one transaction under the chunk's row lock — idempotent, so a redelivered chunk changes nothing. The chunk that
completes the run finalises it (matching.runs.finalise). Writes.

A run sharded by patents (its `counts["shards"]` > 1, settings.MATCHING_SHARD_PATENTS) ranks each chunk in one task
per shard: a task loads only its shard's index and the chunk's queries and feedback (matching.runs.artifacts), keeps
the chunk's best 2 × MATCHING_TOP_K candidates in its shard with their feedback-adjusted scores and explaining terms,
and stores them; the task that completes the chunk's shards merges them (matching.engine.top_k_merge: score
descending, then row ascending, the order of the whole index's ranking) and keeps the best MATCHING_TOP_K, exactly
as an unsharded chunk does — the rows written are the same, bit for bit (tests/matching/test_shards.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from matching.engine import (
    FeedbackEvent,
    MatchIndex,
    TopK,
    adjust_scores,
    adjust_scores_apart,
    explain_pairs,
    rank_index,
    top_k_merge,
)
from matching.models import MatchChunk, MatchRun, Recommendation
from matching.runs.artifacts import (
    ChunkFeedback,
    run_artifacts,
    run_candidates,
    run_candidates_delete,
    run_candidates_exist,
    run_candidates_save,
    run_chunk,
    run_shard,
)
from matching.runs.chunk_demand import chunk_demand_save
from matching.runs.feedback import feedback_events
from matching.runs.finalise import match_run_finalize_if_complete
from matching.runs.rows import RecommendationRows, terms_json
from matching.runs.rules import need_feedback
from matching.runs.writes import recommendations_replace_in_short_transactions, recommendations_write


def run_shards(run: MatchRun) -> int:
    """How many patent shards a run's chunks are ranked against (1: unsharded)."""
    return int(run.counts.get("shards", 1))


def shard_bounds(*, n_patents: int, shards: int) -> list[tuple[int, int]]:
    """The index rows of each shard: consecutive ranges of ceil(n / shards) rows (the last may be shorter)."""
    size = -(-n_patents // shards)
    return [(min(s * size, n_patents), min((s + 1) * size, n_patents)) for s in range(shards)]


def _final_scores(
    top: TopK, enterprise_ids: np.ndarray, adjusted: Callable[[int, int], np.ndarray | None]
) -> np.ndarray:
    """The candidates' scores after each enterprise's feedback (float64); `adjusted(i, enterprise_id)` gives row i's,
    called only for enterprises with feedback."""
    final = top.scores.astype(np.float64)
    for i, enterprise_id in enumerate(enterprise_ids.tolist()):
        row = adjusted(i, enterprise_id)
        if row is not None:
            final[i] = row
    return final


def _kept_pairs(indices: np.ndarray, scores: np.ndarray, final: np.ndarray) -> tuple[np.ndarray, ...]:
    """(query, rank slot, candidate column) of the pairs kept: each enterprise's best MATCHING_TOP_K candidates by
    final score, ties in candidate order (a stable sort); invalid candidates sort last and are never kept."""
    top_k = settings.MATCHING_TOP_K
    valid = (indices >= 0) & (scores > 0)
    order = np.argsort(np.where(valid, -final, np.inf), axis=1, kind="stable")[:, :top_k]
    kept = np.arange(order.shape[1])[None, :] < np.minimum(valid.sum(axis=1), top_k)[:, None]
    pair_query, slot = np.nonzero(kept)
    return pair_query, slot, order[pair_query, slot]


def _rows(
    run: MatchRun,
    enterprise_ids: np.ndarray,
    patent_ids: np.ndarray,
    top: TopK,
    final: np.ndarray,
    pairs: tuple[np.ndarray, ...],
    terms: list[str],
) -> RecommendationRows:
    pair_query, slot, pair_candidate = pairs
    scores = top.scores.astype(np.float64)
    semantic = top.semantic
    return RecommendationRows(
        run_id=run.pk,
        enterprise_ids=np.asarray(enterprise_ids, dtype=np.int64)[pair_query],
        patent_ids=patent_ids,
        ranks=slot + 1,
        scores=scores[pair_query, pair_candidate],
        semantic=(np.zeros(len(pair_query)) if semantic is None else semantic[pair_query, pair_candidate]).astype(
            np.float64
        ),
        final_scores=final[pair_query, pair_candidate],
        terms=terms,
    )


def _chunk_rows(
    run: MatchRun, index: MatchIndex, queries: sp.csr_matrix, enterprise_ids: np.ndarray
) -> RecommendationRows:
    """Rank a chunk's enterprises: the best MATCHING_TOP_K of twice as many candidates after feedback, as arrays."""
    # fused score (its semantic part with the needs' pseudo-relevance feedback when it is on); spare candidates for
    # the docking feedback
    top = rank_index(index=index, queries=queries, k=settings.MATCHING_TOP_K * 2, feedback=need_feedback())
    row_of = {pid: row for row, pid in enumerate(index.patent_ids)}
    events = feedback_events(enterprise_ids=[int(e) for e in enterprise_ids], row_of=row_of)

    def adjusted(i: int, enterprise_id: int) -> np.ndarray | None:
        if enterprise_id not in events:
            return None
        return adjust_scores(
            scores=top.scores[i],
            candidate_rows=top.indices[i],
            events=events[enterprise_id],
            patent_matrix=index.matrix,
        )

    final = _final_scores(top, enterprise_ids, adjusted)
    pairs = _kept_pairs(top.indices, top.scores, final)
    patent_rows = top.indices[pairs[0], pairs[2]]
    term_ids = explain_pairs(
        matrix=index.matrix,
        queries=queries,
        query_rows=pairs[0],
        patent_rows=patent_rows,
        n_terms=settings.MATCHING_TERMS_SHOWN,
    )
    patent_ids = np.asarray(index.patent_ids, dtype=np.int64)[patent_rows]
    return _rows(run, enterprise_ids, patent_ids, top, final, pairs, terms_json(terms=index.terms, term_ids=term_ids))


def match_chunk_rank(*, run: MatchRun, number: int) -> tuple[RecommendationRows, np.ndarray] | None:
    """The rows of one chunk and the enterprises it owns; None when the chunk is done already (a duplicate)."""
    if MatchChunk.objects.filter(run=run, number=number, done=True).exists():
        return None
    index, queries, enterprise_ids = run_artifacts(run)
    size = settings.MATCHING_ENTERPRISE_CHUNK
    part = slice(number * size, (number + 1) * size)
    return _chunk_rows(run, index, queries[part], enterprise_ids[part]), enterprise_ids[part]


def match_chunk_store(
    *,
    run: MatchRun,
    number: int,
    rows: RecommendationRows,
    owners: np.ndarray,
    started: float,
    share_kept: bool = False,
) -> int:
    """Replace the chunk's rows and mark it done in one transaction (idempotent under the chunk's row lock); the
    chunk that completes the run finalises it. SQLite: in short transactions (_match_chunk_store_sqlite).
    `share_kept`: the caller kept the chunk's share of supply and demand already (the overlapped inline run takes it
    in its ranking thread, see matching.runs.inline)."""
    if not share_kept:
        chunk_demand_save(run=run, number=number, rows=rows)  # before the rows commit: a done chunk has its share
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
            done=True, rows=len(rows), seconds=F("seconds") + round(time.perf_counter() - started, 3)
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
            done=True, rows=len(rows), seconds=F("seconds") + round(time.perf_counter() - started, 3)
        )
    match_run_finalize_if_complete(run_pk=run.pk)
    return len(rows)


def match_chunk_execute(*, run: MatchRun, number: int, shard: int = 0) -> int:
    """Rank one chunk (of a sharded run: against one shard, merging the shards when it is the chunk's last) and
    replace its rows (idempotent); the chunk that completes the run finalises it. Returns the rows written."""
    if run_shards(run) > 1:
        return _match_chunk_shard_execute(run=run, number=number, shard=shard)
    started = time.perf_counter()
    ranked = match_chunk_rank(run=run, number=number)
    if ranked is None:
        return 0  # a duplicate delivery of a finished chunk: nothing to rank
    rows, owners = ranked
    return match_chunk_store(run=run, number=number, rows=rows, owners=owners, started=started)


# ------------------------------------------------------------------------------------- runs sharded by patents
def _shard_candidates(run: MatchRun, number: int, shard: int) -> dict[str, np.ndarray]:
    """Chunk `number` ranked against shard `shard`: each enterprise's best 2 × MATCHING_TOP_K patents of the shard
    (rows of the whole index), their scores, semantic parts, scores after feedback and explaining terms."""
    index = run_shard(run, shard)
    queries, enterprise_ids, feedback = run_chunk(run, number)
    offset = shard_bounds(n_patents=int(run.counts["patents"]), shards=run_shards(run))[shard][0]
    top = rank_index(index=index, queries=queries, k=settings.MATCHING_TOP_K * 2)
    rows = np.where(top.indices >= 0, top.indices.astype(np.int64) + offset, -1)  # rows of the whole index
    final = _final_scores(top, enterprise_ids, lambda i, owner: _adjusted(index, top, rows, i, feedback, owner))
    valid = (top.indices >= 0) & (top.scores > 0)
    pair_query, pair_candidate = np.nonzero(valid)
    n_terms = settings.MATCHING_TERMS_SHOWN
    terms = np.full((*top.indices.shape, n_terms), -1, dtype=np.int32)
    terms[pair_query, pair_candidate] = explain_pairs(
        matrix=index.matrix,
        queries=queries,
        query_rows=pair_query,
        patent_rows=top.indices[pair_query, pair_candidate],
        n_terms=n_terms,
    )
    patent_ids = np.full(top.indices.shape, -1, dtype=np.int64)
    patent_ids[valid] = np.asarray(index.patent_ids, dtype=np.int64)[top.indices[valid]]
    semantic = np.zeros(top.scores.shape, np.float32) if top.semantic is None else top.semantic
    return {
        "rows": rows, "patent_ids": patent_ids, "scores": top.scores, "semantic": semantic, "final": final,
        "terms": terms, "has_semantic": np.array(top.semantic is not None), "enterprise_ids": enterprise_ids,
    }  # fmt: skip


def _adjusted(
    index: MatchIndex, top: TopK, rows: np.ndarray, i: int, feedback: ChunkFeedback, enterprise_id: int
) -> np.ndarray | None:
    """Row i's scores after its enterprise's feedback, from the shard's candidate vectors and the events' own
    vectors (stored with the chunk: an event's patent may be in another shard)."""
    events: list[FeedbackEvent] | None = feedback.events.get(enterprise_id)
    if not events:
        return None
    local = top.indices[i]
    return adjust_scores_apart(
        scores=top.scores[i],
        candidate_rows=rows[i],
        candidate_vectors=index.matrix[local[local >= 0]],
        events=events,
        event_vectors=feedback.vectors[enterprise_id],
    )


def _shard_ranked(*, run: MatchRun, number: int, shard: int, seconds: float) -> bool:
    """Record that chunk `number` was ranked against `shard` (under the chunk's row lock); True when that completes
    the chunk's shards and its rows are not written yet: the caller merges them."""
    with transaction.atomic():
        chunk = MatchChunk.objects.select_for_update().get(run=run, number=number)
        if chunk.done:
            return False
        ranked = sorted({*chunk.shards_ranked, shard})
        MatchChunk.objects.filter(pk=chunk.pk).update(shards_ranked=ranked, seconds=F("seconds") + round(seconds, 3))
    return len(ranked) == run_shards(run)


def _merged_rows(run: MatchRun, number: int, shard: int) -> tuple[RecommendationRows, np.ndarray]:
    """Chunk `number`'s rows from its shards' candidates: the best 2 × MATCHING_TOP_K of all (score descending,
    row ascending: the whole index's order), then the best MATCHING_TOP_K after feedback, as unsharded."""
    parts = [run_candidates(run=run, number=number, shard=s) for s in range(run_shards(run))]
    merged, source = top_k_merge(
        parts=[TopK(p["rows"], p["scores"], p["semantic"]) for p in parts], k=settings.MATCHING_TOP_K * 2
    )
    at = np.maximum(source, 0)
    final = np.take_along_axis(np.hstack([p["final"] for p in parts]), at, axis=1)
    patent_ids = np.take_along_axis(np.hstack([p["patent_ids"] for p in parts]), at, axis=1)
    terms = np.hstack([p["terms"] for p in parts])[np.arange(at.shape[0])[:, None], at]
    if not bool(parts[0]["has_semantic"]):
        merged = TopK(merged.indices, merged.scores, None)
    pairs = _kept_pairs(merged.indices, merged.scores, final)
    term_ids = terms[pairs[0], pairs[2]]
    enterprise_ids = parts[0]["enterprise_ids"]
    vocabulary = run_shard(run, shard).terms
    rows = _rows(
        run, enterprise_ids, patent_ids[pairs[0], pairs[2]], merged, final, pairs,
        terms_json(terms=vocabulary, term_ids=term_ids),
    )  # fmt: skip
    return rows, enterprise_ids


def _match_chunk_shard_execute(*, run: MatchRun, number: int, shard: int) -> int:
    """Rank chunk `number` against `shard` and store the candidates; the task that completes the chunk's shards
    merges them and writes the chunk's rows. Idempotent: a shard ranked already is not ranked again, and a chunk
    written already is left alone."""
    started = time.perf_counter()
    chunk = MatchChunk.objects.filter(run=run, number=number).first()
    if chunk is None or chunk.done:
        return 0
    if shard not in chunk.shards_ranked or not run_candidates_exist(run=run, number=number, shard=shard):
        run_candidates_save(run=run, number=number, shard=shard, arrays=_shard_candidates(run, number, shard))
    if not _shard_ranked(run=run, number=number, shard=shard, seconds=time.perf_counter() - started):
        return 0
    started = time.perf_counter()
    try:
        rows, owners = _merged_rows(run, number, shard)
    except (OSError, KeyError, ValueError):
        # a duplicate of the chunk's last task, whose first copy merged and removed the candidates meanwhile
        if MatchChunk.objects.filter(run=run, number=number, done=True).exists():
            return 0
        raise
    written = match_chunk_store(run=run, number=number, rows=rows, owners=owners, started=started)
    run_candidates_delete(run=run, number=number, shards=run_shards(run))
    return written

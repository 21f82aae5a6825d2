"""Ranking and storing one chunk of a run (MATCHING_ENTERPRISE_CHUNK enterprises): the best MATCHING_TOP_K patents
of each after its feedback, explained, as column arrays (matching.runs.rows), then written (matching.runs.writes) in
one transaction under the chunk's row lock — idempotent, so a redelivered chunk changes nothing. The chunk that
completes the run finalises it (matching.runs.finalise). Writes."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db import connection, transaction

from enterprises.models import DockingRequest, PatentFollow
from matching.engine import FeedbackEvent, FeedbackKind, MatchIndex, adjust_scores, explain_pairs, rank_index
from matching.models import MatchChunk, MatchRun, Recommendation
from matching.runs.artifacts import run_artifacts
from matching.runs.finalise import match_run_finalize_if_complete
from matching.runs.rows import RecommendationRows, terms_json
from matching.runs.rules import need_feedback
from matching.runs.writes import recommendations_replace_in_short_transactions, recommendations_write

FEEDBACK_KINDS: dict[str, FeedbackKind] = {"declined": "declined", "withdrawn": "withdrawn", "signed": "signed"}


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
    # fused score, the semantic part with pseudo-relevance feedback; spare candidates for the docking feedback
    top = rank_index(index=index, queries=queries, k=top_k * 2, feedback=need_feedback())
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

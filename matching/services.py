"""Matching runs: build the index from pooled patents, rank both ways in idempotent chunks, serve the latest run.

The engine (matching/engine) is pure; this module feeds it from the database and stores what it returns.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from enterprises.models import DockingRequest, Enterprise, PatentFollow, TechNeed
from matching.engine.documents import FieldWeights, PatentText, enterprise_query_tokens, patent_tokens_many
from matching.engine.explain import explain_many
from matching.engine.feedback import FeedbackEvent, FeedbackKind, adjust_scores
from matching.engine.rank import mask_from_ids, rank_one, top_k_patents
from matching.engine.tokenize import default_tokenizer
from matching.engine.vectorize import MatchIndex, fit_index
from matching.models import MatchChunk, MatchRun, PatentTokens, Recommendation
from patents.models import InventoryStatus, LegalStatus, Patent

logger = logging.getLogger(__name__)
TOP_K = 50
WEIGHTS = FieldWeights()
FEEDBACK_KINDS: dict[str, FeedbackKind] = {"declined": "declined", "withdrawn": "withdrawn", "signed": "signed"}


def matchable_patents():
    """Pooled patents whose right is not lapsed: what is recommended to enterprises."""
    return Patent.objects.filter(inventory_status=InventoryStatus.POOLED).exclude(legal_status=LegalStatus.INVALID)


def matchable_enterprises():
    """Enterprises with something to match on and a code that is not rejected."""
    return (
        Enterprise.objects.exclude(verification="rejected")
        .filter(~Q(business_scope="") | ~Q(products="") | Q(needs__status=TechNeed.Status.OPEN))
        .distinct()
    )


def _text_hash(title: str, abstract: str, claims: str) -> str:
    payload = f"{WEIGHTS}\x1f{title}\x1f{abstract}\x1f{claims}".encode()
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def patent_documents(*, patent_ids: list[int]) -> list[str]:
    """Weighted token documents of the patents, from the cache where the text has not changed."""
    docs: dict[int, str] = {}
    cached = {t.patent_id: t for t in PatentTokens.objects.filter(patent_id__in=patent_ids)}
    missing: list[tuple[int, str, PatentText]] = []
    for pk, title, abstract, claims in (
        Patent.objects.filter(pk__in=patent_ids)
        .values_list("pk", "title", "abstract", "claims")
        .iterator(chunk_size=2000)
    ):
        text_hash = _text_hash(title, abstract, claims)
        hit = cached.get(pk)
        if hit is not None and hit.text_hash == text_hash:
            docs[pk] = hit.tokens
        else:
            missing.append((pk, text_hash, PatentText(title=title, abstract=abstract, claims=claims)))
    if missing:
        tokens = patent_tokens_many(patents=[m[2] for m in missing], weights=WEIGHTS)
        PatentTokens.objects.filter(patent_id__in=[m[0] for m in missing]).delete()
        PatentTokens.objects.bulk_create(
            [
                PatentTokens(patent_id=pk, text_hash=h, tokens=doc)
                for (pk, h, _), doc in zip(missing, tokens, strict=True)
            ],
            batch_size=1000,
        )
        docs.update({pk: doc for (pk, _, _), doc in zip(missing, tokens, strict=True)})
    return [docs[pk] for pk in patent_ids]


def enterprise_query(enterprise: Enterprise) -> str:
    """The enterprise's weighted query: its open needs first, then business scope and products."""
    needs = " ".join(
        f"{n.title} {n.keywords} {n.description}" for n in enterprise.needs.all() if n.status == TechNeed.Status.OPEN
    )
    return " ".join(
        enterprise_query_tokens(needs=needs, business_scope=enterprise.business_scope, products=enterprise.products)
    )


def _save_npz(path: str, **arrays) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(buffer.getvalue()))


def run_artifacts(run: MatchRun) -> tuple[MatchIndex, sp.csr_matrix, np.ndarray]:
    """Index, enterprise query matrix and enterprise ids of a run (cached per worker process)."""
    return _load_artifacts(run.pk, run.created_at.isoformat(), run.index_path)


@lru_cache(maxsize=2)
def _load_artifacts(run_pk: int, created: str, index_path: str) -> tuple[MatchIndex, sp.csr_matrix, np.ndarray]:
    # keyed by creation time too: a reused primary key (tests, restored backups) must not hit a stale entry
    with default_storage.open(index_path, "rb") as fh:
        index = MatchIndex.from_bytes(fh.read())
    with default_storage.open(index_path.replace("index.npz", "queries.npz"), "rb") as fh, np.load(fh) as archive:
        queries = sp.csr_matrix((archive["data"], archive["indices"], archive["indptr"]), shape=tuple(archive["shape"]))
        enterprise_ids = archive["enterprise_ids"]
    return index, queries, enterprise_ids


def match_run_create(*, parameters: dict | None = None) -> MatchRun:
    """Record a full run; the preparation task starts after commit."""
    from core.errors import ServiceUnavailableError
    from core.imports import task_send
    from matching.tasks import match_run_prepare_task

    run = MatchRun.objects.create(parameters={"top_k": TOP_K, **(parameters or {})})
    try:
        task_send(match_run_prepare_task, run.pk)
    except ServiceUnavailableError:  # the caller is told to try again: this run must not start later by itself
        match_run_fail(run_pk=run.pk, reason="任务队列不可用 / the task queue was unavailable")
        raise
    return run


def match_run_prepare(*, run: MatchRun) -> list[tuple[str, int]]:
    """Tokenize (cached), fit, transform every enterprise's query, save the artifacts and define the chunks."""
    started = time.perf_counter()
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, started_at=timezone.now(), progress=1)
    patent_ids = list(matchable_patents().order_by("pk").values_list("pk", flat=True))
    enterprises = list(matchable_enterprises().order_by("pk").prefetch_related("needs"))
    if not patent_ids or not enterprises:
        raise ValueError("没有可匹配的入库专利或企业 / no pooled patents or enterprises to match")
    t0 = time.perf_counter()
    docs = patent_documents(patent_ids=patent_ids)
    t1 = time.perf_counter()
    index = fit_index(documents=docs, patent_ids=[str(pk) for pk in patent_ids])
    t2 = time.perf_counter()
    queries = index.transform_queries([enterprise_query(e) for e in enterprises])
    t3 = time.perf_counter()
    # the creation time in the path: databases sharing one media root (staging restored from production, a bench
    # database beside the demo) reuse run numbers, and one run's index must never be read as another's
    base = f"matching/runs/{run.pk}-{run.created_at:%Y%m%dT%H%M%S%f}/"
    index_path = base + "index.npz"
    if default_storage.exists(index_path):
        default_storage.delete(index_path)
    default_storage.save(index_path, ContentFile(index.to_bytes()))
    _save_npz(
        base + "queries.npz",
        data=queries.data,
        indices=queries.indices,
        indptr=queries.indptr,
        shape=np.array(queries.shape),
        enterprise_ids=np.array([e.pk for e in enterprises], dtype=np.int64),
    )
    per_e = settings.MATCHING_ENTERPRISE_CHUNK
    chunks = [("e2p", n) for n in range((len(enterprises) + per_e - 1) // per_e)]
    # The other direction (enterprises for a patent) is ranked on demand from the same artifacts: one sparse
    # column product per patent takes milliseconds, and persisting 50 rows for every patent would triple the run.
    with transaction.atomic():
        MatchChunk.objects.filter(run=run).delete()
        MatchChunk.objects.bulk_create([MatchChunk(run=run, direction=d, number=n) for d, n in chunks])
        MatchRun.objects.filter(pk=run.pk).update(
            index_path=index_path,
            chunks_total=len(chunks),
            progress=10,
            counts={"patents": len(patent_ids), "enterprises": len(enterprises), "terms": len(index.terms)},
            timings={
                "tokenize_s": round(t1 - t0, 2),
                "fit_s": round(t2 - t1, 2),
                "queries_s": round(t3 - t2, 2),
                "prepare_s": round(time.perf_counter() - started, 2),
            },
        )
    return chunks


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


class RecRow(NamedTuple):
    """A recommendation row as written (the columns of COPY_COLUMNS); cheaper than a model instance by the million."""

    run_id: int
    direction: str
    enterprise_id: int
    patent_id: int
    rank: int
    score: float
    final_score: float
    terms: list[str]


def _e2p_rows(run: MatchRun, index: MatchIndex, queries: sp.csr_matrix, enterprise_ids: np.ndarray) -> list[RecRow]:
    top = top_k_patents(queries=queries, patents=index.matrix, k=TOP_K * 2)  # spare candidates for feedback
    row_of = {pid: row for row, pid in enumerate(index.patent_ids)}
    events = _feedback_events([int(e) for e in enterprise_ids], row_of)
    chosen = np.full((len(enterprise_ids), TOP_K), -1, dtype=np.int64)
    picks: list[list[tuple[int, float, float]]] = []
    for i, enterprise_id in enumerate(enterprise_ids):
        scores, rows = top.scores[i], top.indices[i]
        final = scores
        if int(enterprise_id) in events:
            final = adjust_scores(
                scores=scores, candidate_rows=rows, events=events[int(enterprise_id)], patent_matrix=index.matrix
            )
        order = [j for j in np.argsort(-final, kind="stable") if rows[j] >= 0 and scores[j] > 0][:TOP_K]
        chosen[i, : len(order)] = rows[order]
        picks.append([(int(rows[j]), float(scores[j]), float(final[j])) for j in order])
    terms = explain_many(index=index, queries=queries, patent_rows=chosen, n_terms=8)  # only what is kept
    ids = index.patent_ids
    return [
        RecRow(run.pk, "e2p", int(enterprise_id), int(ids[row]), rank, score, final, terms[i][rank - 1])
        for i, enterprise_id in enumerate(enterprise_ids)
        for rank, (row, score, final) in enumerate(picks[i], start=1)
    ]


def match_chunk_execute(*, run: MatchRun, direction: str, number: int) -> int:
    """Rank one chunk and replace its rows (idempotent); the chunk that completes the run finalises it."""
    started = time.perf_counter()
    index, queries, enterprise_ids = run_artifacts(run)
    size = settings.MATCHING_ENTERPRISE_CHUNK
    part = slice(number * size, (number + 1) * size)
    rows = _e2p_rows(run, index, queries[part], enterprise_ids[part])
    owner = Q(enterprise_id__in=[int(e) for e in enterprise_ids[part]])
    with transaction.atomic():
        # Lock the chunk: a redelivered copy running at the same time waits here, then sees it done.
        chunk = MatchChunk.objects.select_for_update().get(run=run, direction=direction, number=number)
        if chunk.done:
            return chunk.rows
        if connection.vendor == "postgresql":
            # Losing this commit in a database crash loses the chunk's rows and its done flag together (one
            # transaction), and the chunk is simply ranked again; not waiting for the WAL flush saves seconds.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        Recommendation.objects.filter(owner, run=run, direction=direction).delete()
        recommendations_write(rows)
        MatchChunk.objects.filter(pk=chunk.pk).update(
            done=True, rows=len(rows), seconds=round(time.perf_counter() - started, 3)
        )
    match_run_finalize_if_complete(run_pk=run.pk)
    return len(rows)


COPY_COLUMNS = ("run_id", "direction", "enterprise_id", "patent_id", "rank", "score", "final_score", "terms")


def recommendations_write(rows: list[RecRow]) -> None:
    """Insert recommendation rows: PostgreSQL COPY (several times faster than INSERT), batched inserts elsewhere."""
    if connection.vendor != "postgresql":
        Recommendation.objects.bulk_create([Recommendation(**r._asdict()) for r in rows], batch_size=5000)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(
        (
            r.run_id,
            r.direction,
            r.enterprise_id,
            r.patent_id,
            r.rank,
            repr(r.score),
            repr(r.final_score),
            json.dumps(r.terms, ensure_ascii=False),
        )
        for r in rows
    )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {Recommendation._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buffer
        )


@transaction.atomic
def match_run_finalize_if_complete(*, run_pk: int) -> bool:
    """When every chunk is done, make this run the one readers see (atomically) and drop runs older than the last."""
    run = MatchRun.objects.select_for_update().get(pk=run_pk)
    done = run.chunks.filter(done=True).count()
    if run.status != MatchRun.Status.RUNNING:
        return run.status == MatchRun.Status.DONE
    if done < run.chunks_total:
        MatchRun.objects.filter(pk=run.pk).update(progress=10 + int(89 * done / max(run.chunks_total, 1)))
        return False
    previous = list(MatchRun.objects.filter(is_current=True).exclude(pk=run.pk).values_list("pk", flat=True))
    MatchRun.objects.filter(pk__in=previous).update(is_current=False)
    total = run.recommendations.count()
    chunk_seconds = sum(run.chunks.values_list("seconds", flat=True))
    run.status, run.is_current, run.progress, run.finished_at = MatchRun.Status.DONE, True, 100, timezone.now()
    run.counts = {**run.counts, "recommendations": total}
    assert run.started_at is not None  # set when the run went RUNNING
    run.timings = {
        **run.timings,
        "chunks_s": round(chunk_seconds, 2),
        "wall_s": round((run.finished_at - run.started_at).total_seconds(), 2),
    }
    run.save()
    stale = MatchRun.objects.filter(status__in=[MatchRun.Status.DONE, MatchRun.Status.FAILED]).exclude(
        pk__in=[run.pk, *previous]
    )
    Recommendation.objects.filter(run__in=stale).delete()
    stale_paths = [path for path in stale.values_list("index_path", flat=True) if path]
    transaction.on_commit(lambda: _artifacts_delete(stale_paths))
    transaction.on_commit(current_run_forget)
    return True


def _artifacts_delete(index_paths: list[str]) -> None:
    """Remove the index and query files of runs no reader can reach any more (one province run is ~30 MB)."""
    for index_path in index_paths:
        for path in (index_path, index_path.replace("index.npz", "queries.npz")):
            try:
                if default_storage.exists(path):
                    default_storage.delete(path)
            except OSError:  # a file already gone or unreadable must not fail the run that replaced it
                logger.warning("could not delete matching artifact %s", path, exc_info=True)


def match_runs_redispatch(*, stalled_for: float | None = None) -> int:
    """Send again what a dead worker (or a lost broker message) may have held: the unfinished chunks (or the
    preparation) of running runs. `stalled_for`: only runs whose status and finished chunks did not change for that
    many seconds (the periodic sweep); None: every unfinished run (a worker starting).

    Chunks are idempotent and locked, so a copy of one still queued elsewhere changes nothing; this turns the
    broker's visibility timeout into seconds of recovery.
    """
    from core.recovery import unchanged_for
    from matching.tasks import match_chunk_task, match_run_prepare_task

    sent = 0
    for run in MatchRun.objects.filter(status__in=[MatchRun.Status.PENDING, MatchRun.Status.RUNNING]):
        undone = list(run.chunks.filter(done=False).values_list("direction", "number"))
        state = (run.status, run.chunks_total, len(undone))
        if stalled_for is not None and not unchanged_for(key=f"run:{run.pk}", state=state, seconds=stalled_for):
            continue
        if run.status == MatchRun.Status.PENDING or not run.chunks_total:
            match_run_prepare_task.delay(run.pk)
            sent += 1
            continue
        for direction, number in undone:
            match_chunk_task.delay(run.pk, direction, number)
            sent += 1
    return sent


def match_run_fail(*, run_pk: int, reason: str) -> None:
    """Mark a run FAILED with its reason; the previous run stays served."""
    MatchRun.objects.filter(pk=run_pk).exclude(status=MatchRun.Status.DONE).update(
        status=MatchRun.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


_current: tuple[float, MatchRun | None] = (float("-inf"), None)


def current_run() -> MatchRun | None:
    """The run readers use: the latest complete one (do not modify the instance: it is shared within the process).

    Remembered per process for MATCHING_CURRENT_RUN_SECONDS: every recommendation and search request needs it, and
    a reader that sees the previous run for a second more is still right, since finalising a run keeps the previous
    run's rows and artifacts.
    """
    global _current
    ttl = settings.MATCHING_CURRENT_RUN_SECONDS
    if ttl > 0 and time.monotonic() - _current[0] < ttl:
        return _current[1]
    run = MatchRun.objects.filter(is_current=True, status=MatchRun.Status.DONE).order_by("-finished_at").first()
    _current = (time.monotonic(), run)
    return run


def current_run_forget() -> None:
    """Drop this process's remembered current run (a run was just finalised here)."""
    global _current
    _current = (float("-inf"), None)


@dataclass
class Ranked:
    patent_id: int
    score: float
    terms: list[str]
    values: tuple = ()  # fields asked for with the hit (search_index_rank's `values`)


def patent_push_list(*, patent_id: int, k: int = TOP_K) -> list[tuple[int, float]]:
    """The enterprises that fit one patent, best first: its vector against every enterprise query of the current run."""
    run = current_run()
    if run is None:
        return []
    index, queries, enterprise_ids = run_artifacts(run)
    try:
        row = index.row_of(str(patent_id))
    except KeyError:  # not pooled when the run was built
        return []
    scores = (queries @ index.matrix[row].T).toarray().ravel()
    best = np.argsort(-scores, kind="stable")[:k]
    return [(int(enterprise_ids[i]), float(scores[i])) for i in best if scores[i] > 0]


def enterprise_rank_now(*, enterprise: Enterprise) -> list[Ranked]:
    """Rank one enterprise now against the current index (a new or edited need); store it in the current run."""
    run = current_run()
    if run is None:
        return []
    index, _, _ = run_artifacts(run)
    query = index.transform_query(enterprise_query(Enterprise.objects.prefetch_related("needs").get(pk=enterprise.pk)))
    top = rank_one(index=index, query=query, k=TOP_K)
    pairs = top.row(0)
    terms = explain_many(index=index, queries=query, patent_rows=top.indices, n_terms=8)[0]
    ranked = [Ranked(int(index.patent_ids[row]), score, terms[j]) for j, (row, score) in enumerate(pairs)]
    with transaction.atomic():
        Recommendation.objects.filter(run=run, direction="e2p", enterprise=enterprise).delete()
        recommendations_write(
            [
                RecRow(run.pk, "e2p", enterprise.pk, r.patent_id, i, r.score, r.score, r.terms)
                for i, r in enumerate(ranked, start=1)
            ]
        )
    return ranked


def search_index_rank(
    *,
    run: MatchRun,
    text: str,
    visible: QuerySet[Patent] | None,
    k: int = 200,
    explain: int | None = None,
    values: Sequence[str] = (),
) -> list[Ranked]:
    """Free-text search ranked by the engine against `run`'s index, among the `visible` patents (None: all).

    Visibility is checked on the best k + k/5 scores with one query over their ids (most are visible to most
    users); only when that leaves fewer than k while more scored patents exist (an officer's own pool, a narrow
    filter) is the whole visible set fetched as a mask. Both ways give the same k best visible patents in the same
    order. Terms are explained for the first `explain` only (None: all). `values`: fields of each hit (e.g. the
    facets) read by the same query, in Ranked.values.
    """
    index, _, _ = run_artifacts(run)
    query = index.transform_query(default_tokenizer().tokenize(text))
    candidates = k + k // 5
    pairs = rank_one(index=index, query=query, k=candidates).row(0)
    found: dict[int, tuple] = {}
    if visible is not None and pairs:
        ids = [int(index.patent_ids[row]) for row, _ in pairs]
        found = {row[0]: row[1:] for row in visible.filter(pk__any_of=ids).values_list("pk", *values)}
        kept = [pair for pair, pid in zip(pairs, ids, strict=True) if pid in found]
        if len(kept) < k and len(pairs) == candidates:  # more scored patents than candidates: rank among visible
            allowed = [str(pk) for pk in visible.values_list("pk", flat=True)]
            mask = mask_from_ids(index=index, allowed_ids=allowed)
            kept = rank_one(index=index, query=query, k=k, patent_mask=mask).row(0)
        pairs = kept
    pairs = pairs[:k]
    hit_ids = [int(index.patent_ids[row]) for row, _ in pairs]
    missing = [pid for pid in hit_ids if pid not in found] if values else []
    if missing:  # no visibility check, or the whole visible set was ranked
        source = visible if visible is not None else Patent.objects.all()
        found.update({row[0]: row[1:] for row in source.filter(pk__any_of=missing).values_list("pk", *values)})
    shown = pairs if explain is None else pairs[:explain]
    rows = np.array([[row for row, _ in shown]], dtype=np.int64)
    terms = explain_many(index=index, queries=query, patent_rows=rows, n_terms=5)[0] if shown else []
    return [
        Ranked(pid, score, terms[j] if j < len(terms) else [], found.get(pid, ()) if values else ())
        for j, (pid, (_, score)) in enumerate(zip(hit_ids, pairs, strict=True))
    ]


def search_explain(*, run: MatchRun, text: str, patent_ids: list[int]) -> dict[int, list[str]]:
    """The terms that tie `text` to each of `patent_ids` in `run`'s index (ids not in it are left out)."""
    if not patent_ids:
        return {}
    index, _, _ = run_artifacts(run)
    known = []
    for pid in patent_ids:
        try:
            known.append((pid, index.row_of(str(pid))))
        except KeyError:  # pooled after the run was built
            continue
    if not known:
        return {}
    query = index.transform_query(default_tokenizer().tokenize(text))
    rows = np.array([[row for _, row in known]], dtype=np.int64)
    terms = explain_many(index=index, queries=query, patent_rows=rows, n_terms=5)[0]
    return {pid: terms[j] for j, (pid, _) in enumerate(known)}


def match_run_execute_inline(*, run: MatchRun) -> MatchRun:
    """Run a whole matching run in this process (management command, tests, `make run`)."""
    try:
        chunks = match_run_prepare(run=run)
        run.refresh_from_db()
        for direction, number in chunks:
            match_chunk_execute(run=run, direction=direction, number=number)
    except ValueError as exc:
        match_run_fail(run_pk=run.pk, reason=str(exc))
    run.refresh_from_db()
    return run

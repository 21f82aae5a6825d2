"""Preparing a run: what it matches, the token caches (matching.runs.tokens, so a warm run tokenizes only what
changed), the fitted index, every enterprise's query vector, the run's files (matching.runs.artifacts) and its
chunks. Writes."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from enterprises.models import Enterprise, TechNeed
from matching.engine import MatchIndex, fit_index, index_shard
from matching.models import MatchChunk, MatchRun
from matching.runs.artifacts import run_artifacts_save, run_chunk_save, run_shard_save
from matching.runs.chunks import shard_bounds
from matching.runs.feedback import feedback_events
from matching.runs.guard import match_run_fail
from matching.runs.tokens import enterprise_queries, patent_documents, patent_ipc_subclasses
from patents.models import InventoryStatus, LegalStatus, Patent


def matchable_patents() -> QuerySet[Patent]:
    """Pooled patents whose right is not lapsed: what is recommended to enterprises."""
    return Patent.objects.filter(inventory_status=InventoryStatus.POOLED).exclude(legal_status=LegalStatus.INVALID)


def matchable_enterprises() -> QuerySet[Enterprise]:
    """Enterprises with something to match on and a code that is not rejected."""
    return (
        Enterprise.objects.exclude(verification="rejected")
        .filter(~Q(business_scope="") | ~Q(products="") | Q(needs__status=TechNeed.Status.OPEN))
        .distinct()
    )


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
    per_chunk = settings.MATCHING_ENTERPRISE_CHUNK
    numbers = list(range((len(enterprise_pks) + per_chunk - 1) // per_chunk))
    shards = _shards_save(index_path=index_path, index=index, queries=queries, enterprise_ids=enterprise_ids)
    marks.append((time.perf_counter(), time.process_time()))
    with transaction.atomic():
        MatchChunk.objects.filter(run=run).delete()
        MatchChunk.objects.bulk_create([MatchChunk(run=run, number=n) for n in numbers])
        MatchRun.objects.filter(pk=run.pk).update(
            index_path=index_path,
            chunks_total=len(numbers),
            progress=10,
            counts={
                "patents": len(patent_ids),
                "enterprises": len(enterprise_pks),
                "terms": len(index.terms),
                "shards": shards,
            },
            timings={
                # tokenize: read (and where changed, tokenize) the patents; queries: the same for the enterprises'
                # queries, then their vectors; save: the run's artifacts. *_cpu_s: this process's CPU seconds.
                **_phase_timings(("tokenize", "fit", "queries", "save"), marks),
                "prepare_s": round(time.perf_counter() - started, 2),
                "prepare_cpu_s": round(time.process_time() - started_cpu, 2),
            },
        )
    return numbers


def patent_shards(n_patents: int) -> int:
    """How many shards a run of `n_patents` is cut into: ceil(n / MATCHING_SHARD_PATENTS), 1 when that is 0."""
    per_shard = settings.MATCHING_SHARD_PATENTS
    return max(1, -(-n_patents // per_shard)) if per_shard > 0 else 1


def _shards_save(*, index_path: str, index: MatchIndex, queries: sp.csr_matrix, enterprise_ids: np.ndarray) -> int:
    """For a run cut into shards (patent_shards > 1): each shard's index, and each chunk's queries and feedback (taken
    now, with the vectors of the events' patents, which may lie in any shard), so that a chunk task loads only its
    shard and its chunk. Returns the number of shards."""
    shards = patent_shards(len(index.patent_ids))
    if shards == 1:
        return 1
    for shard, (start, stop) in enumerate(shard_bounds(n_patents=len(index.patent_ids), shards=shards)):
        run_shard_save(index_path=index_path, shard=shard, index=index_shard(index, start=start, stop=stop))
    events = feedback_events(enterprise_ids=None, row_of={pid: row for row, pid in enumerate(index.patent_ids)})
    per_chunk = settings.MATCHING_ENTERPRISE_CHUNK
    for number, start in enumerate(range(0, len(enterprise_ids), per_chunk)):
        run_chunk_save(
            index_path=index_path,
            number=number,
            queries=queries[start : start + per_chunk],
            enterprise_ids=enterprise_ids[start : start + per_chunk],
            events=events,
            patent_matrix=index.matrix,
        )
    return shards


def _phase_timings(names: tuple[str, ...], marks: list[tuple[float, float]]) -> dict[str, float]:
    """Wall and CPU seconds of consecutive phases from (perf_counter, process_time) marks taken between them."""
    out: dict[str, float] = {}
    for name, (wall0, cpu0), (wall1, cpu1) in zip(names, marks[:-1], marks[1:], strict=True):
        out[f"{name}_s"], out[f"{name}_cpu_s"] = round(wall1 - wall0, 2), round(cpu1 - cpu0, 2)
    return out


def match_run_prepare_or_resume(*, run: MatchRun) -> list[int]:
    """The chunk numbers a queued run has still to rank: all of them once it is prepared now, or — a redelivered
    preparation of a run prepared already — only its unfinished ones. Nothing to match fails the run: []."""
    if run.chunks_total:
        return list(run.chunks.filter(done=False).values_list("number", flat=True))
    try:
        return match_run_prepare(run=run)
    except ValueError as exc:
        match_run_fail(run_pk=run.pk, reason=str(exc))
        return []

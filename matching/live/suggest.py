"""建议入库 for an officer: the institution's patents that are not pooled, scored against every enterprise of the
current run the way a newly pooled patent is folded into the live index (matching.live.index: the same tokens,
IPC labels and pivot, matching.engine.index_apply), and kept when some enterprise would then rank them in its top
MATCHING_TOP_K at a score of at least SUPPLY_DEMAND_THRESHOLD (the demand of patents.PatentDemand, as if pooled).

The extended index is this function's own: it is never stored in the live state or a cache readers rank with, so a
patent that is not pooled is never shown to an enterprise. Reads only (the result is cached per institution and
live-index version). docs/supply_demand.md."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min

from core.supply import demand_threshold, suggest_max
from enterprises.models import TechNeed
from matching.engine import PatentText, index_apply, index_pivot, patent_tokens_many, rank_queries
from matching.live.index import live_index_versioned
from matching.models import MatchRun, Recommendation
from matching.runs.artifacts import run_artifacts
from matching.runs.current import current_run
from matching.runs.tokens import WEIGHTS, patent_ipc_subclasses
from patents.models import InventoryStatus, LegalStatus, Patent

CACHE_SECONDS = 600
NEED_TITLES_SHOWN = 3


@dataclass(frozen=True)
class PoolSuggestion:
    """A patent worth pooling: the enterprises that would rank it, their open needs (a few titles), its best
    score."""

    patent_id: int
    enterprises: int
    needs: int
    best_score: float
    need_titles: tuple[str, ...]


def pool_candidates(*, institution_id: int) -> list[int]:
    """The institution's patents that could be pooled (not pooled, right not lapsed), newest change first, at most
    SUPPLY_SUGGEST_MAX."""
    rows = (
        Patent.objects.filter(institution_id=institution_id)
        .exclude(inventory_status=InventoryStatus.POOLED)
        .exclude(legal_status=LegalStatus.INVALID)
        .order_by("-updated_at", "-pk")
        .values_list("pk", flat=True)
    )
    return list(rows[: suggest_max()])


def pool_suggestions(*, institution_id: int) -> list[PoolSuggestion]:
    """The institution's patents not pooled that would have demand if pooled, most enterprises first; empty before
    the first run."""
    run = current_run()
    if run is None:
        return []
    index, version = live_index_versioned(run)
    threshold, top_k = demand_threshold(), settings.MATCHING_TOP_K
    key = f"supply:suggest:{institution_id}:{run.pk}:{version}:{threshold}:{top_k}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    ids = pool_candidates(institution_id=institution_id)
    found = _score(run, index, ids, threshold=threshold, top_k=top_k) if ids else []
    cache.set(key, found, CACHE_SECONDS)
    return found


def _score(run: MatchRun, index, ids: list[int], *, threshold: float, top_k: int) -> list[PoolSuggestion]:  # noqa: ANN001 - a MatchIndex
    texts = Patent.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "title", "abstract", "claims")
    add_ids = [pk for pk, *_ in texts]
    docs = patent_tokens_many(
        patents=[PatentText(title=t, abstract=a, claims=c) for _, t, a, c in texts], weights=WEIGHTS
    )
    labels = patent_ipc_subclasses(patents=Patent.objects.filter(pk__in=add_ids), patent_ids=add_ids)
    base, queries, enterprise_ids = run_artifacts(run)
    extended = index_apply(
        index, add_documents=docs, add_ids=[str(pk) for pk in add_ids], add_labels=labels, pivot=index_pivot(base)
    )
    vectors = extended.semantic.transform(queries) if extended.semantic is not None else None
    bars = _entry_bars(run, top_k=top_k)
    wanted = max(top_k, settings.MATCHING_POOL_REFRESH_ENTERPRISES)
    hits: dict[int, list[tuple[int, float]]] = {}
    for pk in add_ids:
        best = rank_queries(
            index=extended, queries=queries, patent_row=extended.row_of(str(pk)), k=wanted, query_vectors=vectors
        )
        kept = [
            (int(enterprise_ids[i]), score)
            for i, score in best.row(0)
            if score >= threshold and score > bars.get(int(enterprise_ids[i]), 0.0)
        ]
        if kept:
            hits[pk] = kept
    return _with_needs(hits)


def _entry_bars(run: MatchRun, *, top_k: int) -> dict[int, float]:
    """The score a patent must beat to enter each enterprise's stored list: its lowest when the list is full (an
    enterprise missing here, or with a short list, takes any score)."""
    rows = (
        Recommendation.objects.filter(run=run)
        .values("enterprise_id")
        .annotate(n=Count("pk"), lowest=Min("score"))
        .filter(n__gte=top_k)
        .values_list("enterprise_id", "lowest")
    )
    return dict(rows)


def _with_needs(hits: dict[int, list[tuple[int, float]]]) -> list[PoolSuggestion]:
    enterprises = {e for pairs in hits.values() for e, _ in pairs}
    needs: dict[int, list[str]] = {}
    for enterprise_id, title in (
        TechNeed.objects.filter(enterprise_id__in=enterprises, status=TechNeed.Status.OPEN)
        .order_by("-created_at", "-pk")
        .values_list("enterprise_id", "title")
    ):
        needs.setdefault(enterprise_id, []).append(title)
    out = []
    for pk, pairs in hits.items():
        ranked = sorted(pairs, key=lambda pair: -pair[1])  # the needs of the best-fitting enterprises first
        titles = [title for e, _ in ranked for title in needs.get(e, [])]
        out.append(
            PoolSuggestion(
                patent_id=pk,
                enterprises=len(pairs),
                needs=len(titles),
                best_score=round(ranked[0][1], 4),
                need_titles=tuple(titles[:NEED_TITLES_SHOWN]),
            )
        )
    return sorted(out, key=lambda s: (-s.enterprises, -s.best_score, s.patent_id))

"""Keeping the stored recommendation lists in step with the live index between runs: an enterprise whose needs
changed is re-ranked now, and newly pooled (or edited) patents enter the lists they now beat. Both store into the
current run. Writes."""

from __future__ import annotations

import json

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min

from enterprises.models import Enterprise
from matching.engine import explain_many, rank_one
from matching.live.index import live_index
from matching.live.ranking import Ranked, patent_push_list
from matching.models import MatchRun, Recommendation
from matching.runs.current import current_run
from matching.runs.demand import enterprise_supply_refresh, patent_demand_refresh
from matching.runs.rows import RecommendationRows
from matching.runs.rules import need_feedback
from matching.runs.tokens import enterprise_query
from matching.runs.writes import recommendations_write


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
        for enterprise_id, score in patent_push_list(
            patent_id=patent_id, k=settings.MATCHING_POOL_REFRESH_ENTERPRISES, served=True
        ):
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
    touched: set[int] = set()
    for enterprise in Enterprise.objects.filter(pk__in=targets).order_by("pk"):
        _, patents = _enterprise_rank_store(run=run, enterprise=enterprise)
        touched.update(patents)
    # the patents' demand once for all of them: each refresh scans the run's rows (25 enterprises re-ranked one by
    # one took 11 s at 45,000 × 26,000, bench/pool_visible.py)
    patent_demand_refresh(run_id=run.pk, patent_ids=touched)
    return len(targets)


def enterprise_rank_now(*, enterprise: Enterprise) -> list[Ranked]:
    """Rank one enterprise now against the current index (a new or edited need); store it in the current run, with
    the demand of the patents that left or entered its list."""
    run = current_run()
    if run is None:
        return []
    with transaction.atomic():
        ranked, patents = _enterprise_rank_store(run=run, enterprise=enterprise)
        patent_demand_refresh(run_id=run.pk, patent_ids=patents)
    return ranked


def _enterprise_rank_store(*, run: MatchRun, enterprise: Enterprise) -> tuple[list[Ranked], list[int]]:
    """Rank one enterprise against the current index and replace its list in `run`, with its closest supply; the
    ranking and the patents whose demand it may have moved (those that left or entered the list, and those whose
    count of its open needs moved)."""
    index = live_index(run)
    query = index.transform_query(enterprise_query(Enterprise.objects.prefetch_related("needs").get(pk=enterprise.pk)))
    top = rank_one(index=index, query=query, k=settings.MATCHING_TOP_K, feedback=need_feedback())  # as a run ranks
    pairs = top.row(0)
    terms = explain_many(index=index, queries=query, patent_rows=top.indices, n_terms=settings.MATCHING_TERMS_SHOWN)[0]
    semantic = top.semantic[0] if top.semantic is not None else np.zeros(top.indices.shape[1], np.float32)
    ranked = [Ranked(int(index.patent_ids[row]), score, terms[j]) for j, (row, score) in enumerate(pairs)]
    scores = np.array([r.score for r in ranked], dtype=np.float64)
    with transaction.atomic():
        # two changes of one enterprise at once (two needs published together): the second waits for the first,
        # then replaces its rows — without the lock its delete misses the first's rows and its insert collides
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).exists()
        stored = Recommendation.objects.filter(run=run, enterprise=enterprise)
        before = list(stored.values_list("patent_id", flat=True))
        stored.delete()
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
        enterprise_supply_refresh(run_id=run.pk, enterprise_ids=[enterprise.pk])
    return ranked, [*before, *(r.patent_id for r in ranked)]

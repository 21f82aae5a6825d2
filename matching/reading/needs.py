"""Recommendations for one of an enterprise's needs, ranked on demand.

The stored recommendations rank all of an enterprise's open needs (with its business scope and products) as one
query and do not record which need matched, so a new need can push the older needs' patents out of the top k.
Picking one need on the recommendations page ranks that need alone against the current run's index, as
``matching.live.rerank.enterprise_rank_now`` ranks an enterprise (``rank_one`` + ``explain_many``), without storing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from accounts.models import User
from enterprises.models import TechNeed
from matching.engine import enterprise_query_tokens, explain_many, rank_one
from matching.live.index import live_index
from matching.reading.recommendations import PATENT_BRIEF_FIELDS
from matching.runs.current import current_run
from matching.runs.rules import need_feedback
from patents.filters import grade_consent_q
from patents.models import Patent
from patents.selectors import patents_pooled_visible_to


@dataclass
class NeedRecommendation:
    """A patent ranked for one need (the recommendation card reads the same attributes as a Recommendation)."""

    rank: int
    score: float
    final_score: float
    terms: list[str]
    patent: Patent
    semantic: float = 0.0  # the semantic part of the score, as a stored Recommendation's


def open_needs_of(*, user: User) -> list[TechNeed]:
    """The open needs of the member's enterprise, newest first (the need selector's choices)."""
    if user.enterprise_id is None:
        return []
    return list(
        TechNeed.objects.filter(enterprise_id=user.enterprise_id, status=TechNeed.Status.OPEN).order_by(
            "-created_at", "-pk"
        )
    )


def need_recommendations(
    *,
    user: User,
    need: TechNeed,
    city: str = "",
    patent_type: str = "",
    mode: str = "",
    grade: str = "",
    consent: str = "",
) -> list[NeedRecommendation]:
    """The best pooled patents the member may see for `need` alone (filters as recommendations_for_enterprise),
    best first, at most MATCHING_TOP_K; empty before the first run."""
    run = current_run()
    if run is None:
        return []
    index = live_index(run)
    tokens = enterprise_query_tokens(needs=f"{need.title} {need.keywords} {need.description}")
    query = index.transform_query(tokens)
    top = rank_one(index=index, query=query, k=settings.MATCHING_TOP_K, feedback=need_feedback())  # as a run ranks
    pairs = top.row(0)
    if not pairs:
        return []
    terms = explain_many(index=index, queries=query, patent_rows=top.indices, n_terms=settings.MATCHING_TERMS_SHOWN)[0]
    semantic = top.semantic[0] if top.semantic is not None else [0.0] * top.indices.shape[1]
    ranked = [(int(index.patent_ids[row]), score, terms[j], float(semantic[j])) for j, (row, score) in enumerate(pairs)]
    visible = patents_pooled_visible_to(user=user).select_related("institution", "institution__city")
    if city:
        visible = visible.filter(institution__city_id=city)
    if patent_type:
        visible = visible.filter(patent_type=patent_type)
    if mode:  # quoted, so "licence" does not match "open_licence"
        visible = visible.filter(transfer_modes__icontains=f'"{mode}"')
    if grade or consent:
        visible = visible.filter(grade_consent_q(grades=grade, consent=bool(consent)))
    shown = visible.only(*PATENT_BRIEF_FIELDS).in_bulk([pk for pk, _, _, _ in ranked])
    kept = [(shown[pk], score, found, part) for pk, score, found, part in ranked if pk in shown]
    return [
        NeedRecommendation(rank=i, score=score, final_score=score, terms=found, patent=patent, semantic=part)
        for i, (patent, score, found, part) in enumerate(kept, start=1)
    ]

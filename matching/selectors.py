"""Reads of matching results: always from the current (latest complete) run."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from accounts.access import enterprises_visible_to, is_enterprise_member, patents_pooled_visible_to
from accounts.models import User
from enterprises.models import Enterprise
from matching.models import MatchRun, Recommendation
from matching.services import Ranked, current_run, patent_push_list, search_explain, search_index_rank
from patents.models import Patent
from patents.selectors import patent_list

# what a recommendation or a search hit shows of a patent (not the claims: tens of kilobytes each)
PATENT_BRIEF_FIELDS = (
    "application_number",
    "title",
    "abstract",
    "patent_type",
    "transfer_modes",
    "institution__name",
    "institution__city__name",
)


def recommendations_for_enterprise(
    *, user: User, city: str = "", patent_type: str = "", mode: str = ""
) -> QuerySet[Recommendation]:
    """The member's enterprise's top pooled patents (filters: owner's city, patent type, transfer mode), best first.

    Read through the pool rule of search (`patents_pooled_visible_to`), live: a patent withdrawn from the pool after
    the run (or after a re-rank against the run's index) is gone at once.
    """
    run = current_run()
    if run is None or not is_enterprise_member(user) or user.enterprise_id is None:
        return Recommendation.objects.none()
    qs = (
        Recommendation.objects.filter(run=run, direction="e2p", enterprise_id=user.enterprise_id)
        .filter(patent__in=patents_pooled_visible_to(user))
        .select_related("patent", "patent__institution", "patent__institution__city")
        .only("rank", "score", "final_score", "terms", *(f"patent__{name}" for name in PATENT_BRIEF_FIELDS))
    )
    if city:
        qs = qs.filter(patent__institution__city_id=city)
    if patent_type:
        qs = qs.filter(patent__patent_type=patent_type)
    if mode:  # quoted, so "licence" does not match "open_licence"; works on SQLite and PostgreSQL alike
        qs = qs.filter(patent__transfer_modes__icontains=f'"{mode}"')
    return qs.order_by("-final_score", "rank")


@dataclass
class PushRow:
    """One enterprise of a patent's push list."""

    rank: int
    score: float
    enterprise: Enterprise


def enterprises_for_patent(*, user: User, patent_id: int) -> list[PushRow] | None:
    """The enterprises that fit a patent (officer push list), ranked now; None when the user may not see it."""
    patent = patent_list(user=user).filter(pk=patent_id).first()
    if patent is None or is_enterprise_member(user):
        return None
    ranked = patent_push_list(patent_id=patent_id)
    # only the enterprises the user may see (city staff: their city's), in the push list's order
    enterprises = enterprises_visible_to(user).select_related("city").in_bulk([pk for pk, _ in ranked])
    return [
        PushRow(rank, score, enterprises[pk]) for rank, (pk, score) in enumerate(ranked, start=1) if pk in enterprises
    ]


def match_run_list() -> QuerySet[MatchRun]:
    """Runs, newest first, for staff."""
    return MatchRun.objects.order_by("-created_at")


@dataclass
class SearchResult:
    patent: Patent
    score: float
    terms: list[str]


FACETS = {
    "city": "institution__city__name",
    "institution": "institution__name",
    "ipc_section": "ipc_section",
    "patent_type": "patent_type",
}


SEARCH_HITS = 500  # hits counted in the total and the facets; pages walk through them
SEARCH_PAGE_SIZE = 20


def patent_search(
    *, user: User, text: str, filters: dict[str, str], page: int = 1, page_size: int = SEARCH_PAGE_SIZE
) -> dict[str, Any]:
    """Rank the patents `user` may see against free text with the matching engine: one page of hits, facet counts.

    The ranking (hit ids, scores, explaining terms, facets) is cached for MATCHING_SEARCH_CACHE_SECONDS per current
    run, text and visible set — keyed by the SQL of the caller's visibility and filters, so it follows patent_list's
    rules by construction: a whole province typing the same words after a push costs one ranking.
    The hits shown are always re-read through the caller's visibility and filters, so a patent withdrawn from the
    pool disappears at once; only the total and the facet counts may lag by the cache time.
    """
    base = patents_pooled_visible_to(user).select_related("institution", "institution__city")
    for key, lookup in (
        ("city", "institution__city_id"),
        ("institution", "institution_id"),
        ("ipc_section", "ipc_section"),
        ("patent_type", "patent_type"),
    ):
        if filters.get(key):
            base = base.filter(**{lookup: filters[key]})
    if filters.get("mode"):
        base = base.filter(transfer_modes__icontains=f'"{filters["mode"]}"')
    run = current_run()
    ranking = _search_ranking(run=run, base=base, text=text)
    pages = max(1, -(-len(ranking["hits"]) // page_size))
    page = min(max(1, page), pages)
    window = ranking["hits"][(page - 1) * page_size : page * page_size]
    unexplained = [pk for pk, _, terms in window if terms is None]
    if run is not None and unexplained:  # only the first page is explained with the ranking; later pages on demand
        terms_of = search_explain(run=run, text=text, patent_ids=unexplained)
        window = [(pk, score, terms_of.get(pk, []) if terms is None else terms) for pk, score, terms in window]
    shown = {p.pk: p for p in base.filter(pk__any_of=[pk for pk, _, _ in window]).only(*PATENT_BRIEF_FIELDS)}
    results = [SearchResult(shown[pk], score, terms) for pk, score, terms in window if pk in shown]
    return {
        "total": len(ranking["hits"]),
        "page": page,
        "pages": pages,
        "results": results,
        "facets": ranking["facets"],
    }


def _search_ranking(*, run: MatchRun | None, base: QuerySet[Patent], text: str) -> dict[str, Any]:
    """{"hits": [(patent id, score, terms or None)], "facets": {...}} of a search, from the cache when it is there;
    terms are explained for the first page only (None after it)."""
    if run is None or not text.strip():
        return {"hits": [], "facets": _facets([])}
    seconds = settings.MATCHING_SEARCH_CACHE_SECONDS
    key = ""
    if seconds > 0:
        material = json.dumps(
            [run.pk, run.created_at.isoformat(), str(base.query), " ".join(text.split())],
            ensure_ascii=False,
            sort_keys=True,
        )
        key = "matching:search:" + hashlib.sha256(material.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
    ranked = search_index_rank(
        run=run, text=text, visible=base, k=SEARCH_HITS, explain=SEARCH_PAGE_SIZE, values=tuple(FACETS.values())
    )
    hits = [(r.patent_id, r.score, r.terms if i < SEARCH_PAGE_SIZE else None) for i, r in enumerate(ranked)]
    ranking = {"hits": hits, "facets": _facets(ranked)}
    if key:
        cache.set(key, ranking, seconds)
    return ranking


def _facets(ranked: list[Ranked]) -> dict[str, list[dict[str, Any]]]:
    """Up to 12 values per facet with their counts among the hits, most frequent first (ties: best hit first), from
    the facet fields read with the hits."""
    counters: list[Counter] = [Counter() for _ in FACETS]
    for hit in ranked:
        for counter, value in zip(counters, hit.values, strict=False):
            counter[value] += 1
    return {
        name: [{field: value, "n": n} for value, n in counter.most_common(12)]
        for (name, field), counter in zip(FACETS.items(), counters, strict=True)
    }

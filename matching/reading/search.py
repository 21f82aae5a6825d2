"""Search: free text (or a patent number) ranked by the engine against the current run's live index, among the
patents the caller may see, with facets; one page of hits read live, the ranking cached for a minute. Reads only."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import User
from matching.engine import (
    CoverageConfig,
    coverage_applies,
    coverage_factors,
    default_tokenizer,
    explain_many,
    mask_from_ids,
    query_words,
    rank_one,
    words_held,
    words_missing,
)
from matching.live.index import live_index, live_index_versioned
from matching.live.ranking import Ranked
from matching.models import MatchRun
from matching.reading.recommendations import PATENT_BRIEF_FIELDS
from matching.runs.current import current_run
from patents.filters import PatentNumberLookup, patent_number_lookup
from patents.models import Patent
from patents.selectors import patents_pooled_visible_to


@dataclass
class SearchResult:
    """A hit: `score` is what the list is ordered by — the engine's score, lowered for each word of a short query
    the patent does not hold (`missing`, matching.engine.coverage), or 1 for a patent found by its number (`match`:
    "application_number", "publication_number", "number" for digits of either; "text" otherwise)."""

    patent: Patent
    score: float
    terms: list[str]
    missing: tuple[str, ...] = ()
    match: str = "text"


# The term coverage of short searches (matching.engine.coverage; its defaults were chosen by bench/quality.py).
SEARCH_COVERAGE = CoverageConfig()


FACETS = {
    "city": "institution__city__name",
    "institution": "institution__name",
    "ipc_section": "ipc_section",
    "patent_type": "patent_type",
}
MODE_FACET_FIELD = "transfer_modes"  # counted per mode, as the "mode" facet


def patent_search(
    *, user: User, text: str, filters: dict[str, str], page: int = 1, page_size: int | None = None
) -> dict[str, Any]:
    """Rank the patents `user` may see against free text with the matching engine: one page of hits
    (`page_size`, default MATCHING_SEARCH_PAGE_SIZE), facet counts over the best MATCHING_SEARCH_HITS.

    The ranking (hit ids, scores, explaining terms, facets) is cached for MATCHING_SEARCH_CACHE_SECONDS per current
    run, text and visible set — keyed by the SQL of the caller's visibility and filters, so it follows patent_list's
    rules by construction: a whole province typing the same words after a push costs one ranking.
    The hits shown are always re-read through the caller's visibility and filters, so a patent withdrawn from the
    pool disappears at once; only the total and the facet counts may lag by the cache time.
    """
    base = patents_pooled_visible_to(user=user).select_related("institution", "institution__city")
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
    page_size = page_size or settings.MATCHING_SEARCH_PAGE_SIZE
    pages = max(1, -(-len(ranking["hits"]) // page_size))
    page = min(max(1, page), pages)
    window = ranking["hits"][(page - 1) * page_size : page * page_size]
    unexplained = [pk for pk, _, terms, _, _ in window if terms is None]
    if run is not None and unexplained:  # only the first page is explained with the ranking; later pages on demand
        terms_of = search_explain(run=run, text=text, patent_ids=unexplained)
        window = [
            (pk, score, terms_of.get(pk, []) if terms is None else terms, missing, match)
            for pk, score, terms, missing, match in window
        ]
    shown = {p.pk: p for p in base.filter(pk__any_of=[hit[0] for hit in window]).only(*PATENT_BRIEF_FIELDS)}
    results = [
        SearchResult(shown[pk], score, terms or [], missing, match)
        for pk, score, terms, missing, match in window
        if pk in shown
    ]
    return {
        "total": len(ranking["hits"]),
        "page": page,
        "pages": pages,
        "results": results,
        "facets": ranking["facets"],
    }


def _search_ranking(*, run: MatchRun | None, base: QuerySet[Patent], text: str) -> dict[str, Any]:
    """{"hits": [(patent id, score, terms or None, missing words, match)], "facets": {...}} of a search, from the
    cache when it is there; terms are explained for the first page only (None after it).

    A text that is a patent number (patents.filters.patent_number_lookup: an application number in any spelling
    the inventory accepts, a publication number, or their digits) finds those patents, by number; any other text is
    ranked by the engine."""
    number = patent_number_lookup(text=text)
    if (run is None and number is None) or not text.strip():
        return {"hits": [], "facets": _facets([])}
    seconds = settings.MATCHING_SEARCH_CACHE_SECONDS
    key = ""
    if seconds > 0 and run is not None:
        _, version = live_index_versioned(run)  # a patent pooled or withdrawn since: not the cached ranking
        material = json.dumps(
            ["v2", run.pk, run.created_at.isoformat(), version, str(base.query), " ".join(text.split())],
            ensure_ascii=False,
            sort_keys=True,
        )
        key = "matching:search:" + hashlib.sha256(material.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
    page_size = settings.MATCHING_SEARCH_PAGE_SIZE
    values = (*FACETS.values(), MODE_FACET_FIELD)
    if number is not None:
        ranked = _number_hits(base=base, number=number, k=settings.MATCHING_SEARCH_HITS, values=values)
    else:
        assert run is not None
        ranked = search_index_rank(
            run=run, text=text, visible=base, k=settings.MATCHING_SEARCH_HITS, explain=page_size, values=values
        )
    hits = [  # a number's hits have no terms to explain, on any page
        (r.patent_id, r.score, r.terms if i < page_size or number is not None else None, r.missing, r.match)
        for i, r in enumerate(ranked)
    ]
    ranking = {"hits": hits, "facets": _facets(ranked)}
    if key:
        cache.set(key, ranking, seconds)
    return ranking


def _number_hits(*, base: QuerySet[Patent], number: PatentNumberLookup, k: int, values: Sequence[str]) -> list[Ranked]:
    """The visible patents a typed number finds, by application number (score 1: they are what was asked for)."""
    rows = base.filter(number.q).order_by("application_number", "pk").values_list("pk", *values)[:k]
    return [Ranked(row[0], 1.0, [], tuple(row[1:]), match=number.field) for row in rows]


def _facets(ranked: list[Ranked]) -> dict[str, list[dict[str, Any]]]:
    """Up to MATCHING_SEARCH_FACET_VALUES values per facet with their counts among the hits, most frequent first
    (ties: best hit first), from the facet fields read with the hits."""
    counters: list[Counter] = [Counter() for _ in FACETS]
    modes: Counter = Counter()
    for hit in ranked:
        for counter, value in zip(counters, hit.values, strict=False):
            counter[value] += 1
        if len(hit.values) > len(FACETS):  # the transfer modes: a list per patent, each mode counted
            modes.update(str(mode) for mode in hit.values[len(FACETS)] or [])
    facets = {
        name: [{field: value, "n": n} for value, n in counter.most_common(settings.MATCHING_SEARCH_FACET_VALUES)]
        for (name, field), counter in zip(FACETS.items(), counters, strict=True)
    }
    facets["mode"] = [{"mode": mode, "n": n} for mode, n in modes.most_common()]
    return facets


def search_index_rank(
    *,
    run: MatchRun,
    text: str,
    visible: QuerySet[Patent] | None,
    k: int,
    explain: int | None = None,
    values: Sequence[str] = (),
) -> list[Ranked]:
    """Free-text search ranked by the engine against `run`'s index, among the `visible` patents (None: all).

    Visibility is checked on the best k + k/5 scores with one query over their ids (most are visible to most
    users); only when that leaves fewer than k while more scored patents exist (an officer's own pool, a narrow
    filter) is the whole visible set fetched as a mask. Both ways give the same k best visible patents in the same
    order. Terms are explained for the first `explain` only (None: all). `values`: fields of each hit (e.g. the
    facets) read by the same query, in Ranked.values.

    A short query's scores are multiplied by its term coverage (matching.engine.coverage, SEARCH_COVERAGE) before
    the selection, so a patent holding every word comes before one holding a single word strongly; the scores
    returned are the multiplied ones, and Ranked.missing names the words each hit lacks.
    """
    index = live_index(run)
    tokens = default_tokenizer().tokenize(text)
    query = index.transform_query(tokens)
    words = query_words(tokens=tokens, vocabulary=index.vocabulary)
    factors = None
    if coverage_applies(n_words=len(words), config=SEARCH_COVERAGE):
        held = words_held(patents_t=index.matrix_t, words=words)
        factors = coverage_factors(held=held, n_words=len(words), config=SEARCH_COVERAGE)
    candidates = k + k // 5
    pairs = rank_one(index=index, query=query, k=candidates, score_factors=factors).row(0)
    found: dict[int, tuple] = {}
    if visible is not None and pairs:
        ids = [int(index.patent_ids[row]) for row, _ in pairs]
        found = {row[0]: row[1:] for row in visible.filter(pk__any_of=ids).values_list("pk", *values)}
        kept = [pair for pair, pid in zip(pairs, ids, strict=True) if pid in found]
        if len(kept) < k and len(pairs) == candidates:  # more scored patents than candidates: rank among visible
            allowed = [str(pk) for pk in visible.values_list("pk", flat=True)]
            mask = mask_from_ids(index=index, allowed_ids=allowed)
            kept = rank_one(index=index, query=query, k=k, patent_mask=mask, score_factors=factors).row(0)
        pairs = kept
    pairs = pairs[:k]
    hit_ids = [int(index.patent_ids[row]) for row, _ in pairs]
    missing = [pid for pid in hit_ids if pid not in found] if values else []
    if missing:  # no visibility check, or the whole visible set was ranked
        source = visible if visible is not None else Patent.objects.all()
        found.update({row[0]: row[1:] for row in source.filter(pk__any_of=missing).values_list("pk", *values)})
    shown = pairs if explain is None else pairs[:explain]
    rows = np.array([[row for row, _ in shown]], dtype=np.int64)
    n_terms = settings.MATCHING_SEARCH_TERMS_SHOWN
    terms = explain_many(index=index, queries=query, patent_rows=rows, n_terms=n_terms)[0] if shown else []
    if factors is not None:
        lacking = words_missing(patents_t=index.matrix_t, rows=[row for row, _ in pairs], words=words)
    else:
        lacking = [()] * len(pairs)
    return [
        Ranked(pid, score, terms[j] if j < len(terms) else [], found.get(pid, ()) if values else (), lacking[j])
        for j, (pid, (_, score)) in enumerate(zip(hit_ids, pairs, strict=True))
    ]


def search_explain(*, run: MatchRun, text: str, patent_ids: list[int]) -> dict[int, list[str]]:
    """The terms that tie `text` to each of `patent_ids` in `run`'s index (ids not in it are left out)."""
    if not patent_ids:
        return {}
    index = live_index(run)
    known = []
    for pid in patent_ids:
        try:
            known.append((pid, index.row_of(str(pid))))
        except KeyError:  # no longer pooled
            continue
    if not known:
        return {}
    query = index.transform_query(default_tokenizer().tokenize(text))
    rows = np.array([[row for _, row in known]], dtype=np.int64)
    terms = explain_many(index=index, queries=query, patent_rows=rows, n_terms=settings.MATCHING_SEARCH_TERMS_SHOWN)[0]
    return {pid: terms[j] for j, (pid, _) in enumerate(known)}

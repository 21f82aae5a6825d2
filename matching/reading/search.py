"""Search: free text (or a patent number) ranked by the engine against the current run's live index, among the
patents the caller may see, with facets; one page of hits read live, the ranking cached for a minute. Reads only."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from accounts.models import User
from matching.engine import (
    CoverageConfig,
    MatchIndex,
    TopK,
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
from matching.reading.pool_facets import MODE_FACET_FIELD, pool_facet_values
from matching.reading.recommendations import PATENT_BRIEF_FIELDS
from matching.reading.visible_rows import visible_patents, visible_rows
from matching.runs.current import current_run
from patents.filters import PatentNumberLookup, grade_consent_q, patent_number_lookup
from patents.models import Patent
from patents.selectors import patents_pooled_visible_to, sees_whole_pool

logger = logging.getLogger(__name__)


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
# the visible set's key (_visible_set_key) of every caller who sees the whole pool (sees_whole_pool) and filters nothing
WHOLE_POOL_KEY = "whole-pool"


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
    pool = base = patents_pooled_visible_to(user=user).select_related("institution", "institution__city")
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
    if filters.get("grade") or filters.get("consent"):  # the assessment's filters (issue 25), in the same SQL
        base = base.filter(grade_consent_q(grades=filters.get("grade", ""), consent=bool(filters.get("consent"))))
    # the whole pool, no filter applied (province staff, enterprise members): every patent of the live index is
    # visible to the caller
    whole_pool = base is pool and sees_whole_pool(user=user)
    run = current_run()
    visible_key = _search_visible_key(base, whole_pool=whole_pool)  # the cache key's part, and the page query's
    try:
        ranking = _search_ranking(run=run, base=base, text=text, visible_key=visible_key, whole_pool=whole_pool)
    except FileNotFoundError:
        # the run's files are gone (a lost volume, a host without the shared artifacts directory): answer what needs
        # no index (a patent number still finds its patent) instead of a 500, and say so in the log
        logger.error("matching run %s: its files are missing; search answers without the ranking", run and run.pk)
        run = None
        ranking = _search_ranking(run=None, base=base, text=text, visible_key=visible_key, whole_pool=whole_pool)
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
    page_ids = [hit[0] for hit in window]
    shown = {p.pk: p for p in visible_patents(base, page_ids, PATENT_BRIEF_FIELDS, visible_key=visible_key)}
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


def _search_ranking(
    *, run: MatchRun | None, base: QuerySet[Patent], text: str, visible_key: str, whole_pool: bool = False
) -> dict[str, Any]:
    """{"hits": [(patent id, score, terms or None, missing words, match)], "facets": {...}} of a search, from the
    cache when it is there; terms are explained for the first page only (None after it).

    `whole_pool`: `base` is every pooled patent (sees_whole_pool, no filter): the live index's rows are exactly
    those at its version, so the ranking needs no visibility check and its facet values come from the process's
    table of them (matching.reading.pool_facets) — the same hits, facets and total as through the database.

    A text that is a patent number (patents.filters.patent_number_lookup: an application number in any spelling
    the inventory accepts, a publication number, or their digits) finds those patents, by number; any other text is
    ranked by the engine."""
    number = patent_number_lookup(text=text)
    if (run is None and number is None) or not text.strip():
        return {"hits": [], "facets": _facets([])}
    seconds = settings.MATCHING_SEARCH_CACHE_SECONDS
    key = ""
    index = None
    version = ""
    if run is not None:
        index, version = live_index_versioned(run)  # a patent pooled or withdrawn since: not the cached ranking
    if seconds > 0 and run is not None:
        material = json.dumps(
            ["v3", run.pk, run.created_at.isoformat(), version, visible_key, " ".join(text.split())],
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
            run=run,
            text=text,
            visible=None if whole_pool else base,
            k=settings.MATCHING_SEARCH_HITS,
            explain=page_size,
            values=() if whole_pool else values,
            index=index,  # the one the cache key's version was read with: one version check a search
            visible_key=visible_key,  # and the visible set's key, made for the cache key
        )
        if whole_pool:
            ranked = _with_pool_values(ranked, base=base, values=values, run=run, version=version)
    hits = [  # a number's hits have no terms to explain, on any page
        (r.patent_id, r.score, r.terms if i < page_size or number is not None else None, r.missing, r.match)
        for i, r in enumerate(ranked)
    ]
    ranking = {"hits": hits, "facets": _facets(ranked)}
    if key:
        cache.set(key, ranking, seconds)
    return ranking


def _with_pool_values(
    ranked: list[Ranked], *, base: QuerySet[Patent], values: Sequence[Any], run: MatchRun, version: str
) -> list[Ranked]:
    """`ranked` with each hit's facet values from the process's table (matching.reading.pool_facets); a hit the table
    does not hold (it should hold every pooled patent) is read through `base`, as the hits of a visibility check."""
    ids = [r.patent_id for r in ranked]
    found = pool_facet_values(ids, run=run, version=version)
    missing = [pid for pid in ids if pid not in found]
    if missing:
        found.update({row[0]: row[1:] for row in base.filter(pk__in=missing).order_by().values_list("pk", *values)})
    for r in ranked:
        r.values = found.get(r.patent_id, ())
    return ranked


def _search_visible_key(base: QuerySet[Patent], *, whole_pool: bool) -> str:
    """The visible set's key of a search: every caller who sees the whole pool and filters nothing selects the same
    patents, so they share one key (and one cached ranking) without their rule's SQL compiled on each search."""
    return WHOLE_POOL_KEY if whole_pool else _visible_set_key(base)


def _visible_set_key(base: QuerySet[Patent]) -> str:
    """Which patents `base` selects, for a cache key: the SQL of its primary keys (no columns, no ordering: a quarter
    of the cost of compiling the whole query on every search) with its parameters, each quoted (str(query) does
    not quote them). The same visibility and filters give the same key; a different set, a different key."""
    try:
        sql, params = base.values_list("pk").order_by().query.sql_with_params()
    except EmptyResultSet:  # a rule that selects nothing (a user without a role)
        return "nothing"
    return f"{sql} {params!r}"


def _number_hits(*, base: QuerySet[Patent], number: PatentNumberLookup, k: int, values: Sequence[Any]) -> list[Ranked]:
    """The visible patents a typed number finds, by application number (score 1: they are what was asked for)."""
    rows = base.filter(number.q).order_by("application_number", "pk").values_list("pk", *values)[:k]
    return [Ranked(row[0], 1.0, [], tuple(row[1:]), match=number.field) for row in rows]


def _facets(ranked: list[Ranked]) -> dict[str, list[dict[str, Any]]]:
    """Up to MATCHING_SEARCH_FACET_VALUES values per facet with their counts among the hits, most frequent first
    (ties: best hit first), from the facet fields read with the hits."""
    columns = list(zip(*(hit.values for hit in ranked), strict=True)) or [() for _ in range(len(FACETS) + 1)]
    # Counter counts in C and keeps first-seen order for ties (most_common is a stable sort): best hit first
    counters = [Counter(column) for column in columns[: len(FACETS)]]
    modes: Counter = Counter()
    if len(columns) > len(FACETS):  # the transfer modes: a list per patent (its JSON text), each mode counted
        # the distinct values in first-seen order: each mode enters `modes` at its first hit, as hit by hit
        for raw, n in Counter(columns[len(FACETS)]).items():
            for mode in _modes(raw):
                modes[mode] += n
    facets = {
        name: [{field: value, "n": n} for value, n in counter.most_common(settings.MATCHING_SEARCH_FACET_VALUES)]
        for (name, field), counter in zip(FACETS.items(), counters, strict=True)
    }
    facets["mode"] = [{"mode": mode, "n": n} for mode, n in modes.most_common()]
    return facets


def _modes(raw: str | list | None) -> list[str]:
    """The transfer modes of one hit from its JSON text (or the list itself), as strings."""
    if isinstance(raw, str):
        raw = json.loads(raw)
    return [str(mode) for mode in raw or []]


def search_index_rank(
    *,
    run: MatchRun,
    text: str,
    visible: QuerySet[Patent] | None,
    k: int,
    explain: int | None = None,
    values: Sequence[Any] = (),
    index: MatchIndex | None = None,
    visible_key: str | None = None,
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

    `index`: `run`'s live index when the caller has just read it (None: read here); `visible_key`:
    _visible_set_key(visible) when the caller has just made it (None: made here when needed).
    """
    if index is None:
        index = live_index(run)
    tokens = default_tokenizer().tokenize(text)
    query = index.transform_query(tokens)
    words = query_words(tokens=tokens, vocabulary=index.vocabulary)
    factors = None
    if coverage_applies(n_words=len(words), config=SEARCH_COVERAGE):
        held = words_held(patents_t=index.matrix_t, words=words)
        factors = coverage_factors(held=held, n_words=len(words), config=SEARCH_COVERAGE)
    candidates = k + k // 5
    # the rows and scores as arrays, converted to Python numbers once (.tolist()), not pair by pair
    rows, scores = _best(rank_one(index=index, query=query, k=candidates, score_factors=factors))
    id_array = _patent_id_array(index)[rows]
    ids = id_array.tolist()
    found: dict[int, tuple] = {}
    if visible is not None and ids:
        # the ids as an array: the ORM walks a list item by item (600 items: ~1 ms a query); no ORDER BY: the hits
        # are looked up by id; the statement compiled once per visible set (matching.reading.visible_rows)
        found = {
            row[0]: row[1:]
            for row in visible_rows(visible, id_array, values, visible_key=visible_key or _visible_set_key(visible))
        }
        kept = np.fromiter((pid in found for pid in ids), dtype=bool, count=len(ids))
        rows, scores = rows[kept], scores[kept]
        if rows.size < k and len(ids) == candidates:  # more scored patents than candidates: rank among visible
            allowed = [str(pk) for pk in visible.values_list("pk", flat=True)]
            mask = mask_from_ids(index=index, allowed_ids=allowed)
            rows, scores = _best(rank_one(index=index, query=query, k=k, patent_mask=mask, score_factors=factors))
    rows, scores = rows[:k], scores[:k]
    hit_ids = _patent_id_array(index)[rows].tolist()
    missing = np.array([pid for pid in hit_ids if pid not in found] if values else [], dtype=np.int64)
    if missing.size:  # no visibility check, or the whole visible set was ranked
        source = visible if visible is not None else Patent.objects.all()
        found.update(
            {row[0]: row[1:] for row in source.filter(pk__any_of=missing).order_by().values_list("pk", *values)}
        )
    shown = rows if explain is None else rows[:explain]
    n_terms = settings.MATCHING_SEARCH_TERMS_SHOWN
    terms = (
        explain_many(index=index, queries=query, patent_rows=shown[np.newaxis, :], n_terms=n_terms)[0]
        if shown.size
        else []
    )
    if factors is not None:
        lacking = words_missing(patents_t=index.matrix_t, rows=rows.tolist(), words=words)
    else:
        lacking = [()] * len(hit_ids)
    no_terms: list[str] = []
    return [
        Ranked(pid, score, terms[j] if j < len(terms) else no_terms, found.get(pid, ()) if values else (), lacking[j])
        for j, (pid, score) in enumerate(zip(hit_ids, scores.tolist(), strict=True))
    ]


def _best(top: TopK) -> tuple[np.ndarray, np.ndarray]:
    """The rows (int64) and scores (float32) of a one-query ranking, best first, without its padding (TopK.row's
    pairs as two arrays)."""
    rows, scores = top.indices[0], top.scores[0]
    kept = rows >= 0
    return rows[kept].astype(np.int64, copy=False), scores[kept]


# One live index a process at a time: its patent ids as integers, made once per index (each search converted
# the ids of its 600 candidates from strings)
_id_array: tuple[MatchIndex, np.ndarray] | None = None


def _patent_id_array(index: MatchIndex) -> np.ndarray:
    """`index.patent_ids` as an int64 array (made once per index: a live index is replaced, never changed)."""
    global _id_array
    cached = _id_array
    if cached is None or cached[0] is not index or len(cached[1]) != len(index.patent_ids):
        cached = (index, np.array([int(pid) for pid in index.patent_ids], dtype=np.int64))
        _id_array = cached
    return cached[1]


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

"""The needs hall (需求大厅): open enterprise needs, each with the best few patents of the caller's pool for it.

The pool is `patents_pooled_visible_to`: an officer's institution's pooled patents, a city's institutions' for city
staff, all for the province. The needs are `needs_visible_to` narrowed to the open ones (city staff: their city's
enterprises'). A need is ranked as the recommendations page ranks one need alone (``matching.reading.needs``:
its title, keywords and description as the query, the same pseudo-relevance feedback, the engine's explaining
terms) — but restricted to the pool: the live index's rows of the pool become an index of their own
(``index_rows``: every patent keeps the score the whole index gives it) and the page's needs are ranked against it
in one batch (``rank_index``), so a page of 20 needs costs their tokens and a few hundred rows, not 20 rankings of
the whole province. Sorting by best match ranks every need the filters leave the same way. Reads only.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Q, QuerySet

from enterprises.models import TechNeed
from enterprises.selectors.needs import needs_visible_to
from matching.engine import (
    MatchIndex,
    enterprise_query_tokens,
    explain_many,
    index_rows,
    mask_from_ids,
    rank_index,
)
from matching.live.index import live_index_versioned
from matching.reading.recommendations import PATENT_BRIEF_FIELDS
from matching.runs.current import current_run
from matching.runs.rules import need_feedback
from patents.models import Patent
from patents.selectors import patents_pooled_visible_to

HALL_MATCHES = 3  # the best patents shown with each need
ORDERINGS = ("-best_match", "-created_at")  # best match first; newest first


@dataclass
class HallMatch:
    """One patent of the caller's pool ranked for a need: the fused score and the engine's explaining terms."""

    patent: Patent
    score: float
    terms: list[str]


@dataclass
class HallNeed:
    """An open need and the best patents of the caller's pool for it (best first; empty before the first run)."""

    need: TechNeed
    matches: list[HallMatch] = field(default_factory=list)

    @property
    def best(self) -> float:
        return self.matches[0].score if self.matches else 0.0


def hall_needs(*, user: Any, city: str = "", industry: str = "", text: str = "") -> QuerySet[TechNeed]:
    """The open needs `user` may see, newest first, narrowed by the enterprise's city (code), industry section
    (门类 letter) and words in the need or the enterprise's name."""
    qs = (
        needs_visible_to(user=user)
        .filter(status=TechNeed.Status.OPEN)
        .select_related("enterprise", "enterprise__city")
        .order_by("-created_at", "-pk")
    )
    if city:
        qs = qs.filter(enterprise__city_id=city)
    if industry:
        qs = qs.filter(enterprise__industry_section=industry)
    for word in text.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(keywords__icontains=word)
            | Q(description__icontains=word)
            | Q(enterprise__name__icontains=word)
        )
    return qs


# A need's query tokens, per process, by its pk and the updated_at they were read at: a page re-ranks against the
# live index every time but tokenizes a need once (jieba costs ~1 ms a need; an edit moves updated_at).
_tokens: dict[int, tuple[datetime, list[str]]] = {}
_tokens_lock = threading.Lock()
_TOKENS_KEPT = 50_000
# The pool indexes built lately, per process, by the live index they came from (the run and the live index's
# version: a patent folded in or a new run moves it) and their rows (an institution pooling or withdrawing a patent).
# Keyed by those values, not by the index object: an entry holds only the pool's own small index, never a live
# index a later version replaced (each of those is the whole province's rows).
_pools: dict[tuple[Any, ...], MatchIndex] = {}
_POOLS_KEPT = 16
# Each need's best score against a pool (what ordering by best match sorts by), per process, by the pool's key (the
# run, the live index's version — any patent pooled, edited or withdrawn moves it — and the pool's rows) and the
# feedback in force; a need is ranked again when its updated_at moved. Paging through the order, or coming back to
# it, ranks only the needs added or edited since: the province's order ranked every open need on every page before.
# Keyed by values, not by the index object, so no old live index is kept alive by it.
_best: dict[tuple[Any, ...], dict[int, tuple[datetime, float]]] = {}


def _need_tokens(needs: Sequence[TechNeed]) -> list[list[str]]:
    out = []
    for need in needs:
        kept = _tokens.get(need.pk)
        if kept is None or kept[0] != need.updated_at:
            text = f"{need.title} {need.keywords} {need.description}"
            kept = _keep(_tokens, need.pk, (need.updated_at, enterprise_query_tokens(needs=text)), _TOKENS_KEPT)
        out.append(kept[1])
    return out


def _keep(store: dict, key: Any, value: Any, limit: int) -> Any:
    """`store[key] = value` in one of this module's per-process stores, emptied first when it holds `limit` entries
    (no eviction order to keep: a cleared store is refilled by the next pages); returns `value`."""
    with _tokens_lock:
        if len(store) >= limit:
            store.clear()
        store[key] = value
    return value


def _pool_index(*, user: Any, index: MatchIndex, source: tuple[Any, ...]) -> tuple[MatchIndex | None, bytes]:
    """The live index's rows of the patents in `user`'s pool, as an index of their own (None: none indexed), and a
    digest of those rows; `source` names `index` by value (the run and the live version)."""
    pool = patents_pooled_visible_to(user=user).values_list("pk", flat=True)
    rows = np.flatnonzero(mask_from_ids(index=index, allowed_ids=(str(pk) for pk in pool.iterator(chunk_size=5000))))
    digest = hashlib.blake2b(rows.tobytes(), digest_size=16).digest()
    if not rows.size:
        return None, digest
    if rows.size == len(index.patent_ids):
        return index, digest
    key = (*source, digest)
    kept = _pools.get(key)
    if kept is not None:
        return kept, digest
    return _keep(_pools, key, index_rows(index, rows=rows), _POOLS_KEPT), digest


def _caller_pool(*, user: Any) -> tuple[MatchIndex | None, tuple[Any, ...]]:
    """The caller's pool index against the current run's live index (None: no run, or none of the pool indexed) and
    its key: the run, the live index's version and the pool's rows."""
    run = current_run()
    if run is None:
        return None, ()
    index, version = live_index_versioned(run)
    source = (run.pk, run.created_at.isoformat(), version)
    pool, digest = _pool_index(user=user, index=index, source=source)
    return pool, (*source, digest)


def _ranked(*, user: Any, needs: Sequence[TechNeed], k: int, explain: bool) -> list[HallNeed]:
    """`needs` with the best `k` patents of the caller's pool for each (terms only when `explain`)."""
    pool = _caller_pool(user=user)[0] if needs else None
    return _ranked_on(pool, needs=needs, k=k, explain=explain)


def _ranked_on(pool: MatchIndex | None, *, needs: Sequence[TechNeed], k: int, explain: bool) -> list[HallNeed]:
    rows = [HallNeed(need=need) for need in needs]
    if pool is None or not needs:
        return rows
    queries = pool.transform_queries(_need_tokens(needs))
    top = rank_index(index=pool, queries=queries, k=k, backend="scipy", feedback=need_feedback())
    terms = (
        explain_many(index=pool, queries=queries, patent_rows=top.indices, n_terms=settings.MATCHING_TERMS_SHOWN)
        if explain
        else None
    )
    wanted = {int(pool.patent_ids[r]) for r in top.indices.ravel() if r >= 0}
    patents = Patent.objects.select_related("institution", "institution__city").only(*PATENT_BRIEF_FIELDS)
    found = patents.order_by().in_bulk(wanted) if explain else {pk: Patent(pk=pk) for pk in wanted}
    for i, row in enumerate(rows):
        for j, (r, score) in enumerate(zip(top.indices[i], top.scores[i], strict=True)):
            patent = found.get(int(pool.patent_ids[r])) if r >= 0 else None
            if patent is not None and score > 0:
                row.matches.append(HallMatch(patent=patent, score=float(score), terms=terms[i][j] if terms else []))
    return rows


def hall_matches(*, user: Any, needs: Sequence[TechNeed], k: int = HALL_MATCHES) -> list[HallNeed]:
    """Each of `needs` (a page) with the best `k` patents of `user`'s pool for it, their scores and the terms that
    matched, in the order given."""
    return _ranked(user=user, needs=needs, k=k, explain=True)


def hall_match_rows(*, user: Any, needs: Sequence[TechNeed]) -> dict[int, list[dict[str, Any]]]:
    """`hall_matches` as plain rows by the need's pk (what the needs API lists for officers and bureau staff)."""
    return {
        row.need.pk: [
            {
                "patent": m.patent.pk,
                "application_number": m.patent.application_number,
                "title": m.patent.title,
                "institution": m.patent.institution.name if m.patent.institution_id else "",
                "score": round(m.score, 4),
                "terms": m.terms,
            }
            for m in row.matches
        ]
        for row in hall_matches(user=user, needs=needs)
    }


def hall_order_by_best(*, user: Any, needs: QuerySet[TechNeed]) -> list[TechNeed]:
    """`needs` ordered by the score of the best patent of `user`'s pool for each, best first (newest first among
    equals, needs with no match last): every need the filters leave is ranked, without explanations."""
    listed = list(needs)
    pool, key = _caller_pool(user=user) if listed else (None, ())
    best = _best_scores(pool=pool, key=key, needs=listed)
    order = sorted(range(len(listed)), key=lambda i: -best[i])  # stable: the queryset's newest first
    return [listed[i] for i in order]


def _best_scores(*, pool: MatchIndex | None, key: tuple[Any, ...], needs: Sequence[TechNeed]) -> list[float]:
    """The best score of `pool` (keyed `key`) for each of `needs` (0: no match), ranking only the needs not scored
    against this pool since their last edit (`_best`)."""
    if pool is None:
        return [0.0] * len(needs)
    key = (*key, repr(need_feedback()))
    scores = _best.get(key)
    if scores is None:
        scores = _keep(_best, key, {}, _POOLS_KEPT)
    stale = [need for need in needs if (scores.get(need.pk) or (None, 0.0))[0] != need.updated_at]
    if stale:
        ranked = _ranked_on(pool, needs=stale, k=1, explain=False)
        scores.update({row.need.pk: (row.need.updated_at, row.best) for row in ranked})
    return [scores[need.pk][1] for need in needs]


def hall_forget() -> None:
    """Drop this process's cached need tokens, pool indexes and best scores (tests, benches)."""
    with _tokens_lock:
        _tokens.clear()
        _pools.clear()
        _best.clear()

"""Ranking on demand against the current run's live index (matching.live.index): what a reader or a re-rank gets
back for a patent (`Ranked`), and the enterprises that fit one patent (its push list), ranked now against every
enterprise query of the run. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.engine import enterprise_term_weights, rank_queries
from matching.live.index import live_index
from matching.runs.artifacts import run_artifacts
from matching.runs.current import current_run
from matching.runs.rules import push_rules


@dataclass(slots=True)  # a search makes 600 of them: no __dict__ each
class Ranked:
    """A patent ranked for a query: its score, the terms that explain it and, for a search, its facet values, the
    words of a short query it does not hold (which lowered its score) and how it was found (SearchResult.match)."""

    patent_id: int
    score: float
    terms: list[str]
    values: tuple = ()  # fields asked for with the hit (search_index_rank's `values`)
    missing: tuple[str, ...] = ()
    match: str = "text"


def patent_push_list(*, patent_id: int, k: int, served: bool = False) -> list[tuple[int, float]]:
    """The enterprises that fit one patent, best first, against every enterprise query of the current run: by the
    push score (matching.engine.push: words common to many enterprises' scopes discounted, a pair carried by one
    word lowered, MATCHING_PUSH_GENERIC_RULES), or with ``served`` by the fused score recommendations are ranked and
    stored by (lexical + semantic; what a re-rank compares with an enterprise's stored list)."""
    run = current_run()
    if run is None:
        return []
    _, queries, enterprise_ids = run_artifacts(run)
    index = live_index(run)
    try:
        row = index.row_of(str(patent_id))
    except KeyError:  # not pooled (now, or when the run was built and not changed since)
        return []
    key = (run.pk, run.created_at.isoformat())
    vectors = _query_vectors.get(key)
    if vectors is None and index.semantic is not None:  # the latest run only: 26,000 x 128 floats, 13 MB
        vectors = index.semantic.transform(queries)
        _query_vectors.clear()
        _query_vectors[key] = vectors
    rules = None if served else push_rules()
    weights = queries_t = None
    if rules is not None:
        kept = _push_arrays.get(key)
        if kept is None:  # per run, like the vectors: the terms' weights and the queries' postings
            kept = (enterprise_term_weights(queries), sp.csr_matrix(queries.T))
            _push_arrays.clear()
            _push_arrays[key] = kept
        weights, queries_t = kept
    best = rank_queries(
        index=index, queries=queries, patent_row=row, k=k, query_vectors=vectors, push=rules, term_weights=weights,
        queries_t=queries_t,
    )  # fmt: skip
    return [(int(enterprise_ids[i]), score) for i, score in best.row(0)]


# The latent vectors of the current run's enterprise queries, projected once per process: a push list then costs
# one product instead of projecting every query again.
_query_vectors: dict[tuple[int, str], np.ndarray] = {}
# and the enterprise-side weights of their terms and their postings (matching.engine.push), once per run and process
_push_arrays: dict[tuple[int, str], tuple[np.ndarray, sp.csr_matrix]] = {}

"""Why a patent matched a query: the shared terms and what each one contributed, and the semantic part.

The lexical score is the dot product ``q . d`` of the query vector and the
patent vector, so it splits exactly into one contribution ``q_i * d_i`` per
shared term; the contributions add up to the lexical part (tested to 1e-5).
When the index has a latent-semantic space, the ranking score is
``(1 - w) * lexical + w * semantic`` (:mod:`matching.engine.semantic`): the
semantic part has no terms, and both parts are returned so a page can say
which share of a match is semantic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .semantic import fuse
from .vectorize import MatchIndex

__all__ = ["Explanation", "ScoreParts", "TermContribution", "explain", "explain_many", "score_parts"]


@dataclass(frozen=True)
class TermContribution:
    """One shared term: its weight in the query and in the patent, and their product."""

    term: str
    query_weight: float
    patent_weight: float
    contribution: float


@dataclass(frozen=True)
class Explanation:
    """The score of a (query, patent) pair: ``score = (1 - semantic_weight) * lexical + semantic_weight * semantic``.

    ``terms`` break ``lexical`` down, largest contribution first; ``semantic`` is the latent-space cosine (clipped
    at 0; 0 with ``semantic_weight`` 0 when the index has no semantic space).
    """

    score: float
    lexical: float
    semantic: float
    semantic_weight: float
    terms: list[TermContribution]


@dataclass(frozen=True)
class ScoreParts:
    """Both parts of many (query, patent) pairs, aligned with the ``patent_rows`` asked for (0 where it is -1)."""

    lexical: np.ndarray
    semantic: np.ndarray
    score: np.ndarray


def explain(*, index: MatchIndex, query: sp.csr_matrix, patent_row: int) -> Explanation:
    """Break down ``score(query, index.matrix[patent_row])`` into shared-term contributions.

    ``query`` is one row from ``index.transform_query``; ``patent_row`` an index row
    (see ``MatchIndex.row_of``).
    """
    q = sp.csr_matrix(query)
    q.sort_indices()
    d = index.matrix[patent_row]
    d.sort_indices()
    shared, q_pos, d_pos = np.intersect1d(q.indices, d.indices, assume_unique=True, return_indices=True)
    q_w = q.data[q_pos].astype(np.float64)
    d_w = d.data[d_pos].astype(np.float64)
    contrib = q_w * d_w
    order = np.lexsort((shared, -contrib))
    terms = [TermContribution(index.terms[shared[i]], float(q_w[i]), float(d_w[i]), float(contrib[i])) for i in order]
    parts = score_parts(index=index, queries=q, patent_rows=np.array([[patent_row]]))
    return Explanation(
        score=float(parts.score[0, 0]),
        lexical=float(contrib.sum()),
        semantic=float(parts.semantic[0, 0]),
        semantic_weight=index.semantic.weight if index.semantic is not None else 0.0,
        terms=terms,
    )


def score_parts(*, index: MatchIndex, queries: sp.csr_matrix, patent_rows: np.ndarray) -> ScoreParts:
    """Lexical part, semantic part and fused score of query ``i`` with patent ``patent_rows[i, j]``.

    ``score`` is fused with the ranking's float32 formula, so it equals the ranked score to float32 rounding.
    """
    rows = np.asarray(patent_rows, dtype=np.int64)
    lexical = np.zeros(rows.shape, np.float32)
    semantic = np.zeros(rows.shape, np.float32)
    q = sp.csr_matrix(queries, dtype=np.float32)
    vectors = index.semantic.transform(q) if index.semantic is not None else None
    for i in range(rows.shape[0]):
        valid = rows[i] >= 0
        if not valid.any():
            continue
        picked = rows[i][valid]
        lexical[i, valid] = (index.matrix[picked] @ q[i].T).toarray().ravel()
        if index.semantic is not None and vectors is not None:
            semantic[i, valid] = index.semantic.similarities(vectors[i : i + 1], patent_rows=picked).ravel()
    if index.semantic is None:
        return ScoreParts(lexical=lexical, semantic=semantic, score=lexical.copy())
    return ScoreParts(
        lexical=lexical, semantic=semantic, score=fuse(lexical=lexical, semantic=semantic, weight=index.semantic.weight)
    )


def explain_many(
    *,
    index: MatchIndex,
    queries: sp.csr_matrix,
    patent_rows: np.ndarray,
    n_terms: int = 5,
) -> list[list[list[str]]]:
    """Top explaining terms for many pairs at once: ``result[i][j]`` explains query ``i``
    with patent ``patent_rows[i, j]`` (rows of -1 give ``[]``).

    One small dense block per query instead of one intersection per pair, so a
    26,000 x 50 batch takes seconds.
    """
    matrix = index.matrix
    result: list[list[list[str]]] = []
    for i in range(queries.shape[0]):
        q = queries[i]
        rows = patent_rows[i]
        valid = rows >= 0
        per_pair: list[list[str]] = [[] for _ in rows]
        if q.nnz and valid.any():
            block = matrix[rows[valid]][:, q.indices].toarray() * q.data  # pairs x query terms
            order = np.argsort(-block, axis=1, kind="stable")[:, :n_terms]
            for slot, pair_order, pair_block in zip(np.nonzero(valid)[0], order, block, strict=True):
                per_pair[slot] = [index.terms[q.indices[c]] for c in pair_order if pair_block[c] > 0]
        result.append(per_pair)
    return result

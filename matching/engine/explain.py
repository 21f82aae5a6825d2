"""Why a patent matched a query: the shared terms and what each one contributed, and the semantic part.

The lexical score is the dot product ``q . d`` of the query vector and the
patent vector, so it splits exactly into one contribution ``q_i * d_i`` per
shared term; the contributions add up to the lexical part (tested to 1e-5).
When the index has a latent-semantic space, the ranking score is
``(1 - w) * lexical + w * semantic`` (:mod:`matching.engine.semantic`): the
semantic part has no terms, and both parts are returned so a page can say
which share of a match is semantic.

:func:`explain_pairs` gives the same terms as :func:`explain_many` as term numbers, for many arbitrary pairs at once
(a run's chunk: every enterprise with each of its kept patents): a compiled kernel when numba is installed, numpy
otherwise, with identical results (:mod:`matching.engine.backend`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .backend import RankBackend, chosen_backend, kernel_workers
from .semantic import fuse
from .vectorize import MatchIndex

__all__ = [
    "Explanation",
    "ScoreParts",
    "TermContribution",
    "explain",
    "explain_many",
    "explain_pairs",
    "score_parts",
]


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


def explain_pairs(
    *,
    matrix: sp.csr_matrix,
    queries: sp.csr_matrix,
    query_rows: np.ndarray,
    patent_rows: np.ndarray,
    n_terms: int,
    backend: RankBackend = "auto",
) -> np.ndarray:
    """Term numbers (pairs x n_terms, -1 padded) of the largest shared-term contributions of each pair
    ``(queries[query_rows[i]], matrix[patent_rows[i]])``; a patent row of -1 gives no terms.

    The terms and their order are :func:`explain_many`'s: the largest contributions ``q_i * d_i`` (in float32) first,
    ties by term number, only contributions > 0. The numba kernel merges the two sparse rows of each pair in one
    compiled pass; the numpy path multiplies the paired rows as sparse matrices and sorts the products — the same
    float32 products, so the same terms in the same order.
    """
    pair_q = np.asarray(query_rows, dtype=np.int64)
    pair_d = np.asarray(patent_rows, dtype=np.int64)
    if n_terms < 1:
        return np.full((len(pair_q), 0), -1, dtype=np.int32)
    q, d = _sorted_float32(queries), _sorted_float32(matrix)
    if chosen_backend(backend) == "numba":
        from . import _kernels  # deferred: compiled kernels load with numba, which is optional

        with kernel_workers():
            return _kernels.explain_pairs(
                q.indptr.astype(np.int64), q.indices.astype(np.int32), q.data,
                d.indptr.astype(np.int64), d.indices.astype(np.int32), d.data,
                pair_q, pair_d, int(n_terms),
            )  # fmt: skip
    return _explain_pairs_numpy(q, d, pair_q, pair_d, int(n_terms))


def _sorted_float32(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` as float32 CSR with sorted indices (a copy only when it is not one already)."""
    out = sp.csr_matrix(matrix, dtype=np.float32)  # may share the caller's arrays: sorted on a copy
    if not out.has_sorted_indices:
        out = out.copy()
        out.sort_indices()
    return out


def _explain_pairs_numpy(
    q: sp.csr_matrix, d: sp.csr_matrix, pair_q: np.ndarray, pair_d: np.ndarray, n_terms: int
) -> np.ndarray:
    """:func:`explain_pairs` without numba: the element-wise product of the paired rows, then per pair the
    ``n_terms`` best (product descending, term ascending)."""
    out = np.full((len(pair_q), n_terms), -1, dtype=np.int32)
    at = np.flatnonzero(pair_d >= 0)
    if at.size == 0:
        return out
    products = q[pair_q[at]].multiply(d[pair_d[at]]).tocsr()  # float32 * float32, as the kernel multiplies
    pairs = np.repeat(np.arange(products.shape[0]), np.diff(products.indptr))
    positive = products.data > 0
    pairs, terms, values = pairs[positive], products.indices[positive], products.data[positive]
    order = np.lexsort((terms, -values, pairs))
    pairs, terms = pairs[order], terms[order]
    rank = np.arange(pairs.size) - np.searchsorted(pairs, np.arange(products.shape[0]))[pairs]
    kept = rank < n_terms
    out[at[pairs[kept]], rank[kept]] = terms[kept]
    return out

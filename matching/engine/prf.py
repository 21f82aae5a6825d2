"""Pseudo-relevance feedback (Rocchio) on the semantic part: a query's topic taken from its own best hits.

A need or a title names a topic in a few words; the patents it ranks first use many more words of that topic.
Rocchio's rule adds the mean of a first pass's ``top`` best patents to the query::

    q' = unit(q + weight * mean(unit(d) for d in the top hits, kept to its ``terms`` heaviest terms))

and the query is ranked again with the **semantic part** (the LSA vector and the IPC class distribution) projected
from ``q'``, the **lexical part** from ``q`` itself. Measured on the development queries of ``bench/quality.py``
(never on the rows it reports): feeding ``q'`` to both parts lifts the IPC set's P@10 a little less and costs the
keyphrase needs 3–10 % MRR (a need's own words lose weight to its neighbours'); on the semantic part only, IPC P@10
gains ~2 % and the keyphrase sets lose nothing. So a pair's explaining terms still add up to its lexical part,
the need's own words. The best point was ``top`` 3, ``weight`` 1 (:data:`DEFAULT_PSEUDO_FEEDBACK`).

A query with no hit keeps its vectors. Pure and deterministic: the first pass orders ties by the lower row, the
kept terms are the heaviest with ties by the lower term number, every product is a numpy/scipy product on fixed
inputs. Without feedback (``feedback=None``) the ranking is the one without this module, exactly; an index
without a semantic space has nothing for the feedback to act on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from .vectorize import MatchIndex

__all__ = ["DEFAULT_PSEUDO_FEEDBACK", "PseudoFeedback", "expand_queries", "feedback_vectors"]


@dataclass(frozen=True)
class PseudoFeedback:
    """Rocchio feedback from the ``top`` best patents of a first pass, added with ``weight``; the mean of the hits
    keeps its ``terms`` heaviest terms (the cost of the second pass grows with the query's terms)."""

    top: int = 3
    weight: float = 1.0
    terms: int = 60

    def __post_init__(self) -> None:
        if self.top < 1:
            raise ValueError("feedback top must be >= 1")
        if self.weight < 0:
            raise ValueError("feedback weight must be >= 0")
        if self.terms < 1:
            raise ValueError("feedback terms must be >= 1")


DEFAULT_PSEUDO_FEEDBACK = PseudoFeedback()


def expand_queries(
    *, index: MatchIndex, queries: sp.csr_matrix, hits: np.ndarray, feedback: PseudoFeedback
) -> sp.csr_matrix:
    """The Rocchio-expanded unit queries: row ``i`` of ``queries`` plus ``feedback.weight`` times the mean unit
    vector of the patents ``hits[i]`` (index rows of a first pass, best first; -1 = none; the first
    ``feedback.top`` are used). Rows without a hit are returned unchanged."""
    q = sp.csr_matrix(queries, dtype=np.float32)
    rows = np.asarray(hits, dtype=np.int64)[:, : feedback.top]
    if rows.shape[0] != q.shape[0]:
        raise ValueError("hits and queries disagree on the number of queries")
    if feedback.weight == 0 or rows.size == 0:
        return q
    valid = rows >= 0
    counts = valid.sum(axis=1)
    query_of, slot = np.nonzero(valid)
    if query_of.size == 0:  # no query has a hit
        return q
    unit = normalize(sp.csr_matrix(index.matrix[rows[query_of, slot]], dtype=np.float32), norm="l2")
    # mean of each query's hits: a (queries x hits) averaging matrix times the unit hit rows
    share = (1.0 / np.maximum(counts, 1)).astype(np.float32)[query_of]
    averaging = sp.csr_matrix((share, (query_of, np.arange(query_of.size))), shape=(q.shape[0], query_of.size))
    centroid = _heaviest(sp.csr_matrix(averaging @ unit, dtype=np.float32), feedback.terms)
    expanded = q + np.float32(feedback.weight) * centroid
    expanded = normalize(sp.csr_matrix(expanded, dtype=np.float32), norm="l2")
    expanded.sort_indices()
    return expanded


def _heaviest(matrix: sp.csr_matrix, n: int) -> sp.csr_matrix:
    """Each row kept to its ``n`` largest values (ties: the lower column)."""
    matrix.sort_indices()
    keep = np.zeros(matrix.nnz, dtype=bool)
    for i in range(matrix.shape[0]):
        start, stop = matrix.indptr[i], matrix.indptr[i + 1]
        if stop - start <= n:
            keep[start:stop] = True
            continue
        values = matrix.data[start:stop]
        order = np.lexsort((matrix.indices[start:stop], -values.astype(np.float64)))[:n]
        keep[start + order] = True
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return sp.csr_matrix((matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape, dtype=np.float32)


def feedback_vectors(
    *, index: MatchIndex, queries: sp.csr_matrix, hits: np.ndarray, feedback: PseudoFeedback
) -> np.ndarray | None:
    """The semantic query vectors (``index.semantic.transform``) of the expanded queries: what the second pass
    ranks the semantic part with. None when the index has no semantic space."""
    if index.semantic is None:
        return None
    return index.semantic.transform(expand_queries(index=index, queries=queries, hits=hits, feedback=feedback))

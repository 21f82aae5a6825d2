"""Pseudo-relevance feedback on the semantic part: a query's topic taken from its own best hits.

A need or a title names a topic in a few words; the patents it ranks first say more about it. Two uses of a first
pass's ``top`` best patents, both on the **semantic part** only (the lexical part, and so a pair's explaining terms,
stay the query's own words):

* **Rocchio** (``weight``): the mean of the hits, kept to its ``terms`` heaviest terms, is added to the query::

      q' = unit(q + weight * mean(unit(d) for d in the top hits))

  and the semantic part (the LSA vector and the IPC class distribution) is projected from ``q'``. Fed to the lexical
  part too it cost the keyphrase needs 3–10 % MRR (a need's own words lose weight to its neighbours').
* **The hits' classes** (``class_vote``): when the index has a class prior (:mod:`matching.engine.classes`, patents
  with IPC codes) the query's class distribution is predicted from its words by nearest centroid; the hits also
  *carry* classes — their own IPC subclasses (a predicted distribution for an unlabelled one). A nearest-neighbour
  vote names a text's class better than centroids do, so the distribution ranked is::

      classes(q') = top_k((1 - class_vote) * centroid prediction(q') + class_vote * mean(classes of the top hits))

  kept to the prior's ``top`` classes and scaled to sum 1 (:func:`matching.engine.classes.class_distribution`);
  ``class_vote`` 0 is the centroid prediction alone.

Chosen by ``bench/quality.py --tune-feedback`` on its development queries only (never the rows it reports): the IPC
set's P@10 among the points that lose nothing on any other set or metric. Every point with Rocchio (``weight`` > 0)
lost 0.3–1.2 % somewhere; the class vote alone loses nothing by construction where there are no classes (the
keyphrase and short-search sets) and gave the IPC set +7.3 % P@10 with ``top`` 4 (Rocchio added at most 0.3 % more
on top of it). So :data:`DEFAULT_PSEUDO_FEEDBACK` is ``top`` 4, ``weight`` 0, ``class_vote`` 1: the classes of a
query's four best patents.

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

from .classes import class_distribution
from .vectorize import MatchIndex

__all__ = ["DEFAULT_PSEUDO_FEEDBACK", "PseudoFeedback", "expand_queries", "feedback_vectors"]


@dataclass(frozen=True)
class PseudoFeedback:
    """Rocchio feedback from the ``top`` best patents of a first pass, added with ``weight``; the mean of the hits
    keeps its ``terms`` heaviest terms (the cost of the second pass grows with the query's terms); ``class_vote``
    is the share of the hits' own classes in the query's class distribution (module docstring)."""

    top: int = 4
    weight: float = 0.0
    terms: int = 60
    class_vote: float = 1.0

    def __post_init__(self) -> None:
        if self.top < 1:
            raise ValueError("feedback top must be >= 1")
        if self.weight < 0:
            raise ValueError("feedback weight must be >= 0")
        if self.terms < 1:
            raise ValueError("feedback terms must be >= 1")
        if not 0.0 <= self.class_vote <= 1.0:
            raise ValueError("feedback class vote must be in [0, 1]")


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
    """The semantic query vectors (``index.semantic.transform``) of the expanded queries, their class part voted
    on by the hits (``feedback.class_vote``): what the second pass ranks the semantic part with. None when the
    index has no semantic space."""
    space = index.semantic
    if space is None:
        return None
    vectors = space.transform(expand_queries(index=index, queries=queries, hits=hits, feedback=feedback))
    if space.classes is None or feedback.class_vote == 0:
        return vectors
    rows = np.asarray(hits, dtype=np.int64)[:, : feedback.top]
    voted = np.flatnonzero((rows >= 0).any(axis=1))  # a query without a hit keeps its prediction
    if voted.size == 0:
        return vectors
    dims = space.n_components
    share = np.float32(feedback.class_vote)
    mixed = (np.float32(1.0) - share) * vectors[voted, dims:] + share * space.classes.mean_of(rows[voted])
    vectors[voted, dims:] = class_distribution(mixed, top=space.classes.top)
    return vectors

"""Class-aware prior: the IPC subclasses of the pooled patents, predicted for a query by nearest centroid.

Pooled patents carry IPC codes; an enterprise need does not. At index time each
subclass (``labels`` of :func:`matching.engine.vectorize.fit_index`, e.g.
``"H01M"``) gets a *centroid*: the mean of the unit TF-IDF rows of its patents,
cut to its ``centroid_terms`` heaviest terms and L2-normalised (a few hundred
terms per subclass: the index stays small however large the vocabulary).

A text's class distribution keeps its ``top`` best centroid cosines (> 0),
scaled to sum 1. A labelled patent's distribution is its own subclasses (equal
shares); an unlabelled one's is predicted from its text like a query's. The
class part of a (query, patent) pair is the dot product of the two
distributions, in [0, 1]: the probability that both fall in the same subclass.
It is part of the non-lexical ("semantic") score, never of the explaining terms.

Only the labels given are learnt from: ``bench/quality.py`` withholds the
labels of every patent whose title is a query, so no query's own subclass is
ever seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

__all__ = ["ClassPrior", "class_distribution", "fit_class_prior"]


@dataclass
class ClassPrior:
    """``centroids`` (n_classes x n_terms, unit rows) and ``patents`` (n_patents x n_classes, rows sum 1 or 0)."""

    names: list[str]
    centroids: sp.csr_matrix
    patents: sp.csr_matrix
    top: int = 3
    # both transposes as CSR, made once: a product with a transposed *view* makes scipy convert it on every call
    # (~1 ms of a single need's ranking); the products are the same. The matrices are replaced, never edited.
    _centroids_t: sp.csr_matrix = field(init=False, repr=False)
    _patents_t: sp.csr_matrix = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._centroids_t = sp.csr_matrix(self.centroids.T, dtype=np.float32)
        self._patents_t = sp.csr_matrix(self.patents.T, dtype=np.float32)

    @property
    def nbytes(self) -> int:
        """Memory of the two sparse matrices."""
        return int(sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (self.centroids, self.patents)))

    def predict(self, unit_rows: sp.csr_matrix) -> np.ndarray:
        """Dense class distributions (n_rows x n_classes, float32) of L2-normalised TF-IDF rows."""
        scores = (sp.csr_matrix(unit_rows, dtype=np.float32) @ self._centroids_t).toarray()
        return class_distribution(scores, top=self.top)

    def add_block(
        self, out: np.ndarray, distributions: np.ndarray, share: np.float32, patent_rows: np.ndarray | None = None
    ) -> None:
        """``out += share * (class part of every query distribution with every patent, or ``patent_rows`` only)``,
        touching only the pairs that share a class.

        A query keeps ``top`` classes and a patent holds one to three, so the class part of a block of queries is
        sparse; the dense product ``(patents @ distributions.T).T`` wrote (and the caller then added) a whole
        queries x patents array of mostly zeros, which doubled a run's ranking time. Same values: for each pair the
        same nonzero products are summed in the same (ascending class) order, in float32 (a test compares).
        """
        part = self.part(distributions, share, patent_rows).tocoo()
        out[part.row, part.col] += part.data

    def part(
        self, distributions: np.ndarray, share: np.float32, patent_rows: np.ndarray | None = None
    ) -> sp.csr_matrix:
        """``share * (class part of every query distribution with every patent, or ``patent_rows`` only)`` as a
        sparse (queries x patents) float32 matrix: the pairs that share a class only, one entry per pair."""
        transposed = self._patents_t if patent_rows is None else sp.csr_matrix(self.patents[patent_rows].T)
        part = sp.csr_matrix(sp.csr_matrix(distributions, dtype=np.float32) @ transposed, dtype=np.float32)
        part.data = share * part.data
        return part

    def mean_of(self, rows: np.ndarray) -> np.ndarray:
        """Dense (len(rows) x n_classes, float32): each line the mean class distribution of its patent rows (index
        rows; -1 = none, left out); a line without a row is zeros."""
        rows = np.asarray(rows, dtype=np.int64).reshape(len(rows), -1)
        line, slot = np.nonzero(rows >= 0)
        counts = np.bincount(line, minlength=rows.shape[0]).astype(np.float32)
        weights = (np.float32(1.0) / np.maximum(counts, np.float32(1.0)))[line]
        averaging = sp.csr_matrix((weights, (line, np.arange(line.size))), shape=(rows.shape[0], line.size))
        return np.asarray((averaging @ self.patents[rows[line, slot]]).toarray(), dtype=np.float32)

    def pairs(self, distributions: np.ndarray, query_rows: np.ndarray, patent_rows: np.ndarray) -> np.ndarray:
        """Class part of each pair ``(distributions[query_rows[i]], patent patent_rows[i])`` (rows >= 0 only)."""
        sub = self.patents[patent_rows]
        owner = np.repeat(np.arange(sub.shape[0]), np.diff(sub.indptr))
        values = sub.data * distributions[query_rows[owner], sub.indices]
        return np.bincount(owner, weights=values, minlength=sub.shape[0]).astype(np.float32)


def class_distribution(scores: np.ndarray, *, top: int) -> np.ndarray:
    """Keep each row's ``top`` largest positive scores (ties: lower class first), scaled to sum 1; float32."""
    scores = np.asarray(scores, dtype=np.float32)
    out = np.zeros_like(scores)
    if scores.size == 0:
        return out
    best = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    picked = np.take_along_axis(scores, best, axis=1)
    np.put_along_axis(out, best, np.maximum(picked, np.float32(0.0)), axis=1)
    totals = out.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    out /= totals
    return out


def fit_class_prior(
    *, unit_rows: sp.csr_matrix, labels: Sequence[Sequence[str]], top: int = 3, centroid_terms: int = 300
) -> ClassPrior | None:
    """Centroids of the labelled rows' classes and every patent's distribution; None with fewer than 2 classes."""
    if len(labels) != unit_rows.shape[0]:
        raise ValueError(f"{len(labels)} label lists but {unit_rows.shape[0]} patents")
    names = sorted({label for row in labels for label in row if label})
    if len(names) < 2:
        return None
    col = {name: i for i, name in enumerate(names)}
    rows = [r for r, row in enumerate(labels) for label in sorted(set(row)) if label]
    cols = [col[label] for row in labels for label in sorted(set(row)) if label]
    member = sp.csr_matrix(
        (np.ones(len(rows), np.float32), (rows, cols)), shape=(unit_rows.shape[0], len(names)), dtype=np.float32
    )
    centroids = _prune_rows(sp.csr_matrix(member.T @ unit_rows, dtype=np.float32), centroid_terms)
    centroids = normalize(centroids, norm="l2")
    # the centroids alone predict the unlabelled patents' classes; the prior returned holds every patent's
    prior = ClassPrior(names=names, centroids=centroids, patents=sp.csr_matrix(member.shape, dtype=np.float32), top=top)
    own = normalize(member, norm="l1").tolil()
    unlabelled = np.flatnonzero(np.diff(member.indptr) == 0)
    for start in range(0, unlabelled.size, 4096):  # predicted in blocks: n x n_classes dense at most 4096 rows
        chunk = unlabelled[start : start + 4096]
        predicted = sp.csr_matrix(prior.predict(unit_rows[chunk]))
        own[chunk] = predicted
    patents = sp.csr_matrix(own, dtype=np.float32)
    patents.sort_indices()
    return ClassPrior(names=names, centroids=centroids, patents=patents, top=top)


def _prune_rows(matrix: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Each row's ``keep`` largest entries (ties: lower column first)."""
    rows, cols, vals = [], [], []
    for r in range(matrix.shape[0]):
        lo, hi = matrix.indptr[r], matrix.indptr[r + 1]
        idx, data = matrix.indices[lo:hi], matrix.data[lo:hi]
        best = np.lexsort((idx, -data))[:keep]
        rows.append(np.full(best.size, r))
        cols.append(idx[best])
        vals.append(data[best])
    out = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape, dtype=np.float32
    )
    out.sort_indices()
    return out

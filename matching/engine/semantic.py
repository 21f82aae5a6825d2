"""Latent-semantic layer (LSA): a truncated SVD of the TF-IDF matrix, fused with the lexical score.

The lexical score ``q . d`` only counts the terms a query and a patent share.
LSA projects both onto the ``n_components`` strongest directions of the patent
term matrix (scikit-learn ``TruncatedSVD``, randomized, fixed ``random_state``),
where patents that use related words lie close together. Their cosine ``c``
there gives the *semantic* part ``s = max(c - f, 0) / (1 - f)`` (``f`` =
``IndexConfig.semantic_floor``: unrelated texts still have small cosines, and
below the floor they must not add a long tail of weak matches), and the ranking
uses::

    score = (1 - w) * lexical + w * s

with ``w`` = ``IndexConfig.semantic_weight``. Both parts are returned by
:func:`matching.engine.explain.explain` and :func:`score_parts`, so a page can
say which part of a match is semantic; the explaining terms still add up to
the lexical part exactly.

The SVD is fitted on the L2-normalised TF-IDF rows (a little better than the
pivot-normalised rows on the development split of ``bench/quality.py``); the
patent vectors are the unit-length projections of those rows, queries are
projected with the same components. A query with no known term projects to
zero and scores zero, as lexically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from .backend import blas_single_thread
from .classes import ClassPrior, fit_class_prior
from .unit import l2_rows

__all__ = ["SemanticSpace", "fit_semantic", "fuse"]

# up to this many query rows, the latent cosines are one BLAS product on one thread (blas_single_thread)
_FEW_QUERIES = 16


@dataclass
class SemanticSpace:
    """``components`` (n_components x n_terms) and the unit patent vectors (n_patents x n_components), float32."""

    components: np.ndarray
    patent_vectors: np.ndarray
    weight: float
    floor: float = 0.0
    # optional class-aware prior (matching.engine.classes) and its share g of the semantic part:
    # semantic = (1 - g) * latent part + g * class part
    classes: ClassPrior | None = None
    class_share: float = 0.0
    # components.T as a C-contiguous (n_terms x n_components) array: a sparse row times the transposed *view* costs
    # ~10 ms (scipy copies it per call), times this array microseconds
    _projection: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._projection = np.ascontiguousarray(self.components.T, dtype=np.float32)
        if self.components.shape[0] != self.patent_vectors.shape[1]:
            raise ValueError("components and patent vectors disagree on the number of dimensions")
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError("semantic weight must be in [0, 1]")
        if not 0.0 <= self.floor < 1.0:
            raise ValueError("semantic floor must be in [0, 1)")
        if not 0.0 <= self.class_share <= 1.0:
            raise ValueError("class share must be in [0, 1]")
        if self.classes is not None and self.classes.patents.shape[0] != self.patent_vectors.shape[0]:
            raise ValueError("class prior and patent vectors disagree on the number of patents")

    @property
    def n_components(self) -> int:
        """Dimensions of the latent space."""
        return int(self.components.shape[0])

    @property
    def nbytes(self) -> int:
        """Memory of the two arrays."""
        prior = self.classes.nbytes if self.classes is not None else 0
        return int(self.components.nbytes + self.patent_vectors.nbytes + prior)

    def transform(self, queries: sp.csr_matrix) -> np.ndarray:
        """Query vectors of TF-IDF query rows, float32: the unit latent vector (zero rows stay zero), followed by
        the predicted class distribution when the space has a class prior."""
        rows = sp.csr_matrix(queries, dtype=np.float32)
        projected = l2_rows(np.asarray(rows @ self._projection, dtype=np.float32), copy=False)
        if self.classes is None:
            return projected
        return np.hstack([projected, self.classes.predict(l2_rows(rows))])

    def _mix(self, latent: np.ndarray, class_part: np.ndarray) -> np.ndarray:
        share = np.float32(self.class_share)
        latent *= np.float32(1.0) - share
        latent += share * class_part
        return latent

    def cosines(self, query_vectors: np.ndarray, *, patent_rows: np.ndarray | None = None) -> np.ndarray:
        """The latent cosine of every query vector with every patent (or with ``patent_rows`` only), float32: one
        BLAS product, before the floor."""
        patents = self.patent_vectors if patent_rows is None else self.patent_vectors[patent_rows]
        if query_vectors.shape[0] > _FEW_QUERIES:
            return np.asarray(query_vectors[:, : self.n_components] @ patents.T, dtype=np.float32)
        with blas_single_thread():  # one search or need: threads cost more than they save (backend.py)
            return np.asarray(query_vectors[:, : self.n_components] @ patents.T, dtype=np.float32)

    def class_block(self, query_vectors: np.ndarray) -> sp.csr_matrix | None:
        """The class part of every query with every patent, already times its share (queries x patents, sparse:
        only pairs that share a class); None without a class prior."""
        if self.classes is None:
            return None
        return self.classes.part(query_vectors[:, self.n_components :], np.float32(self.class_share))

    def similarities(self, query_vectors: np.ndarray, *, patent_rows: np.ndarray | None = None) -> np.ndarray:
        """The semantic part ``max(cos - floor, 0) / (1 - floor)`` of every query vector with every patent (or with
        ``patent_rows`` only), float32 in [0, 1]."""
        cosines = self.cosines(query_vectors, patent_rows=patent_rows)
        dims = self.n_components
        if self.floor:
            cosines -= np.float32(self.floor)
            cosines /= np.float32(1.0 - self.floor)
        latent = np.maximum(cosines, np.float32(0.0), out=cosines)
        if self.classes is None:
            return latent
        share = np.float32(self.class_share)
        latent *= np.float32(1.0) - share  # as _mix does, with the class part added where it is nonzero only
        self.classes.add_block(latent, query_vectors[:, dims:], share, patent_rows)
        return latent

    def pair_similarities(
        self, query_vectors: np.ndarray, *, query_rows: np.ndarray, patent_rows: np.ndarray
    ) -> np.ndarray:
        """The semantic part of each pair ``(query_vectors[query_rows[i]], patent patent_rows[i])``; a patent row
        of -1 gives 0. One row-wise product: no dense block, for the millions of pairs a run keeps."""
        q_rows = np.asarray(query_rows, dtype=np.int64)
        p_rows = np.asarray(patent_rows, dtype=np.int64)
        valid = p_rows >= 0
        out = np.zeros(p_rows.shape, dtype=np.float32)
        dims = self.n_components
        cosines = np.einsum(
            "ij,ij->i", query_vectors[q_rows[valid], :dims], self.patent_vectors[p_rows[valid]], dtype=np.float32
        )
        if self.floor:
            cosines = (cosines - np.float32(self.floor)) / np.float32(1.0 - self.floor)
        latent = np.maximum(cosines, np.float32(0.0))
        if self.classes is not None:
            latent = self._mix(latent, self.classes.pairs(query_vectors[:, dims:], q_rows[valid], p_rows[valid]))
        out[valid] = latent
        return out


def fuse(*, lexical: np.ndarray, semantic: np.ndarray, weight: float) -> np.ndarray:
    """The ranking score: ``(1 - weight) * lexical + weight * semantic`` (float32, as the ranking computes it)."""
    return np.float32(1.0 - weight) * np.asarray(lexical, np.float32) + np.float32(weight) * np.asarray(
        semantic, np.float32
    )


def fit_semantic(
    *,
    matrix: sp.csr_matrix,
    n_components: int,
    weight: float,
    floor: float = 0.0,
    sample_rows: int = 10_000,
    iterations: int = 4,
    seed: int = 0,
    labels: Sequence[Sequence[str]] | None = None,
    class_weight: float = 0.0,
    class_top: int = 3,
    class_centroid_terms: int = 300,
) -> SemanticSpace | None:
    """Fit the latent space on the patent TF-IDF ``matrix``; None when the corpus is too small for one dimension.

    The SVD is fitted on at most ``sample_rows`` patents (a seeded sample, in row order) and every patent is then
    projected: the directions of a topic-rich sample are those of the whole corpus, and the randomized SVD's cost
    grows with the rows it sees (~1 s per 10,000 patents per iteration here). ``n_components`` is capped below the
    smaller side of the fitted matrix. Deterministic: the same matrix and arguments give the same arrays.
    """
    unit_rows = normalize(sp.csr_matrix(matrix, dtype=np.float32), norm="l2")
    fitted = unit_rows
    if unit_rows.shape[0] > sample_rows:
        rows = np.sort(np.random.default_rng(seed).choice(unit_rows.shape[0], size=sample_rows, replace=False))
        fitted = unit_rows[rows]
    dims = min(n_components, min(fitted.shape) - 1)
    if dims < 1 or fitted.nnz == 0:
        return None
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=iterations, random_state=seed)
    svd.fit(fitted)
    space = SemanticSpace(
        components=np.ascontiguousarray(svd.components_, dtype=np.float32),
        patent_vectors=np.zeros((unit_rows.shape[0], dims), dtype=np.float32),
        weight=weight,
        floor=floor,
    )
    # Patents are projected exactly as queries are, so both sides share one formula.
    space.patent_vectors = space.transform(unit_rows)
    prior = None
    if labels is not None and class_weight > 0:
        prior = fit_class_prior(unit_rows=unit_rows, labels=labels, top=class_top, centroid_terms=class_centroid_terms)
    if prior is not None:
        space.classes = prior
        space.weight = min(1.0, weight + class_weight)
        space.class_share = class_weight / space.weight
    return space

"""Patents added to or removed from a fitted index without refitting it.

A patent pooled (or edited) after a run was fitted is weighted with the run's vocabulary and idf, pivot-normalised
with the run's pivot, projected into its latent space and given a class distribution (its own IPC subclasses when the
prior knows them, predicted from its text otherwise) — exactly the formulas :func:`matching.engine.vectorize.fit_index`
applied to the patents it saw, so an added patent scores as it would have in the run, except for terms the run's
vocabulary does not hold (they wait for the next full run, which also refits idf and the latent space). A removed
patent's rows are dropped. The input index is not modified; a new one is returned.

:func:`index_shard` cuts a fitted index into row ranges for a run sharded by patents: a shard keeps the whole index's
vocabulary, idf, pivot, latent components and class centroids, so every (query, patent) pair scores in its shard
exactly as in the whole index, and a worker needs only its shard's rows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from .classes import ClassPrior
from .semantic import SemanticSpace
from .vectorize import Document, MatchIndex, row_norms

__all__ = ["index_apply", "index_pivot", "index_shard"]

_PIVOT_SAMPLE_ROWS = 512


def index_pivot(index: MatchIndex) -> float:
    """The mean row norm the index's patents were pivot-normalised with: kept by fit_index; for an archive written
    before it was kept, estimated from the stored rows.

    The estimate: a stored value is ``w / d`` with ``w = (1 + ln tf) * idf`` and the row's divisor
    ``d = (1 - s) * pivot + s * norm`` (vectorize._pivot_normalise). A term that occurs once has ``w = idf``, so
    ``idf / value = d`` there and less for repeated terms: ``d`` is the row's largest ``idf / value``; then
    ``norm = d * |row|`` and the pivot follows. The median over a sample of rows is exact for every row holding a
    term once (most patents with claims; not a title-only text, whose weighted terms all repeat).
    """
    if index.pivot is not None:
        return index.pivot
    slope = index.config.pivot_slope
    if slope >= 1.0:
        return 1.0  # plain L2 rows: the pivot plays no part
    matrix = index.matrix
    rows = np.flatnonzero(np.diff(matrix.indptr) > 0)[:_PIVOT_SAMPLE_ROWS]
    if rows.size == 0:
        return 1.0
    estimates = []
    for row in rows:
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        values = matrix.data[lo:hi].astype(np.float64)
        divisor = float(np.max(index.idf[matrix.indices[lo:hi]] / values))
        norm = divisor * float(np.sqrt(np.dot(values, values)))
        estimates.append((divisor - slope * norm) / (1.0 - slope))
    return float(np.median(estimates))


def _patent_rows(index: MatchIndex, documents: Sequence[Document], pivot: float) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(pivot-normalised rows, raw TF-IDF rows) of new patent documents."""
    raw = index.weigh(documents)
    norms = row_norms(raw)
    slope = np.float32(index.config.pivot_slope)
    divisor = (np.float32(1.0) - slope) * np.float32(pivot) + slope * norms
    divisor[norms == 0] = 1.0
    rows = raw.copy()
    rows.data /= np.repeat(divisor, np.diff(rows.indptr)).astype(np.float32)
    return rows, raw


def _class_rows(prior: ClassPrior, unit_rows: sp.csr_matrix, labels: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Class distributions of new patents: their own known subclasses (equal shares), else predicted from the text."""
    col = {name: i for i, name in enumerate(prior.names)}
    predicted = prior.predict(unit_rows)
    dense = np.zeros((len(labels), len(prior.names)), dtype=np.float32)
    for r, row in enumerate(labels):
        known = sorted({col[label] for label in row if label in col})
        if known:
            dense[r, known] = np.float32(1.0 / len(known))
        else:
            dense[r] = predicted[r]
    return sp.csr_matrix(dense)


def index_apply(
    index: MatchIndex,
    *,
    remove_ids: Collection[str] = (),
    add_documents: Sequence[Document] = (),
    add_ids: Sequence[str] = (),
    add_labels: Sequence[Sequence[str]] | None = None,
    pivot: float | None = None,
) -> MatchIndex:
    """A new index: ``index`` without ``remove_ids`` (unknown ids ignored), with ``add_documents`` appended as
    ``add_ids`` (an id already present is replaced). ``add_labels``: the added patents' IPC subclasses;
    ``pivot``: defaults to :func:`index_pivot` of ``index``; the new index keeps it."""
    add_ids = [str(pid) for pid in add_ids]
    if len(add_documents) != len(add_ids):
        raise ValueError(f"{len(add_documents)} documents but {len(add_ids)} patent ids")
    if len(set(add_ids)) != len(add_ids):
        raise ValueError("added patent ids must be unique")
    labels = list(add_labels) if add_labels is not None else [[] for _ in add_ids]
    if len(labels) != len(add_ids):
        raise ValueError(f"{len(labels)} label lists but {len(add_ids)} patent ids")
    drop = {str(pid) for pid in remove_ids} | set(add_ids)
    keep = np.array([row for row, pid in enumerate(index.patent_ids) if pid not in drop], dtype=np.int64)
    pivot = index_pivot(index) if pivot is None else pivot
    rows, raw = _patent_rows(index, add_documents, pivot)
    matrix = sp.vstack([index.matrix[keep], rows], format="csr", dtype=np.float32)
    matrix.sort_indices()
    semantic = index.semantic
    if semantic is not None and not add_ids:  # removal only: select the kept rows
        prior = semantic.classes
        classes = None
        if prior is not None:
            classes = ClassPrior(
                names=prior.names, centroids=prior.centroids, patents=prior.patents[keep], top=prior.top
            )
        semantic = SemanticSpace(
            components=semantic.components,
            patent_vectors=semantic.patent_vectors[keep],
            weight=semantic.weight,
            floor=semantic.floor,
            classes=classes,
            class_share=semantic.class_share,
        )
    elif semantic is not None:
        unit = normalize(raw, norm="l2")
        dims = semantic.n_components
        vectors = np.vstack([semantic.patent_vectors[keep], semantic.transform(unit)[:, :dims]]).astype(np.float32)
        prior = semantic.classes
        classes = None
        if prior is not None:
            patents = sp.vstack([prior.patents[keep], _class_rows(prior, unit, labels)], format="csr")
            patents = sp.csr_matrix(patents, dtype=np.float32)
            patents.sort_indices()
            classes = ClassPrior(names=prior.names, centroids=prior.centroids, patents=patents, top=prior.top)
        semantic = SemanticSpace(
            components=semantic.components,
            patent_vectors=vectors,
            weight=semantic.weight,
            floor=semantic.floor,
            classes=classes,
            class_share=semantic.class_share,
        )
    return MatchIndex(
        terms=index.terms,
        idf=index.idf,
        matrix=matrix,
        patent_ids=[index.patent_ids[row] for row in keep] + add_ids,
        config=index.config,
        semantic=semantic,
        pivot=pivot,
    )


def index_shard(index: MatchIndex, *, start: int, stop: int) -> MatchIndex:
    """The patents of rows ``start`` ... ``stop - 1`` of ``index`` as an index of their own (row ``r`` of the shard is
    row ``start + r`` of ``index``), fitted values unchanged: the same vocabulary, idf, pivot, latent space and class
    centroids, the same rows, patent vectors and class distributions. Ranking a query against the shard gives each
    of its patents the score the whole index gives it, bit for bit (the semantic part is one BLAS dot product per
    pair, whatever the number of patents beside it)."""
    if not 0 <= start <= stop <= len(index.patent_ids):
        raise ValueError(f"rows {start}..{stop} outside the index's {len(index.patent_ids)} patents")
    return index_rows(index, rows=slice(start, stop))


def index_rows(index: MatchIndex, *, rows: slice | np.ndarray) -> MatchIndex:
    """The patents of ``rows`` of ``index`` (a slice, or row numbers ascending) as an index of their own, fitted
    values unchanged, as :func:`index_shard` (which is this with a slice): ranking a query against it gives each of
    its patents the score the whole index gives it — a ranking restricted to a few hundred patents (one
    institution's pool) then costs their rows, not the whole index's."""
    picked = rows if isinstance(rows, slice) else np.asarray(rows, dtype=np.int64)
    semantic = index.semantic
    if semantic is not None:
        prior = semantic.classes
        classes = None
        if prior is not None:
            classes = ClassPrior(
                names=prior.names, centroids=prior.centroids, patents=prior.patents[picked], top=prior.top
            )
        semantic = SemanticSpace(
            components=semantic.components,
            patent_vectors=np.ascontiguousarray(semantic.patent_vectors[picked]),
            weight=semantic.weight,
            floor=semantic.floor,
            classes=classes,
            class_share=semantic.class_share,
        )
    ids = index.patent_ids[picked] if isinstance(picked, slice) else [index.patent_ids[r] for r in picked]
    return MatchIndex(
        terms=index.terms,
        idf=index.idf,
        matrix=index.matrix[picked],
        patent_ids=ids,
        config=index.config,
        semantic=semantic,
        pivot=index_pivot(index),
    )

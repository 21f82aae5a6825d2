"""Exact top-k ranking of queries against patents (sparse dot products).

* :func:`top_k_both` – for many queries at once: the best ``k`` patents of every
  query and the best ``k`` queries of every patent, from one pass over the
  score matrix.
* :func:`top_k_patents` – one direction only.
* :func:`rank_one` – one query (a new need) against the index, ~1-3 ms; with ``feedback``, pseudo-relevance
  feedback on its semantic part (:mod:`matching.engine.prf`), a second pass.
* :func:`rank_queries` – the best queries for one patent (the push list; with ``push``, generic words
  discounted: :mod:`matching.engine.push`).
* :func:`rank_index` – many queries against an index, fused with its
  latent-semantic space when it has one (see :mod:`matching.engine.semantic`).

``top_k_both``/``top_k_patents`` rank the lexical score of two matrices;
``rank_one`` and ``rank_index`` rank what an index serves: the fused score
``(1 - w) * lexical + w * semantic`` when the index has a semantic space, the
lexical score otherwise.

Order: higher score first, ties by lower row index; only scores > 0 are
returned, shorter result rows are padded with index ``-1`` and score ``0``.
Filters (city, type, mode...) are applied by passing ``patent_mask``, a boolean
array over index rows (see :func:`mask_from_ids`).

Two interchangeable backends give identical results (:mod:`matching.engine.backend`): a numba kernel
(``_kernels.py``, used when numba is installed; memory ``O(threads x
n_patents x k)``) and a scipy fallback that multiplies ``chunk_rows`` queries at
a time into a dense block (memory ``O(chunk_rows x n_patents)``), ~6x slower.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from .backend import RankBackend, chosen_backend, kernel_workers
from .prf import PseudoFeedback, feedback_vectors
from .push import PushConfig, push_scores
from .semantic import SemanticSpace
from .topk import TopK, _empty, _kth_largest, _select, _top_rows
from .vectorize import MatchIndex

__all__ = [
    "TopK",
    "mask_from_ids",
    "rank_index",
    "rank_one",
    "rank_queries",
    "top_k_both",
    "top_k_patents",
]


def mask_from_ids(*, index: MatchIndex, allowed_ids: Iterable[str]) -> np.ndarray:
    """Boolean patent mask of ``index`` that is True exactly for ``allowed_ids`` (unknown ids ignored)."""
    mask = np.zeros(len(index.patent_ids), dtype=bool)
    rows = [index._row_lookup().get(pid) for pid in allowed_ids]
    mask[[r for r in rows if r is not None]] = True
    return mask


def top_k_both(
    *,
    queries: sp.csr_matrix,
    patents: sp.csr_matrix,
    k: int,
    patent_mask: np.ndarray | None = None,
    backend: RankBackend = "auto",
    threads: int | None = None,
    chunk_rows: int = 512,
) -> tuple[TopK, TopK]:
    """``(best patents per query, best queries per patent)`` of ``queries @ patents.T``.

    ``queries`` is (n_queries x n_terms), ``patents`` (n_patents x n_terms),
    e.g. ``index.matrix``. A masked-out patent gets an empty row in the second result.
    """
    return _run(queries, patents, k, patent_mask, backend, threads, chunk_rows, rows=True, cols=True)  # type: ignore[return-value]


def top_k_patents(
    *,
    queries: sp.csr_matrix,
    patents: sp.csr_matrix,
    k: int,
    patent_mask: np.ndarray | None = None,
    backend: RankBackend = "auto",
    threads: int | None = None,
    chunk_rows: int = 512,
) -> TopK:
    """Best ``k`` patents (rows of ``patents``) for every query row."""
    return _run(queries, patents, k, patent_mask, backend, threads, chunk_rows, rows=True, cols=False)[0]


def rank_one(
    *,
    index: MatchIndex,
    query: sp.csr_matrix,
    k: int,
    patent_mask: np.ndarray | None = None,
    score_factors: np.ndarray | None = None,
    feedback: PseudoFeedback | None = None,
) -> TopK:
    """Best ``k`` patents for a single query vector (1 x n_terms, e.g. ``index.transform_query(tokens)``).

    Lexical part: the index's cached transposed matrix, so the cost is the
    postings of the query's terms only (~1-3 ms on 45,000 patents); the
    semantic part, when the index has one, is one dense product over the
    patent vectors (~1 ms more).

    ``score_factors``: a float32 factor per patent that multiplies its score before the selection (the term
    coverage of a short query, :mod:`matching.engine.coverage`); the scores returned are the multiplied ones.

    ``feedback``: pseudo-relevance feedback (:mod:`matching.engine.prf`): a first pass (same mask and factors)
    gives the best ``feedback.top`` hits, the semantic part is then ranked with the query expanded by them, the
    lexical part with the query as given; None (the default) ranks the query as given, exactly as before.

    ``semantic`` of the result: the semantic part of each hit (before its weight and any factor), as ranked.
    """
    vectors = None
    if feedback is not None and index.semantic is not None:
        first = _rank_one(index, query, feedback.top, patent_mask, score_factors, None)
        vectors = feedback_vectors(index=index, queries=query, hits=first.indices, feedback=feedback)
    return _rank_one(index, query, k, patent_mask, score_factors, vectors)


def _rank_one(
    index: MatchIndex,
    query: sp.csr_matrix,
    k: int,
    patent_mask: np.ndarray | None,
    score_factors: np.ndarray | None,
    vectors: np.ndarray | None,
) -> TopK:
    q = sp.csr_matrix(query, dtype=np.float32)
    lexical = (q @ index.matrix_t).tocsr()
    cols, vals = lexical.indices, lexical.data
    similarities = None
    if index.semantic is not None:
        space = index.semantic
        similarities = space.similarities(space.transform(q) if vectors is None else vectors).ravel()
        fused = similarities * np.float32(space.weight)
        fused[cols] += np.float32(1.0 - space.weight) * vals
        cols = np.flatnonzero(fused > 0)
        vals = fused[cols]
    if score_factors is not None:
        vals = vals * np.asarray(score_factors, dtype=np.float32)[cols]
    keep = vals > 0
    if patent_mask is not None:
        keep &= np.asarray(patent_mask, dtype=bool)[cols]
    cols, vals = cols[keep], vals[keep]
    if vals.size > k:  # cheap pre-selection; ties at the k-th value stay in for the exact order
        kth = np.partition(vals, vals.size - k)[vals.size - k]
        keep = vals >= kth
        cols, vals = cols[keep], vals[keep]
    top = _select(rows=np.zeros(vals.size, np.int64), cols=cols.astype(np.int64), scores=vals, n_rows=1, k=k)
    if similarities is None:
        return top
    semantic = np.where(top.indices >= 0, similarities[np.maximum(top.indices, 0)], np.float32(0.0))
    return TopK(top.indices, top.scores, semantic.astype(np.float32))


def rank_index(
    *,
    index: MatchIndex,
    queries: sp.csr_matrix,
    k: int,
    patent_mask: np.ndarray | None = None,
    backend: RankBackend = "auto",
    threads: int | None = None,
    chunk_rows: int = 512,
    feedback: PseudoFeedback | None = None,
) -> TopK:
    """Best ``k`` patents of ``index`` for every query row (``index.transform_queries``), by the score it serves.

    ``feedback``: as :func:`rank_one`'s, for every query: a first pass of ``feedback.top`` per query, then the
    semantic block of the expanded queries (the lexical part and the explaining terms are the queries' own).

    Without a semantic space this is :func:`top_k_patents` on ``index.matrix``. With one, the semantic block of
    ``chunk_rows`` queries is one BLAS product (memory ``chunk_rows x n_patents x 4`` bytes), added to the lexical
    part inside the same kernel.
    """
    vectors = None
    if feedback is not None and index.semantic is not None:
        first = rank_index(
            index=index, queries=queries, k=feedback.top, patent_mask=patent_mask, backend=backend, threads=threads,
            chunk_rows=chunk_rows,
        )  # fmt: skip
        vectors = feedback_vectors(index=index, queries=queries, hits=first.indices, feedback=feedback)
    if index.semantic is None:
        return top_k_patents(
            queries=queries, patents=index.matrix, k=k, patent_mask=patent_mask, backend=backend, threads=threads,
            chunk_rows=chunk_rows,
        )  # fmt: skip
    if k < 1:
        raise ValueError("k must be >= 1")
    if queries.shape[1] != index.matrix.shape[1]:
        raise ValueError(f"queries have {queries.shape[1]} terms, patents {index.matrix.shape[1]}")
    n_patents = index.matrix.shape[0]
    mask = np.ones(n_patents, dtype=bool) if patent_mask is None else np.asarray(patent_mask, dtype=bool)
    if mask.shape != (n_patents,):
        raise ValueError(f"patent_mask must have shape ({n_patents},)")
    q = sp.csr_matrix(queries, dtype=np.float32)
    q.sort_indices()
    chosen = chosen_backend(backend)
    parts = []
    for start in range(0, q.shape[0], chunk_rows):
        block = q[start : start + chunk_rows]
        given = None if vectors is None else vectors[start : start + chunk_rows]
        if chosen == "numba":
            parts.append(_fused_numba(block, index.matrix_t, index.semantic, k, mask, threads, given))
        else:
            parts.append(_fused_scipy(block, index.matrix_t, index.semantic, k, mask, given))
    if not parts:
        empty = _empty(0, k)
        return TopK(empty.indices, empty.scores, np.zeros((0, k), np.float32))
    return TopK(*(np.vstack([getattr(p, name) for p in parts]) for name in ("indices", "scores", "semantic")))


def rank_queries(
    *,
    index: MatchIndex,
    queries: sp.csr_matrix,
    patent_row: int,
    k: int,
    query_vectors: np.ndarray | None = None,
    push: PushConfig | None = None,
    term_weights: np.ndarray | None = None,
    queries_t: sp.csr_matrix | None = None,
) -> TopK:
    """Best ``k`` query rows for one patent (``index`` row ``patent_row``), by the score the index serves, or with
    ``push`` by the push score (:mod:`matching.engine.push`: generic words discounted, single-term pairs lowered;
    ``term_weights`` its :func:`~matching.engine.push.enterprise_term_weights`, ``queries_t`` the queries
    transposed, when the caller keeps them).

    ``query_vectors``: the queries' latent vectors (``index.semantic.transform(queries)``), when the caller keeps
    them between calls; computed here otherwise.
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    if push is not None:
        pushed = push_scores(
            index=index, queries=queries, patent_row=patent_row, config=push, term_weights=term_weights,
            query_vectors=query_vectors, queries_t=queries_t,
        )  # fmt: skip
        cols = np.flatnonzero(pushed > 0)
        return _select(rows=np.zeros(cols.size, np.int64), cols=cols, scores=pushed[cols], n_rows=1, k=k)
    scores = (sp.csr_matrix(queries, dtype=np.float32) @ index.matrix[patent_row].T).toarray().ravel()
    if index.semantic is not None:
        space = index.semantic
        vectors = space.transform(queries) if query_vectors is None else query_vectors
        semantic = space.similarities(vectors, patent_rows=np.array([patent_row])).ravel()
        scores = np.float32(1.0 - space.weight) * scores + np.float32(space.weight) * semantic
    cols = np.flatnonzero(scores > 0)
    return _select(rows=np.zeros(cols.size, np.int64), cols=cols, scores=scores[cols], n_rows=1, k=k)


def _fused_scipy(
    q: sp.csr_matrix,
    patents_t: sp.csr_matrix,
    space: SemanticSpace,
    k: int,
    mask: np.ndarray,
    vectors: np.ndarray | None = None,
) -> TopK:
    """The fused top-k of a block of queries with numpy: the whole semantic block, then the selection.
    ``vectors``: the block's semantic query vectors when given (feedback), else projected from ``q``."""
    semantic = space.similarities(space.transform(q) if vectors is None else vectors)
    dense = np.float32(1.0 - space.weight) * (q @ patents_t).toarray() + semantic * np.float32(space.weight)
    top = _top_rows(dense, k, mask)
    kept = np.take_along_axis(semantic, np.maximum(top.indices, 0), axis=1)
    return TopK(top.indices, top.scores, np.where(top.indices >= 0, kept, np.float32(0.0)))


def _fused_numba(
    q: sp.csr_matrix,
    patents_t: sp.csr_matrix,
    space: SemanticSpace,
    k: int,
    mask: np.ndarray,
    threads: int | None,
    vectors: np.ndarray | None = None,
) -> TopK:
    """The fused top-k of a block of queries: the cosines are one BLAS product; floor, class part and weights are
    applied inside the kernel, per query row (the numpy passes over the whole block cost as much as the product).
    ``vectors``: the block's semantic query vectors when given (feedback), else projected from ``q``."""
    from . import _kernels  # deferred: compiled kernels load with numba, which is optional

    if vectors is None:
        vectors = space.transform(q)
    cosines = np.ascontiguousarray(space.cosines(vectors), dtype=np.float32)
    classes = space.class_block(vectors)
    if classes is None:
        classes = sp.csr_matrix(cosines.shape, dtype=np.float32)
    share = np.float32(space.class_share) if space.classes is not None else np.float32(0.0)
    with kernel_workers(threads) as n_workers:
        indices, scores, semantic = _kernels.top_k_rows_fused(
            q.indptr.astype(np.int64), q.indices.astype(np.int32), q.data,
            patents_t.indptr.astype(np.int64), patents_t.indices.astype(np.int32), patents_t.data,
            cosines, np.float32(space.floor), np.float32(1.0 - space.floor), np.float32(1.0) - share,
            classes.indptr.astype(np.int64), classes.indices.astype(np.int32), classes.data.astype(np.float32),
            np.float32(space.weight), 1.0 - space.weight, k, mask, n_workers,
        )  # fmt: skip
    return TopK(indices, scores, semantic)


# ------------------------------------------------------------------ internals
def _run(
    queries: sp.csr_matrix,
    patents: sp.csr_matrix,
    k: int,
    patent_mask: np.ndarray | None,
    backend: RankBackend,
    threads: int | None,
    chunk_rows: int,
    *,
    rows: bool,
    cols: bool,
) -> tuple[TopK, TopK]:
    if k < 1:
        raise ValueError("k must be >= 1")
    if queries.shape[1] != patents.shape[1]:
        raise ValueError(f"queries have {queries.shape[1]} terms, patents {patents.shape[1]}")
    n_patents = patents.shape[0]
    mask = np.ones(n_patents, dtype=bool) if patent_mask is None else np.asarray(patent_mask, dtype=bool)
    if mask.shape != (n_patents,):
        raise ValueError(f"patent_mask must have shape ({n_patents},)")
    q = sp.csr_matrix(queries, dtype=np.float32)
    patents_t = sp.csr_matrix(patents.T, dtype=np.float32)  # terms x patents: the postings lists
    chosen = chosen_backend(backend)
    if chosen == "numba":
        return _run_numba(q, patents_t, n_patents, k, mask, threads, rows, cols)
    return _run_scipy(q, patents_t, k, mask, chunk_rows, rows, cols)


def _run_numba(
    q: sp.csr_matrix,
    patents_t: sp.csr_matrix,
    n_patents: int,
    k: int,
    mask: np.ndarray,
    threads: int | None,
    rows: bool,
    cols: bool,
) -> tuple[TopK, TopK]:
    from . import _kernels  # deferred: compiled kernels load with numba, which is optional

    q.sort_indices()
    patents_t.sort_indices()
    with kernel_workers(threads) as n_workers:
        row_i, row_s, col_i, col_s = _kernels.top_k_both(
            q.indptr.astype(np.int64), q.indices.astype(np.int32), q.data,
            patents_t.indptr.astype(np.int64), patents_t.indices.astype(np.int32), patents_t.data,
            n_patents, k, mask, rows, cols, n_workers,
        )  # fmt: skip
    return TopK(row_i, row_s), TopK(col_i, col_s)


def _run_scipy(
    q: sp.csr_matrix,
    patents_t: sp.csr_matrix,
    k: int,
    mask: np.ndarray,
    chunk_rows: int,
    rows: bool,
    cols: bool,
) -> tuple[TopK, TopK]:
    n_queries, n_patents = q.shape[0], patents_t.shape[1]
    row_parts: list[TopK] = []
    # Running candidates of the transposed direction: (patent, query, score) triplets.
    col_p = np.zeros(0, np.int64)
    col_q = np.zeros(0, np.int64)
    col_s = np.zeros(0, np.float32)
    for start in range(0, n_queries, chunk_rows):
        block = (q[start : start + chunk_rows] @ patents_t).toarray()
        block[:, ~mask] = 0.0
        if rows:
            # Candidates: every score >= the row's k-th largest (ties kept, resolved by _select).
            cand_r, cand_c = np.nonzero((block > 0) & (block >= _kth_largest(block, k, axis=1)[:, None]))
            row_parts.append(
                _select(rows=cand_r, cols=cand_c, scores=block[cand_r, cand_c], n_rows=block.shape[0], k=k)
            )
        if cols:
            cand_r, cand_c = np.nonzero((block > 0) & (block >= _kth_largest(block, k, axis=0)[None, :]))
            col_p = np.concatenate([col_p, cand_c])
            col_q = np.concatenate([col_q, cand_r + start])
            col_s = np.concatenate([col_s, block[cand_r, cand_c]])
            pruned = _select(rows=col_p, cols=col_q, scores=col_s, n_rows=n_patents, k=k)
            valid = pruned.indices >= 0
            col_p = np.nonzero(valid)[0].astype(np.int64)
            col_q = pruned.indices[valid].astype(np.int64)
            col_s = pruned.scores[valid]
    if rows and row_parts:
        row_top = TopK(np.vstack([p.indices for p in row_parts]), np.vstack([p.scores for p in row_parts]))
    else:
        row_top = _empty(n_queries if rows else 0, k)
    col_top = _select(rows=col_p, cols=col_q, scores=col_s, n_rows=n_patents, k=k) if cols else _empty(0, k)
    return row_top, col_top

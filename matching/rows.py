"""A chunk's recommendation rows as arrays, and their PostgreSQL COPY text — no per-row Python objects.

The explaining terms of every (enterprise, patent) pair come from one compiled pass over both sparse rows
(:func:`explain_pairs`), the same terms in the same order as ``matching.engine.explain.explain_many``: the largest
contributions ``q_i * d_i`` first, ties by term number. The kernel is cached on disk (NUMBA_CACHE_DIR, set in
settings) and compiled or loaded when a worker starts (:func:`kernels_warm_up`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from numba import njit, prange

from matching.engine.rank import rank_index, top_k_patents
from matching.engine.vectorize import fit_index


@njit(cache=True, parallel=True)
def _explain_pairs(q_indptr, q_indices, q_data, d_indptr, d_indices, d_data, pair_q, pair_d, n_terms):
    n_pairs = pair_q.shape[0]
    out = np.full((n_pairs, n_terms), -1, dtype=np.int32)
    for p in prange(n_pairs):
        if pair_d[p] < 0:
            continue
        best = np.zeros(n_terms, dtype=np.float32)
        count = 0
        qi, q_end = q_indptr[pair_q[p]], q_indptr[pair_q[p] + 1]
        di, d_end = d_indptr[pair_d[p]], d_indptr[pair_d[p] + 1]
        while qi < q_end and di < d_end:
            term, other = q_indices[qi], d_indices[di]
            if term < other:
                qi += 1
            elif term > other:
                di += 1
            else:
                value = d_data[di] * q_data[qi]
                qi += 1
                di += 1
                if value <= 0 or (count == n_terms and value <= best[n_terms - 1]):
                    continue
                # insert after equal values: terms come in ascending order, so ties keep the smaller term first
                slot = min(count, n_terms - 1)
                while slot > 0 and best[slot - 1] < value:
                    best[slot] = best[slot - 1]
                    out[p, slot] = out[p, slot - 1]
                    slot -= 1
                best[slot] = value
                out[p, slot] = term
                count = min(count + 1, n_terms)
    return out


def _sorted(matrix: sp.csr_matrix) -> sp.csr_matrix:
    if not matrix.has_sorted_indices:
        matrix = matrix.copy()
        matrix.sort_indices()
    return matrix


def explain_pairs(
    *, matrix: sp.csr_matrix, queries: sp.csr_matrix, query_rows: np.ndarray, patent_rows: np.ndarray, n_terms: int
) -> np.ndarray:
    """Term numbers (pairs x n_terms, -1 padded) of the largest shared-term contributions of each pair
    ``(queries[query_rows[i]], matrix[patent_rows[i]])``; a patent row of -1 gives no terms."""
    q, d = _sorted(queries), _sorted(matrix)
    return _explain_pairs(
        q.indptr.astype(np.int64), q.indices.astype(np.int32), q.data.astype(np.float32),
        d.indptr.astype(np.int64), d.indices.astype(np.int32), d.data.astype(np.float32),
        np.asarray(query_rows, dtype=np.int64), np.asarray(patent_rows, dtype=np.int64), int(n_terms),
    )  # fmt: skip


def terms_json(*, terms: list[str], term_ids: np.ndarray) -> list[str]:
    """Each row of term numbers (-1 only after the terms) as the JSON list of its terms (Recommendation.terms)."""
    used = np.unique(term_ids[term_ids >= 0])
    pieces = np.full(len(terms) + 1, "", dtype=object)  # the last one stands for -1
    pieces[used] = [json.dumps(terms[t], ensure_ascii=False) for t in used.tolist()]
    following = np.full(len(terms) + 1, "", dtype=object)
    following[used] = ", " + pieces[used]
    slots = np.where(term_ids >= 0, term_ids, len(terms))
    # object-array additions concatenate the strings column by column in C, not row by row in Python
    joined = "[" + pieces[slots[:, 0]] if term_ids.shape[1] else np.full(len(term_ids), "[", dtype=object)
    for column in range(1, term_ids.shape[1]):
        joined = joined + following[slots[:, column]]
    return (joined + "]").tolist()


@dataclass
class RecommendationRows:
    """Rows of the recommendation table, one array per column (``terms`` already JSON text)."""

    run_id: int
    enterprise_ids: np.ndarray
    patent_ids: np.ndarray
    ranks: np.ndarray
    scores: np.ndarray
    semantic: np.ndarray  # the semantic part of each score (matching.engine.semantic)
    final_scores: np.ndarray
    terms: list[str]

    def __len__(self) -> int:
        return len(self.terms)

    @cached_property
    def copy_buffer(self) -> str:
        """copy_text(), built once."""
        return self.copy_text()

    def copy_text(self) -> str:
        """The rows in PostgreSQL COPY text format (tab-separated; a backslash in the JSON is doubled)."""
        terms = np.array([t.replace("\\", "\\\\") if "\\" in t else t for t in self.terms], dtype=object)
        line = f"{self.run_id}\t" + self.enterprise_ids.astype(str).astype(object)
        for column in (self.patent_ids, self.ranks, self.scores, self.semantic, self.final_scores):
            line = line + "\t" + np.asarray(column).astype(str).astype(object)
        return "".join((line + "\t" + terms + "\n").tolist())


def kernels_warm_up() -> None:
    """Compile (or load from NUMBA_CACHE_DIR) the ranking and explaining kernels on a tiny index, so that a
    worker's first chunk does not pay seconds of compilation."""
    matrix = sp.csr_matrix(np.array([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]], dtype=np.float32))
    queries = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]], dtype=np.float32))
    top = top_k_patents(queries=queries, patents=matrix, k=2)
    explain_pairs(matrix=matrix, queries=queries, query_rows=np.zeros(2), patent_rows=top.indices[0], n_terms=2)
    index = fit_index(documents=["甲 乙", "乙 丙", "丙 丁"], patent_ids=["1", "2", "3"])  # with its semantic layer
    rank_index(index=index, queries=index.transform_queries(["乙"]), k=2)  # the fused kernel

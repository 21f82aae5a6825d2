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

COPY_COLUMNS = ("run_id", "enterprise_id", "patent_id", "rank", "score", "semantic", "final_score", "terms")
# The columns' binary types (big-endian), as the migrations create them: bigint keys, smallint rank, double
# precision scores; recommendation_writes checks them against the model's database types before the first COPY.
COPY_TYPES = {
    "run_id": ("bigint", ">i8"),
    "enterprise_id": ("bigint", ">i8"),
    "patent_id": ("bigint", ">i8"),
    "rank": ("smallint", ">i2"),
    "score": ("double precision", ">f8"),
    "semantic": ("double precision", ">f8"),
    "final_score": ("double precision", ">f8"),
    "terms": ("jsonb", ""),
}
# Each row: its number of fields, then each field's byte size and bytes; the terms' bytes follow the fixed part.
_ROW_HEAD = np.dtype(
    [("fields", ">i2")]
    + [pair for name in COPY_COLUMNS[:-1] for pair in ((f"{name}_size", ">i4"), (name, COPY_TYPES[name][1]))]
    + [("terms_size", ">i4")]
)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")  # signature, flags, extension
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)


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

    def subset(self, keep: np.ndarray) -> RecommendationRows:
        """The rows a boolean mask selects, in their order."""
        at = np.flatnonzero(keep)
        return RecommendationRows(
            run_id=self.run_id,
            enterprise_ids=self.enterprise_ids[at],
            patent_ids=self.patent_ids[at],
            ranks=self.ranks[at],
            scores=self.scores[at],
            semantic=self.semantic[at],
            final_scores=self.final_scores[at],
            terms=[self.terms[i] for i in at.tolist()],
        )

    @cached_property
    def copy_buffer(self) -> bytes:
        """copy_binary(), built once."""
        return self.copy_binary()

    def copy_binary(self) -> bytes:
        """The rows in PostgreSQL's binary COPY format, in the order of ``COPY_COLUMNS``.

        The numbers go in as their big-endian bytes, straight from the arrays: no number is formatted here or parsed
        by the server (the text format spent ~0.3 s of each 100,000-row chunk turning floats into text, and the
        server as long parsing them back), and every float is stored exactly as computed. ``jsonb`` in binary is a
        version byte (1) before the JSON text.
        """
        n = len(self)
        fixed = np.empty(n, dtype=_ROW_HEAD)
        fixed["fields"] = len(COPY_COLUMNS)
        for name, column in zip(
            COPY_COLUMNS[:-1],
            (
                np.full(n, self.run_id), self.enterprise_ids, self.patent_ids, self.ranks,
                self.scores, self.semantic, self.final_scores,
            ),
            strict=True,
        ):  # fmt: skip
            fixed[f"{name}_size"] = fixed.dtype[name].itemsize
            fixed[name] = column
        terms = [b"\x01" + t.encode() for t in self.terms]
        fixed["terms_size"] = np.fromiter(map(len, terms), dtype=np.int32, count=n)
        head, size = fixed.tobytes(), fixed.itemsize
        pieces: list[bytes] = [b""] * (2 * n)
        pieces[0::2] = [head[i : i + size] for i in range(0, n * size, size)]
        pieces[1::2] = terms
        return _COPY_HEADER + b"".join(pieces) + _COPY_TRAILER


def kernels_warm_up() -> None:
    """Compile (or load from NUMBA_CACHE_DIR) the ranking and explaining kernels on a tiny index, so that a
    worker's first chunk does not pay seconds of compilation."""
    matrix = sp.csr_matrix(np.array([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]], dtype=np.float32))
    queries = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]], dtype=np.float32))
    top = top_k_patents(queries=queries, patents=matrix, k=2)
    explain_pairs(matrix=matrix, queries=queries, query_rows=np.zeros(2), patent_rows=top.indices[0], n_terms=2)
    index = fit_index(documents=["甲 乙", "乙 丙", "丙 丁"], patent_ids=["1", "2", "3"])  # with its semantic layer
    rank_index(index=index, queries=index.transform_queries(["乙"]), k=2)  # the fused kernel

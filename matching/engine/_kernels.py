"""Numba kernels of the engine: exact top-k over a sparse score matrix (both directions in one pass, and fused with
the semantic part), and the explaining terms of many (query, patent) pairs.

The only module of the engine that imports numba. Imported lazily by :mod:`matching.engine.rank` and
:mod:`matching.engine.explain` (through :mod:`matching.engine.backend`); if numba is missing, their numpy/scipy paths
give the same results. Ordering everywhere: higher score first, ties broken by the lower index; only scores > 0 count.

Why a kernel: the 26,000 x 45,000 score matrix is ~60% dense, so scipy's
sparse product plus numpy selection spends its time in allocation and
partitioning. Here every query row is accumulated into a private dense buffer
(postings of its terms), fed to a k-heap for that query and to per-patent
k-heaps for the transposed direction, then cleared: memory stays
``O(threads x n_patents x k)`` and the score matrix is never materialised.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_EMPTY = np.iinfo(np.int32).max  # index of an unused heap slot (worse than any real hit)


@njit(cache=True, inline="always")
def _better(s1: float, i1: int, s2: float, i2: int) -> bool:
    return s1 > s2 or (s1 == s2 and i1 < i2)


@njit(cache=True)
def _sift_down(hs: np.ndarray, hi: np.ndarray) -> None:
    """Restore a k-heap whose root (the worst kept entry) was just replaced."""
    k = hs.shape[0]
    pos = 0
    while True:
        child = 2 * pos + 1
        if child >= k:
            return
        right = child + 1
        if right < k and _better(hs[child], hi[child], hs[right], hi[right]):
            child = right  # the worse child must move up
        if _better(hs[pos], hi[pos], hs[child], hi[child]):
            hs[pos], hs[child] = hs[child], hs[pos]
            hi[pos], hi[child] = hi[child], hi[pos]
            pos = child
        else:
            return


@njit(cache=True)
def _emit_sorted(hs: np.ndarray, hi: np.ndarray, out_s: np.ndarray, out_i: np.ndarray) -> None:
    """Write a heap's entries best-first; unused slots become (-1, 0.0)."""
    k = hs.shape[0]
    order_s = hs.copy()
    order_i = hi.copy()
    for a in range(1, k):  # insertion sort: k is small (<= a few hundred)
        s, i = order_s[a], order_i[a]
        b = a - 1
        while b >= 0 and _better(s, i, order_s[b], order_i[b]):
            order_s[b + 1] = order_s[b]
            order_i[b + 1] = order_i[b]
            b -= 1
        order_s[b + 1] = s
        order_i[b + 1] = i
    for a in range(k):
        if order_i[a] == _EMPTY:
            out_s[a] = 0.0
            out_i[a] = -1
        else:
            out_s[a] = order_s[a]
            out_i[a] = order_i[a]


@njit(cache=True)
def _sift_down_keys(heap: np.ndarray) -> None:
    """Restore a min-heap of uint64 keys whose root was just replaced."""
    k = heap.shape[0]
    pos = 0
    key = heap[0]
    while True:
        child = 2 * pos + 1
        if child >= k:
            break
        if child + 1 < k and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] < key:
            heap[pos] = heap[child]
            pos = child
        else:
            break
    heap[pos] = key


@njit(cache=True, parallel=True)
def top_k_both(
    q_indptr: np.ndarray,
    q_indices: np.ndarray,
    q_data: np.ndarray,
    pt_indptr: np.ndarray,
    pt_indices: np.ndarray,
    pt_data: np.ndarray,
    n_patents: int,
    k: int,
    mask: np.ndarray,
    want_rows: bool,
    want_cols: bool,
    n_workers: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Top-k patents per query row and top-k query rows per patent of ``Q @ PT``.

    ``Q`` is CSR (queries x terms), ``PT`` is CSR (terms x patents), ``mask``
    marks the patents that may appear. Returns ``(row_idx, row_score, col_idx,
    col_score)``; a direction not wanted comes back with zero rows.

    Per-patent heaps hold one uint64 key per entry: the float32 score's bits
    (monotonic for positive floats) above ``~query_row``, so "better" is a
    single integer comparison and an entry is 8 contiguous bytes.
    """
    n_queries = q_indptr.shape[0] - 1
    rows_i = np.full((n_queries if want_rows else 0, k), -1, np.int32)
    rows_s = np.zeros((n_queries if want_rows else 0, k), np.float32)
    n_col_heaps = n_patents if want_cols else 0
    heaps = np.zeros((n_workers, n_col_heaps, k), np.uint64)  # 0 = empty slot
    low = np.uint64(0xFFFFFFFF)
    for w in prange(n_workers):
        acc = np.zeros(n_patents, np.float32)
        acc_bits = acc.view(np.uint32)
        # Root of every heap of this worker: small and cache-resident for the usual rejection.
        roots = np.zeros(n_col_heaps, np.uint64)
        touched = np.empty(n_patents, np.int32)
        rs = np.zeros(k, np.float32)
        ri = np.full(k, _EMPTY, np.int32)
        for q in range(w, n_queries, n_workers):  # interleaved rows balance the load
            n_touched = 0
            for a in range(q_indptr[q], q_indptr[q + 1]):
                term = q_indices[a]
                weight = q_data[a]
                for b in range(pt_indptr[term], pt_indptr[term + 1]):
                    p = pt_indices[b]
                    if acc[p] == 0.0:
                        touched[n_touched] = p
                        n_touched += 1
                    acc[p] += weight * pt_data[b]
            if want_rows:
                rs[:] = 0.0
                ri[:] = _EMPTY
            q_low = low - np.uint64(q)
            for j in range(n_touched):
                p = touched[j]
                s = acc[p]
                if s > 0.0 and mask[p]:
                    if want_rows and _better(s, p, rs[0], ri[0]):
                        rs[0] = s
                        ri[0] = p
                        _sift_down(rs, ri)
                    if want_cols:
                        key = (np.uint64(acc_bits[p]) << np.uint64(32)) | q_low
                        if key > roots[p]:
                            heap = heaps[w, p]
                            heap[0] = key
                            _sift_down_keys(heap)
                            roots[p] = heap[0]
                acc[p] = 0.0
            if want_rows:
                _emit_sorted(rs, ri, rows_s[q], rows_i[q])

    cols_i = np.full((n_col_heaps, k), -1, np.int32)
    cols_s = np.zeros((n_col_heaps, k), np.float32)
    for p in prange(n_col_heaps):
        merged = np.sort(heaps[:, p, :].ravel())[::-1][:k]  # best keys first
        bits = np.empty(k, np.uint32)
        for a in range(k):
            bits[a] = np.uint32(merged[a] >> np.uint64(32))
            if merged[a] != 0:
                cols_i[p, a] = np.int32(low - (merged[a] & low))
        scores = bits.view(np.float32)
        for a in range(k):
            if merged[a] != 0:
                cols_s[p, a] = scores[a]
    return rows_i, rows_s, cols_i, cols_s


@njit(cache=True, parallel=True)
def top_k_rows_fused(
    q_indptr: np.ndarray,
    q_indices: np.ndarray,
    q_data: np.ndarray,
    pt_indptr: np.ndarray,
    pt_indices: np.ndarray,
    pt_data: np.ndarray,
    cosines: np.ndarray,
    floor: np.float32,
    above_floor: np.float32,
    latent_share: np.float32,
    c_indptr: np.ndarray,
    c_indices: np.ndarray,
    c_data: np.ndarray,
    semantic_weight: np.float32,
    lexical_weight: float,
    k: int,
    mask: np.ndarray,
    n_workers: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top-k patents per query row of ``lexical_weight * (Q @ PT) + semantic_weight * semantic``, and the
    ``semantic`` part (before its weight) of each.

    ``cosines`` is the dense (queries x patents) block of latent cosines; the semantic part is made from it here,
    one query row at a time in a buffer that stays in cache, in the float32 operations and order of
    ``SemanticSpace.similarities`` (``max((c - floor) / above_floor, 0) * latent_share``, plus the sparse class
    part ``C`` (CSR, queries x patents, already times its share) where a query and a patent share a class), so the
    scores are bit-for-bit those of the scipy path, which builds the whole block with numpy first. The lexical part
    is accumulated from the postings as in :func:`top_k_both`; then every patent is scored, since a semantic score
    needs no shared term.
    """
    n_queries = q_indptr.shape[0] - 1
    n_patents = cosines.shape[1]
    rows_i = np.full((n_queries, k), -1, np.int32)
    rows_s = np.zeros((n_queries, k), np.float32)
    rows_m = np.zeros((n_queries, k), np.float32)
    weight = np.float32(lexical_weight)
    zero = np.float32(0.0)
    for w in prange(n_workers):
        acc = np.zeros(n_patents, np.float32)
        semantic = np.empty(n_patents, np.float32)
        rs = np.zeros(k, np.float32)
        ri = np.full(k, _EMPTY, np.int32)
        for q in range(w, n_queries, n_workers):
            for a in range(q_indptr[q], q_indptr[q + 1]):
                term = q_indices[a]
                value = q_data[a]
                for b in range(pt_indptr[term], pt_indptr[term + 1]):
                    acc[pt_indices[b]] += value * pt_data[b]
            row = cosines[q]
            for p in range(n_patents):  # branch-free: vectorised
                c = (row[p] - floor) / above_floor
                semantic[p] = (c if c > zero else zero) * latent_share
            for a in range(c_indptr[q], c_indptr[q + 1]):
                semantic[c_indices[a]] += c_data[a]
            rs[:] = 0.0
            ri[:] = _EMPTY
            worst = rs[0]  # the heap's root score: most patents fail this one comparison
            for p in range(n_patents):
                s = weight * acc[p] + semantic[p] * semantic_weight
                acc[p] = 0.0
                if s >= worst and s > 0.0 and mask[p] and _better(s, p, rs[0], ri[0]):
                    rs[0] = s
                    ri[0] = p
                    _sift_down(rs, ri)
                    worst = rs[0]
            _emit_sorted(rs, ri, rows_s[q], rows_i[q])
            for a in range(k):  # the semantic part of each kept patent, while this query's buffer holds it
                if rows_i[q, a] >= 0:
                    rows_m[q, a] = semantic[rows_i[q, a]]
    return rows_i, rows_s, rows_m


@njit(cache=True, parallel=True)
def explain_pairs(
    q_indptr: np.ndarray,
    q_indices: np.ndarray,
    q_data: np.ndarray,
    d_indptr: np.ndarray,
    d_indices: np.ndarray,
    d_data: np.ndarray,
    pair_q: np.ndarray,
    pair_d: np.ndarray,
    n_terms: int,
) -> np.ndarray:
    """Term numbers (pairs x n_terms, -1 padded) of the largest products ``d_i * q_i`` (float32) over the terms that
    query row ``pair_q[p]`` and patent row ``pair_d[p]`` share, largest first, ties by the smaller term; only products
    > 0 count, and a patent row of -1 gives no terms. Both matrices are CSR with sorted indices: one merge of the two
    rows per pair, no dense block (:func:`matching.engine.explain.explain_pairs` is the caller and the numpy path)."""
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

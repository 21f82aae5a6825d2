"""The top-k result of a ranking (``TopK``) and the exact selection every ranking path ends with (score desc, then
the lower column), shared by :mod:`matching.engine.rank`, :mod:`matching.engine.merge` and the push list."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TopK"]


@dataclass(frozen=True)
class TopK:
    """``indices[i, j]`` is the j-th best match of source row ``i`` (-1 = none); ``scores`` alike (0 = none).

    ``semantic``: from :func:`rank_index` on an index with a semantic space, the semantic part (before its weight)
    of each fused score, as the ranking computed it; None otherwise."""

    indices: np.ndarray
    scores: np.ndarray
    semantic: np.ndarray | None = None

    def row(self, i: int) -> list[tuple[int, float]]:
        """Non-empty ``(index, score)`` pairs of source row ``i``, best first."""
        return [(int(j), float(s)) for j, s in zip(self.indices[i], self.scores[i], strict=True) if j >= 0]


def _kth_largest(block: np.ndarray, k: int, *, axis: int) -> np.ndarray:
    """k-th largest value along ``axis`` (0 where the axis is shorter than k: keep everything)."""
    n = block.shape[axis]
    if n <= k:
        return np.zeros(block.shape[1 - axis], dtype=block.dtype)
    return np.partition(block, n - k, axis=axis).take(n - k, axis=axis)


def _select(*, rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, n_rows: int, k: int) -> TopK:
    """Exact top-k per row from candidate triplets (score desc, then col asc)."""
    out = _empty(n_rows, k)
    if scores.size == 0:
        return out
    order = np.lexsort((cols, -scores.astype(np.float64), rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    starts = np.searchsorted(rows, np.arange(n_rows))
    rank = np.arange(rows.size) - starts[rows]
    keep = rank < k
    out.indices[rows[keep], rank[keep]] = cols[keep]
    out.scores[rows[keep], rank[keep]] = scores[keep]
    return out


def _empty(n_rows: int, k: int) -> TopK:
    return TopK(np.full((n_rows, k), -1, np.int32), np.zeros((n_rows, k), np.float32))


def _top_rows(block: np.ndarray, k: int, mask: np.ndarray) -> TopK:
    """Exact top-k of every row of a dense score block (the scipy path's selection)."""
    block[:, ~mask] = 0.0
    cand_r, cand_c = np.nonzero((block > 0) & (block >= _kth_largest(block, k, axis=1)[:, None]))
    return _select(rows=cand_r, cols=cand_c, scores=block[cand_r, cand_c], n_rows=block.shape[0], k=k)

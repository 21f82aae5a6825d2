"""Merging the top-k lists of disjoint parts of one index (a run sharded by patents) into one ranking over the
whole: :func:`top_k_merge`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .rank import TopK

__all__ = ["top_k_merge"]


def top_k_merge(*, parts: Sequence[TopK], k: int) -> tuple[TopK, np.ndarray]:
    """The best ``k`` of each query row over several top-k lists of the same queries whose indices are rows of one
    index (each list ranks a disjoint part of it, e.g. :func:`rank_index` on shards, indices shifted to the whole
    index's rows): higher score first, ties by the lower row — the order the kernels and the scipy path give over
    the whole index, so the merge of each part's top ``k`` is the whole index's top ``k`` (same rows, scores and
    semantic parts), whatever the parts.

    Returns the merged ranking and ``source``: for each merged slot, the column it came from in the parts'
    arrays concatenated along axis 1 (-1 for padding), to carry other per-candidate arrays along.
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    if not parts:
        raise ValueError("nothing to merge")
    indices = np.hstack([p.indices for p in parts]).astype(np.int64)
    scores = np.hstack([p.scores for p in parts]).astype(np.float32)
    semantic = None
    if all(p.semantic is not None for p in parts):
        semantic = np.hstack([p.semantic for p in parts]).astype(np.float32)  # type: ignore[misc]
    if indices.shape[1] < k:  # fewer candidates than k in all: pad with empty slots
        pad = ((0, 0), (0, k - indices.shape[1]))
        indices, scores = np.pad(indices, pad, constant_values=-1), np.pad(scores, pad)
        semantic = None if semantic is None else np.pad(semantic, pad)
    valid = indices >= 0
    # per row: valid entries first, then score descending, then row ascending (lexsort: the last key is the primary)
    order = np.lexsort((indices, -scores.astype(np.float64), ~valid), axis=1)[:, :k]
    kept = np.take_along_axis(valid, order, axis=1)
    source = np.where(kept, order, -1)
    merged_indices = np.where(kept, np.take_along_axis(indices, order, axis=1), -1).astype(np.int32)
    merged_scores = np.where(kept, np.take_along_axis(scores, order, axis=1), np.float32(0.0)).astype(np.float32)
    if semantic is not None:
        semantic = np.where(kept, np.take_along_axis(semantic, order, axis=1), np.float32(0.0)).astype(np.float32)
    return TopK(merged_indices, merged_scores, semantic), source

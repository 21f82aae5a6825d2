"""Compile (or load from ``NUMBA_CACHE_DIR``) every numba kernel of the engine before real work needs it.

A Celery worker process calls :func:`kernels_warm_up` when it starts (``patent_platform/celery.py``), so its first
chunk does not pay seconds of compilation. Without numba the calls run the numpy/scipy paths on a tiny index and cost
nothing worth mentioning.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .explain import explain_pairs
from .rank import rank_index, top_k_patents
from .vectorize import fit_index

__all__ = ["kernels_warm_up"]


def kernels_warm_up() -> None:
    """Compile (or load) the ranking, fused-ranking and pair-explaining kernels on a tiny index."""
    matrix = sp.csr_matrix(np.array([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]], dtype=np.float32))
    queries = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]], dtype=np.float32))
    top = top_k_patents(queries=queries, patents=matrix, k=2)
    explain_pairs(matrix=matrix, queries=queries, query_rows=np.zeros(2), patent_rows=top.indices[0], n_terms=2)
    index = fit_index(documents=["甲 乙", "乙 丙", "丙 丁"], patent_ids=["1", "2", "3"])  # with its semantic layer
    rank_index(index=index, queries=index.transform_queries(["乙"]), k=2)  # the fused kernel

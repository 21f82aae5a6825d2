"""Compile (or load from ``NUMBA_CACHE_DIR``) every numba kernel of the engine before real work needs it.

A Celery worker process calls :func:`kernels_warm_up` when it starts (``patent_platform/celery.py``), so its first
chunk does not pay seconds of compilation; ``manage.py warm_kernels`` calls it once when the platform is set up
(``make run``'s setup, the Docker image build), so the cache is filled before any process needs it. Without numba the
calls run the numpy/scipy paths on a tiny index and cost nothing worth mentioning.

The report says, per kernel, where the compiled code came from — numba's own counters
(``Dispatcher.stats.cache_hits`` / ``cache_misses``): ``"cache"`` (loaded from ``NUMBA_CACHE_DIR``), ``"compiled"``
(compiled now, and saved there when the directory is writable) or ``"memory"`` (already loaded in this process).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp

from .backend import available_rank_backend
from .explain import explain_pairs
from .rank import rank_index, top_k_patents
from .vectorize import fit_index

__all__ = ["KERNELS", "KernelSource", "kernels_warm_up"]

KernelSource = Literal["cache", "compiled", "memory"]

# The kernels real work launches (the helpers they call are compiled into them and cached with them).
KERNELS = ("top_k_both", "top_k_rows_fused", "explain_pairs")


def kernels_warm_up() -> dict[str, KernelSource]:
    """Compile (or load) the ranking, fused-ranking and pair-explaining kernels on a tiny index, with the argument
    types a run passes; returns where each kernel came from (empty without numba)."""
    before = _counters()
    matrix = sp.csr_matrix(np.array([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]], dtype=np.float32))
    queries = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]], dtype=np.float32))
    top = top_k_patents(queries=queries, patents=matrix, k=2)
    explain_pairs(matrix=matrix, queries=queries, query_rows=np.zeros(2), patent_rows=top.indices[0], n_terms=2)
    index = fit_index(documents=["甲 乙", "乙 丙", "丙 丁"], patent_ids=["1", "2", "3"])  # with its semantic layer
    rank_index(index=index, queries=index.transform_queries(["乙"]), k=2)  # the fused kernel
    after = _counters()
    report: dict[str, KernelSource] = {}
    for name, (hits, misses) in after.items():
        was_hits, was_misses = before.get(name, (0, 0))
        report[name] = "compiled" if misses > was_misses else "cache" if hits > was_hits else "memory"
    return report


def _counters() -> dict[str, tuple[int, int]]:
    """(cache hits, cache misses) of each kernel so far in this process; {} without numba."""
    if available_rank_backend() != "numba":
        return {}
    from . import _kernels  # deferred: importing it imports numba, which is optional

    out = {}
    for name in KERNELS:
        stats = getattr(_kernels, name).stats
        out[name] = (sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
    return out

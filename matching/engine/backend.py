"""Which backend runs the engine's hot loops, and how a compiled kernel is called.

numba is optional. When it is installed, the compiled kernels of :mod:`matching.engine._kernels` rank
(:mod:`matching.engine.rank`) and explain pairs (:func:`matching.engine.explain.explain_pairs`); without it, numpy and
scipy give the same results, more slowly. Nothing but ``_kernels`` imports numba at module level: this module and
its callers import it inside the function that launches a kernel, so the engine imports (and works) without it.

``backend="auto"`` everywhere means "numba when it can be imported, else scipy"; ``"numba"`` or ``"scipy"`` force
one (the backend identity tests run both).

:func:`blas_single_thread` runs a small BLAS product (one search, one need) on one thread: OpenBLAS spreads even a
1 x 100 by 100 x 45,000 product over every core, and on a machine busy with other work its threads wait for each
other — 0.3 ms at the median, 12-28 ms at the 95th percentile here; on one thread, 0.5 ms at p95. Results are the
same bits (each output element is summed in the same order whatever the number of threads).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

__all__ = ["RankBackend", "available_rank_backend", "blas_single_thread", "chosen_backend", "kernel_workers"]

RankBackend = Literal["auto", "numba", "scipy"]

# numba's default "workqueue" threading layer aborts the process when two Python threads launch parallel kernels at
# once (threaded servers, a run in a server thread beside the requests): every parallel kernel call holds this lock.
_KERNEL_LOCK = threading.Lock()

# blas_single_thread: the BLAS libraries' thread counts are process-wide; the first block to enter saves and lowers
# them, the last to leave restores them (threads of one server may enter at once)
_BLAS_LOCK = threading.Lock()
_blas_state: dict[str, Any] = {"users": 0, "libraries": None, "saved": []}


def available_rank_backend() -> str:
    """``"numba"`` when the compiled kernels can be imported, else ``"scipy"``."""
    try:
        from . import _kernels  # noqa: F401  # deferred: importing it imports numba, which is optional
    except ImportError:
        return "scipy"
    return "numba"


def chosen_backend(backend: RankBackend) -> str:
    """The backend a call with ``backend`` uses (``"auto"``: :func:`available_rank_backend`)."""
    return available_rank_backend() if backend == "auto" else backend


@contextmanager
def kernel_workers(threads: int | None = None) -> Iterator[int]:
    """Launch one parallel kernel inside this block: it holds the kernel lock and sets numba's thread count to
    ``threads`` (None: all of numba's threads, capped there); yields that count (the kernels' ``n_workers``)."""
    import numba  # deferred: numba is optional (scipy fallback); its JIT loads on first use

    max_threads = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]  # numba.config sets it at import
    n_workers = max(1, min(threads or max_threads, max_threads))
    with _KERNEL_LOCK:
        numba.set_num_threads(n_workers)
        yield n_workers


@contextmanager
def blas_single_thread() -> Iterator[None]:
    """Inside this block the BLAS libraries numpy and scipy call run on one thread (for small products: see the
    module docstring); their thread counts are restored when the last block running in the process leaves."""
    with _BLAS_LOCK:
        if _blas_state["libraries"] is None:
            from threadpoolctl import ThreadpoolController  # deferred: scans the loaded libraries once

            _blas_state["libraries"] = ThreadpoolController().select(user_api="blas").lib_controllers
        if _blas_state["users"] == 0:
            _blas_state["saved"] = [library.get_num_threads() for library in _blas_state["libraries"]]
            for library in _blas_state["libraries"]:
                library.set_num_threads(1)
        _blas_state["users"] += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _blas_state["users"] -= 1
            if _blas_state["users"] == 0:
                for library, threads in zip(_blas_state["libraries"], _blas_state["saved"], strict=True):
                    library.set_num_threads(threads)

"""Which backend runs the engine's hot loops, and how a compiled kernel is called.

numba is optional. When it is installed, the compiled kernels of :mod:`matching.engine._kernels` rank
(:mod:`matching.engine.rank`) and explain pairs (:func:`matching.engine.explain.explain_pairs`); without it, numpy and
scipy give the same results, more slowly. Nothing but ``_kernels`` imports numba at module level: this module and
its callers import it inside the function that launches a kernel, so the engine imports (and works) without it.

``backend="auto"`` everywhere means "numba when it can be imported, else scipy"; ``"numba"`` or ``"scipy"`` force
one (the backend identity tests run both).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

__all__ = ["RankBackend", "available_rank_backend", "chosen_backend", "kernel_workers"]

RankBackend = Literal["auto", "numba", "scipy"]

# numba's default "workqueue" threading layer aborts the process when two Python threads launch parallel kernels at
# once (threaded servers, a run in a server thread beside the requests): every parallel kernel call holds this lock.
_KERNEL_LOCK = threading.Lock()


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

"""In-process background work for the embedded configuration (no broker, CELERY_TASK_ALWAYS_EAGER): `make run`
must not run a half-minute job inside the request that asked for it, and it has no worker to send it to.

One daemon thread per key (one full matching run at a time): the work opens its own database connection (Django's
connections are per thread) and closes it when done, so SQLite sees one writer that lets go of its file. A crash
calls `on_crash` (the owner marks its work failed) instead of leaving the work "running"; a process that stops
mid-work leaves it to the owner's orphan check (`local_busy` tells a live thread from a dead process).
With a broker none of this is used: the work goes to the Celery workers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import connections, transaction

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_threads: dict[str, threading.Thread] = {}


def local_busy(*, key: str) -> bool:
    """True while work under `key` runs in a thread of this process."""
    with _lock:
        thread = _threads.get(key)
        return thread is not None and thread.is_alive()


def _run(work: Callable[[], object], on_crash: Callable[[str], None]) -> None:
    try:
        work()
    except Exception as exc:  # the thread's last line: whatever the work raised, its owner hears
        logger.exception("local background work failed")
        try:
            on_crash(f"{type(exc).__name__}: {exc}")
        except Exception:  # the database itself may be what failed; the log has it
            logger.exception("could not record the failure")
    finally:
        connections.close_all()  # this thread's connections only


def local_submit(*, key: str, work: Callable[[], object], on_crash: Callable[[str], None]) -> bool:
    """Start `work` in a background thread after the surrounding transaction commits (the rows it reads are then
    visible to its own connection). False, and nothing started, when work under `key` is still running."""
    if local_busy(key=key):
        return False

    def start() -> None:
        with _lock:
            running = _threads.get(key)
            if running is not None and running.is_alive():
                return
            thread = threading.Thread(target=_run, args=(work, on_crash), name=f"local-{key}", daemon=True)
            _threads[key] = thread
            thread.start()

    transaction.on_commit(start)
    return True


def local_wait(*, key: str, timeout: float | None = None) -> None:
    """Wait for the work under `key` to finish (tests, a server shutting down)."""
    with _lock:
        thread = _threads.get(key)
    if thread is not None:
        thread.join(timeout)

"""Celery application; tasks are discovered from every installed app's tasks.py."""

import logging
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init, worker_ready

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")

app = Celery("patent_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _recover_after_a_crash(sender=None, **kwargs) -> None:  # noqa: ANN001 - Celery signal signature
    """A starting worker re-queues what a killed one held, instead of waiting for the broker's visibility timeout."""
    # deferred: this module is imported by patent_platform/__init__.py before Django's apps are loaded
    from django.db import DatabaseError

    from core.jobs import stalled_work_redispatch  # deferred: as above

    try:
        logger.info("recovery: re-sent %s", stalled_work_redispatch(seconds=None))
    except DatabaseError as exc:  # a worker must still start when the database is briefly unavailable
        logger.warning("recovery skipped: %s", exc)


def kernel_threads(*, cores: int, concurrency: int) -> int:
    """Threads each pool process ranks on: the worker's cores shared by its processes, at least one."""
    return max(1, cores // max(1, concurrency))


@worker_init.connect
def _kernel_threads_per_process(sender=None, **kwargs) -> None:  # noqa: ANN001 - Celery signal signature
    """The pool processes of one worker share its cores: each ranks on cores / concurrency threads (numba's kernels
    and BLAS), instead of every process spreading over every core and the processes fighting for them. The cores
    are those this worker may run on (taskset, a container's cpuset). NUMBA_NUM_THREADS set by hand wins; empty
    (as docker-compose passes an unset variable) is unset."""
    concurrency = getattr(sender, "concurrency", None)
    if not isinstance(concurrency, int) or os.environ.get("NUMBA_NUM_THREADS", "").strip():
        return
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # read by numba when a pool process first imports it (after the fork); BLAS below, in each process
    os.environ["NUMBA_NUM_THREADS"] = str(kernel_threads(cores=cores, concurrency=concurrency))


@worker_process_init.connect
def _matching_kernels_warm_up(**kwargs) -> None:
    """Each worker process limits BLAS to its share of the cores (numpy was loaded before the fork, with every core),
    then compiles (or loads from NUMBA_CACHE_DIR) the matching kernels before its first chunk."""
    threads = os.environ.get("NUMBA_NUM_THREADS")
    if threads and not {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"} & set(os.environ):
        from threadpoolctl import threadpool_limits  # deferred: only pool processes limit their BLAS

        threadpool_limits(limits=int(threads), user_api="blas")
    from matching.engine import kernels_warm_up  # deferred: Django's apps are loaded only in the worker process

    kernels_warm_up()

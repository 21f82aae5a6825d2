"""Each pool process of a Celery worker ranks on its share of the worker's cores (patent_platform/celery.py)."""

import os
from types import SimpleNamespace

import pytest

from patent_platform import celery as platform_celery


@pytest.mark.parametrize(
    ("cores", "concurrency", "threads"), [(8, 2, 4), (8, 3, 2), (2, 2, 1), (1, 4, 1), (4, 0, 4)], ids=str
)
def test_each_process_gets_the_cores_divided_by_the_concurrency(cores, concurrency, threads):
    # when / then
    assert platform_celery.kernel_threads(cores=cores, concurrency=concurrency) == threads


@pytest.mark.parametrize("unset", [None, "", " "], ids=["absent", "empty", "blank"])
def test_the_worker_start_up_sets_numba_threads_from_the_cores_it_may_run_on(monkeypatch, unset):
    # given: a worker allowed on 6 cores (taskset, a container's cpuset) with 3 pool processes; the variable absent
    # or empty (docker-compose passes an unset variable as empty)
    if unset is None:
        monkeypatch.delenv("NUMBA_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("NUMBA_NUM_THREADS", unset)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5}, raising=False)
    # when
    platform_celery._kernel_threads_per_process(sender=SimpleNamespace(concurrency=3))
    # then
    assert os.environ["NUMBA_NUM_THREADS"] == "2"


def test_numba_threads_set_by_hand_win(monkeypatch):
    # given
    monkeypatch.setenv("NUMBA_NUM_THREADS", "5")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    # when
    platform_celery._kernel_threads_per_process(sender=SimpleNamespace(concurrency=2))
    # then
    assert os.environ["NUMBA_NUM_THREADS"] == "5"

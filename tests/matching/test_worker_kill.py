"""A Celery worker killed with SIGKILL in the middle of a matching run: a new worker finishes the run, and the
recommendations are exactly those of an undisturbed run — nothing lost, nothing duplicated. Real PostgreSQL,
Redis and worker processes (CI); skipped locally without them (failing under REQUIRE_SERVICES=1)."""

import os
import signal

import pytest
from django.db import connection

from matching.models import MatchChunk, MatchRun
from matching.runs.inline import match_run_execute_inline
from tests.conftest import service_missing
from tests.matching.live import CHUNKS, corpus_load, run_rows, wait_for, worker_start, worker_stop

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_sigkill_mid_run_loses_and_duplicates_nothing(institution, wuhan, settings, tmp_path):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        service_missing("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    # given: 120 real patents and 30 enterprises with real business scopes
    corpus_load(institution=institution, wuhan=wuhan, number_prefix="2021101", name_prefix="湖北测试企业")
    settings.MATCHING_ENTERPRISE_CHUNK = int(CHUNKS["PLATFORM_MATCHING_ENTERPRISE_CHUNK"])
    undisturbed = match_run_execute_inline(run=MatchRun.objects.create())
    expected = run_rows(undisturbed)
    assert undisturbed.status == "done"
    assert len(expected) > 0

    from matching.tasks import match_run_prepare_task
    from patent_platform.celery import app

    app.conf.task_always_eager = False
    first = worker_start("kill-a", tmp_path / "a.log")
    second = None
    try:
        run = MatchRun.objects.create()
        match_run_prepare_task.delay(run.pk)
        wait_for(lambda: MatchChunk.objects.filter(run=run, done=True).count() >= 3, 120, "three finished chunks")
        # when: the worker dies mid-run, no chance to acknowledge or clean up
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at_done = MatchChunk.objects.filter(run=run, done=True).count()
        total = MatchChunk.objects.filter(run=run).count()
        assert killed_at_done < total, "the run finished before the kill; make chunks smaller"
        second = worker_start("kill-b", tmp_path / "b.log")
        recovery = wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == "done", 120, "the run to complete")
    finally:
        app.conf.task_always_eager = True
        for proc in (first, second):
            worker_stop(proc)
    # then
    run.refresh_from_db()
    got = run_rows(run)
    assert got == expected
    assert len(got) == len(set(got))
    assert run.is_current
    assert recovery < 60, f"recovery took {recovery:.1f}s"
    print(f"killed after {killed_at_done}/{total} chunks; completed {recovery:.1f}s after the new worker started")

"""A Celery worker killed with SIGKILL in the middle of a matching run: a new worker finishes the run, and the
recommendations are exactly those of an undisturbed run — nothing lost, nothing duplicated. Real PostgreSQL,
Redis and worker processes (CI); skipped locally without them (failing under REQUIRE_SERVICES=1)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from enterprises.models import Enterprise
from matching.models import MatchChunk, MatchRun, Recommendation
from matching.services import match_run_execute_inline
from tests.conftest import _kppatents, service_missing

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)
CHUNKS = {"PLATFORM_MATCHING_ENTERPRISE_CHUNK": "2"}
# Short limits so an unacknowledged chunk is redelivered in seconds (visibility timeout > time limit, as required).
LIMITS = {"CELERY_TASK_TIME_LIMIT": "12", "CELERY_TASK_SOFT_TIME_LIMIT": "10", "CELERY_VISIBILITY_TIMEOUT": "15"}


def _worker(name: str, log: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        **CHUNKS,
        **LIMITS,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "patent_platform.settings.test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "patent_platform",
            "worker",
            "-Q",
            "matching",
            "-c",
            "1",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"{name}@%h",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _rows(run: MatchRun) -> list[tuple]:
    return sorted(Recommendation.objects.filter(run=run).values_list("direction", "enterprise_id", "patent_id", "rank"))


def _wait(predicate, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def test_sigkill_mid_run_loses_and_duplicates_nothing(institution, wuhan, settings, tmp_path):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        service_missing("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    # given: 120 real patents and 30 enterprises with real business scopes
    from patents.models import Patent

    for i, row in enumerate(_kppatents(120)):
        Patent.objects.create(
            application_number=f"2021101{i:05d}.{i % 10}",
            title=row["title"],
            abstract=row["abstract"],
            claims=row["claims"][:3000],
            patent_type="invention",
            institution=institution,
            inventory_status="pooled",
            legal_status="valid",
        )
    for i, row in enumerate(_kppatents(120)[::4]):
        Enterprise.objects.create(
            name=f"湖北测试企业{i}",
            uscc=f"91420100MA4K{i:05d}Y"[:18],
            city=wuhan,
            business_scope="；".join(row["keyphrases"].split(",")),
        )
    settings.MATCHING_ENTERPRISE_CHUNK = int(CHUNKS["PLATFORM_MATCHING_ENTERPRISE_CHUNK"])
    undisturbed = match_run_execute_inline(run=MatchRun.objects.create())
    expected = _rows(undisturbed)
    assert undisturbed.status == "done"
    assert len(expected) > 0

    from matching.tasks import match_run_prepare_task
    from patent_platform.celery import app

    app.conf.task_always_eager = False
    first = _worker("kill-a", tmp_path / "a.log")
    second = None
    try:
        run = MatchRun.objects.create()
        match_run_prepare_task.delay(run.pk)
        _wait(lambda: MatchChunk.objects.filter(run=run, done=True).count() >= 3, 120, "three finished chunks")
        # when: the worker dies mid-run, no chance to acknowledge or clean up
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at_done = MatchChunk.objects.filter(run=run, done=True).count()
        total = MatchChunk.objects.filter(run=run).count()
        assert killed_at_done < total, "the run finished before the kill; make chunks smaller"
        second = _worker("kill-b", tmp_path / "b.log")
        recovery = _wait(lambda: MatchRun.objects.get(pk=run.pk).status == "done", 120, "the run to complete")
    finally:
        app.conf.task_always_eager = True
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
    # then
    run.refresh_from_db()
    got = _rows(run)
    assert got == expected
    assert len(got) == len(set(got))
    assert run.is_current
    assert recovery < 60, f"recovery took {recovery:.1f}s"
    print(f"killed after {killed_at_done}/{total} chunks; completed {recovery:.1f}s after the new worker started")

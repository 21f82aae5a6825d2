"""Redis restarted in the middle of a matching run, without persistence (every queued message is lost, as with the
CI Redis): while it is down the web serves pages and answers broker actions with "try again"; once it is back the
stalled-work sweep re-sends the lost chunks and the run completes with exactly the rows of an undisturbed run.

Real PostgreSQL, Redis and worker processes (CI). It stops and restarts the Redis of REDIS_URL, so it only runs
against a Redis on this machine (127.0.0.1 / localhost) with redis-server and redis-cli on the PATH.
"""

import os
import shutil
import subprocess
import time
import urllib.parse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core.jobs import stalled_work_redispatch
from matching.models import MatchChunk, MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent
from tests.conftest import service_missing
from tests.matching.live import (
    CHUNKS,
    broker_connections_reset,
    corpus_load,
    run_rows,
    wait_for,
    worker_start,
    worker_stop,
)
from tests.security import corpus

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _local_redis() -> tuple[str, int]:
    url = urllib.parse.urlparse(os.environ.get("REDIS_URL", ""))
    if not url.hostname or connection.vendor != "postgresql":
        service_missing("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    if url.hostname not in ("127.0.0.1", "localhost") or not (
        shutil.which("redis-server") and shutil.which("redis-cli")
    ):
        service_missing("restarting Redis needs a local redis-server and redis-cli")
    return url.hostname, url.port or 6379


def _redis_cli(host: str, port: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["redis-cli", "-h", host, "-p", str(port), *args], capture_output=True, text=True, timeout=10)


def _redis_start(host: str, port: int) -> None:
    subprocess.run(
        ["redis-server", "--bind", host, "--port", str(port), "--daemonize", "yes", "--save", "", "--appendonly", "no"],
        check=True,
        timeout=10,
    )
    wait_for(lambda: _redis_cli(host, port, "ping").stdout.strip() == "PONG", 15, "Redis to answer again")


def test_redis_restart_mid_run_the_run_completes_and_the_web_says_try_again(
    institution, wuhan, settings, tmp_path, client, client_for, platform_admin, officer
):
    host, port = _local_redis()
    # given: 120 real patents, 30 enterprises with real business scopes, small chunks
    corpus_load(institution=institution, wuhan=wuhan, number_prefix="2021102", name_prefix="湖北重启测试企业")
    settings.MATCHING_ENTERPRISE_CHUNK = int(CHUNKS["PLATFORM_MATCHING_ENTERPRISE_CHUNK"])
    expected = run_rows(match_run_execute_inline(run=MatchRun.objects.create()))
    assert expected

    from matching.tasks import match_run_prepare_task
    from patent_platform.celery import app

    app.conf.task_always_eager = False
    worker = worker_start("restart-a", tmp_path / "worker.log")
    redis_down = False
    try:
        run = MatchRun.objects.create()
        match_run_prepare_task.delay(run.pk)
        wait_for(lambda: MatchChunk.objects.filter(run=run, done=True).count() >= 2, 120, "two finished chunks")
        # when: Redis stops without saving (the queued chunks and the unacknowledged ones are gone)
        _redis_cli(host, port, "shutdown", "nosave")
        redis_down = True
        wait_for(lambda: _redis_cli(host, port, "ping").returncode != 0, 15, "Redis to stop")
        total = MatchChunk.objects.filter(run=run).count()
        assert MatchChunk.objects.filter(run=run, done=True).count() < total, "the run finished first; smaller chunks"
        # the web meanwhile: pages answer, an action that needs the broker says "try again" (no 500)
        client.force_login(platform_admin)
        for path in (reverse("healthz"), reverse("home"), reverse("matching:runs"), reverse("dashboards:dashboard")):
            assert client.get(path).status_code == 200, path
        # a second run is refused while this one is active (one run at a time), without recording anything
        runs_before = MatchRun.objects.count()
        busy = client_for(platform_admin).post(reverse("matching-api:match-runs"), {}, format="json")
        assert busy.status_code == 409, busy.content[:300]
        assert busy.json()["error"]["code"] == "conflict"
        assert MatchRun.objects.count() == runs_before
        # an upload needs the broker: "try again", and nothing is written
        patents_before = Patent.objects.count()
        refused = client_for(officer).post(
            reverse("patents-api:patent-import"),
            {"file": SimpleUploadedFile("inventory.csv", corpus.valid_patent_csv())},
            format="multipart",
        )
        assert refused.status_code == 503, refused.content[:300]
        assert refused.json()["error"]["code"] == "try_again"
        assert Patent.objects.count() == patents_before
        # Redis comes back, empty
        _redis_start(host, port)
        redis_down = False
        restarted = time.monotonic()

        # then: the sweep (beat, every minute in production; here every second with a 3 s stall) re-sends the chunks
        def swept_and_done() -> bool:
            stalled_work_redispatch(seconds=3)
            return MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE

        wait_for(swept_and_done, 120, "the run to complete after the restart")
        recovery = time.monotonic() - restarted
    finally:
        if redis_down:
            _redis_start(host, port)
        app.conf.task_always_eager = True
        # the test process's broker connections predate the restart: drop them so later tests start clean
        broker_connections_reset()
        worker_stop(worker)
    run.refresh_from_db()
    got = run_rows(run)
    assert got == expected
    assert len(got) == len(set(got))
    assert run.is_current
    assert recovery < 60, f"recovery took {recovery:.1f}s"
    print(f"Redis restarted after {total} chunks were defined; run complete {recovery:.1f}s after Redis was back")

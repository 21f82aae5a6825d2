"""Helpers of the tests that run real Celery workers against real PostgreSQL and Redis (worker kill, Redis restart):
a worker process on the matching queue, the run's rows, waiting, and a small real corpus with chunks of two."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from enterprises.models import Enterprise
from matching.models import MatchRun, Recommendation
from patents.models import Patent
from tests.conftest import _kppatents

ROOT = Path(settings.BASE_DIR)
CHUNKS = {"PLATFORM_MATCHING_ENTERPRISE_CHUNK": "2"}
# Short limits so an unacknowledged chunk is redelivered in seconds (visibility timeout > time limit, as required).
LIMITS = {"CELERY_TASK_TIME_LIMIT": "12", "CELERY_TASK_SOFT_TIME_LIMIT": "10", "CELERY_VISIBILITY_TIMEOUT": "15"}


def worker_start(name: str, log: Path) -> subprocess.Popen:
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


def worker_stop(worker: subprocess.Popen | None, grace: float = 20) -> None:
    """Stop a worker started by worker_start: warm shutdown (SIGTERM), then SIGKILL if a task keeps it past `grace`
    seconds (a chunk waiting on a broker that went away can hold a warm shutdown for minutes)."""
    if worker is None or worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def broker_connections_reset() -> None:
    """Drop this process's pooled broker connections (they predate a Redis restart and would fail on first use);
    the next publish opens fresh ones."""
    import kombu.pools

    from patent_platform.celery import app

    kombu.pools.reset()  # closes every pooled connection and forgets the pools, so new ones are made on demand
    app._pool = None
    app.amqp._producer_pool = None


def run_rows(run: MatchRun) -> list[tuple]:
    return sorted(Recommendation.objects.filter(run=run).values_list("enterprise_id", "patent_id", "rank"))


def wait_for(predicate, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def corpus_load(*, institution, wuhan, number_prefix: str, name_prefix: str) -> None:
    """120 real pooled patents and 30 enterprises whose business scopes are real keyphrases."""
    for i, row in enumerate(_kppatents(120)):
        Patent.objects.create(
            application_number=f"{number_prefix}{i:05d}.{i % 10}",
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
            name=f"{name_prefix}{i}",
            uscc=f"91420100MA4K{i:05d}Y"[:18],
            city=wuhan,
            business_scope="；".join(row["keyphrases"].split(",")),
        )

"""Faults: the database going away mid-import, a task delivered twice, the broker down.

The database and duplicate-delivery-through-a-broker tests need real PostgreSQL and Redis (skipped locally without
them, failing under REQUIRE_SERVICES=1); the broker-down test points Celery at a closed port and runs everywhere.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from enterprises.models import Enterprise
from imports.models import ImportJob
from imports.selectors import import_context_for
from imports.services import import_job_create, import_job_execute
from matching.models import MatchRun
from patents.importers import PatentImportSchema
from patents.models import Patent
from tests.conftest import service_missing
from tests.security import corpus

ROOT = Path(settings.BASE_DIR)
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # port 1 (tcpmux): nothing listens there on our machines


def _needs_postgresql_and_redis() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        service_missing("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")


def _subprocess_env() -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "patent_platform.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "False",
    }


# --- (a) the database goes away in the middle of the write --------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_database_connection_killed_mid_import_rolls_back_everything(institution, tmp_path):
    _needs_postgresql_and_redis()
    # given: a file large enough that its single write transaction lasts a while
    path = tmp_path / "big.csv"
    path.write_bytes(corpus.large_patent_csv(12_000, abstract_chars=300))
    env = {**_subprocess_env(), "PGAPPNAME": "security-fault-import"}
    # when: the import runs in its own process and we terminate its backend once it is inserting patents
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "import_patents", str(path), "--institution", institution.moe_code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    terminated = False
    try:
        started = time.monotonic()
        while time.monotonic() - started < 120 and proc.poll() is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s "
                    "AND backend_xid IS NOT NULL AND query ILIKE %s",
                    ["security-fault-import", '%INTO "patents_patent"%'],
                )
                terminated = any(row[0] for row in cursor.fetchall())
            if terminated:
                break
            time.sleep(0.02)
        output = proc.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    # then: the import failed, nothing of it is in the database, and the job is not reported done
    assert terminated, f"never caught the import writing; output:\n{output[-2000:]}"
    assert proc.returncode != 0, output[-2000:]
    assert Patent.objects.count() == 0
    assert not ImportJob.objects.filter(status=ImportJob.Status.DONE).exists()
    assert ImportJob.objects.filter(created_count__gt=0).count() == 0


# --- (b) the same import task delivered twice ---------------------------------------------------------------------


def _job(*, institution, content: bytes, name: str = "inventory.csv") -> ImportJob:
    job = import_job_create(
        kind=ImportJob.Kind.PATENTS, user=None, content=content, filename=name, institution=institution
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    job.refresh_from_db()
    return job


def _snapshot() -> list[tuple]:
    return list(Patent.objects.order_by("application_number").values_list("application_number", "title", "updated_at"))


@pytest.mark.django_db
def test_import_task_delivered_twice_changes_nothing_the_second_time(institution):
    from imports.tasks import import_job_run_task

    # given
    job = _job(institution=institution, content=corpus.large_patent_csv(300, abstract_chars=50))
    # when: the broker delivers the task twice (acks_late redelivery)
    import_job_run_task(job.pk)
    first = _snapshot()
    import_job_run_task(job.pk)
    # then
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 300)
    assert _snapshot() == first
    assert Patent.objects.count() == 300


@pytest.mark.django_db
def test_a_redelivered_job_whose_first_run_committed_is_an_idempotent_upsert(institution):
    # given: the first delivery wrote everything but the worker died before recording the job as finished
    content = corpus.large_patent_csv(300, abstract_chars=50)
    first_job = _job(institution=institution, content=content)
    import_job_execute(job=first_job, schema=PatentImportSchema(), context=import_context_for(job=first_job))
    before = _snapshot()
    ImportJob.objects.filter(pk=first_job.pk).update(status=ImportJob.Status.RUNNING, finished_at=None)
    # when: the redelivered task runs the job again
    from imports.tasks import import_job_run_task

    import_job_run_task(first_job.pk)
    # then: every row is recognised as unchanged; nothing is duplicated or touched
    first_job.refresh_from_db()
    assert (first_job.status, first_job.created_count, first_job.updated_count) == ("done", 0, 0)
    assert first_job.unchanged_count == 300
    assert _snapshot() == before


def _worker(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "patent_platform", "worker", "-Q", "celery", "-c", "1"]
        + ["--without-mingle", "--without-gossip", "-n", "security-dup@%h", "--loglevel=INFO"],
        cwd=ROOT,
        env=_subprocess_env(),
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_import_task_sent_twice_through_the_broker_writes_once(institution, tmp_path):
    _needs_postgresql_and_redis()
    from imports.tasks import import_job_run_task
    from patent_platform.celery import app

    job = _job(institution=institution, content=corpus.large_patent_csv(500, abstract_chars=50))
    app.conf.task_always_eager = False
    worker = None
    try:
        if not app.control.inspect(timeout=3).ping():
            worker = _worker(tmp_path)  # CI has its own worker on this queue; locally start one
        # when: the same task is sent twice, back to back
        results = [import_job_run_task.apply_async(args=[job.pk]) for _ in range(2)]
        for result in results:
            result.get(timeout=120)
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    # then: one write of 500 rows, whichever delivery did it
    job.refresh_from_db()
    assert job.status == "done"
    assert Patent.objects.count() == 500
    assert Patent.objects.values("application_number").distinct().count() == 500


# --- (c) the broker is down ---------------------------------------------------------------------------------------


@pytest.fixture
def broker_down(settings):
    """Celery really publishing (not eager) to a port where nothing listens; restored afterwards."""
    from patent_platform.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool)
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    app.conf.broker_url = CLOSED_PORT_BROKER
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool = saved


def _assert_try_again(response) -> None:
    assert response.status_code == 503, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "try_again"
    assert "请稍后重试" in body["error"]["message"]
    assert "try again" in body["error"]["message"]


# transaction=True: as in production (no ATOMIC_REQUESTS) the request is not inside a transaction, so the task is
# sent at once, not deferred to an on_commit that a test transaction would never run.
@pytest.mark.django_db(transaction=True)
def test_broker_down_upload_answers_503_try_again_and_pages_still_answer(
    broker_down, client, client_for, officer, bureau, platform_admin
):
    # when: an officer uploads, a bureau imports enterprises, an admin starts a matching run
    started = time.monotonic()
    patent_upload = client_for(officer).post(
        reverse("patents-api:patent-import"),
        {"file": SimpleUploadedFile("inventory.csv", corpus.valid_patent_csv())},
        format="multipart",
    )
    enterprise_csv = corpus.csv_text(corpus.ENTERPRISE_HEADERS, [["测试企业", corpus.VALID_USCC[0], "", "武汉"]])
    enterprise_upload = client_for(bureau).post(
        "/api/v1/enterprises/imports/",
        {"file": SimpleUploadedFile("enterprises.csv", enterprise_csv.encode())},
        format="multipart",
    )
    match_run = client_for(platform_admin).post(reverse("matching-api:match-runs"), {}, format="json")
    elapsed = time.monotonic() - started
    # then: "try again" in the platform's error format, quickly, and nothing written
    for response in (patent_upload, enterprise_upload, match_run):
        _assert_try_again(response)
    assert elapsed < 30
    assert Patent.objects.count() == 0
    assert Enterprise.objects.count() == 0
    # the refused run is marked failed with its reason, so no later sweep starts it behind the admin's back
    assert list(MatchRun.objects.values_list("status", flat=True)) == ["failed"]
    assert "unavailable" in MatchRun.objects.get().error
    # and: pages that do not need the broker still answer
    assert client.get("/").status_code in (200, 302)
    client.force_login(officer)
    for path in ("/", reverse("patents:list"), reverse("patents:inventory"), "/healthz"):
        assert client.get(path).status_code == 200, path

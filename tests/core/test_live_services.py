"""Real PostgreSQL, Redis and a Celery worker (CI starts them; REQUIRE_SERVICES=1 turns a skip into a failure)."""

import os
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import service_missing

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_database_is_postgresql_when_configured():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        service_missing("DATABASE_URL does not point at PostgreSQL")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 120000


def test_redis_answers():
    url = os.environ.get("REDIS_URL")
    if not url:
        service_missing("REDIS_URL is not set")
    import redis

    client = redis.Redis.from_url(url)
    key = f"test:{uuid.uuid4()}"
    client.set(key, "专利", ex=30)
    assert client.get(key).decode() == "专利"


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_and_returns_its_result():
    if not os.environ.get("REDIS_URL"):
        service_missing("REDIS_URL is not set: no broker, no worker")
    from core.tasks import health_ping_task
    from patent_platform.celery import app

    # given: a broker round-trip, not the eager in-process path the rest of the suite uses
    app.conf.task_always_eager = False
    token = str(uuid.uuid4())
    try:
        inspector = app.control.inspect(timeout=5)
        if not inspector.ping():
            service_missing("no Celery worker answers on the broker")
        # when
        result = health_ping_task.apply_async(args=[token])
        payload = result.get(timeout=60)
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    # then: the worker echoed our token and read the same database (31 provinces from the migration)
    assert payload["token"] == token
    assert payload["provinces"] == 31

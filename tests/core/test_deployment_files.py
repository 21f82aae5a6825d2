"""docker-compose.yml and .ci/run agree with the settings (no Docker engine here, so parse, don't run)."""

from pathlib import Path

import environ
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_every_service_with_a_healthcheck():
    services = _compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "matching-worker"}
    for name in ("postgres", "redis", "web", "worker", "matching-worker"):
        assert "healthcheck" in services[name], name


def test_a_second_host_runs_only_a_matching_worker_on_the_main_hosts_services():
    compose = _compose()
    remote = compose["services"]["matching-worker"]
    # then: started only with its profile, needing no local database or Redis, on the matching queue alone
    assert remote["profiles"] == ["worker-host"]
    assert "depends_on" not in remote
    assert "-Q matching " in remote["command"]
    assert "--concurrency=${WORKER_CONCURRENCY:-2}" in remote["command"]
    assert remote["environment"] == compose["x-app-env"]
    assert remote["env_file"] == compose["x-app"]["env_file"] == [{"path": "./platform.env", "required": False}]
    # the main host's database and Redis are reachable from it once published on a private address
    for name, port in (("postgres", 5432), ("redis", 6379)):
        assert compose["services"][name]["ports"] == [f"${{PLATFORM_PRIVATE_ADDRESS:-127.0.0.1}}:{port}:{port}"]
    shared = compose["x-app-env"]
    assert "@${PLATFORM_DB_HOST:-postgres}:5432/" in shared["DATABASE_URL"]
    assert shared["REDIS_URL"] == "redis://${PLATFORM_REDIS_HOST:-redis}:6379/0"
    # and the run's files come from the bucket the environment names (settings.base.artifacts_storage)
    assert shared["PLATFORM_ARTIFACTS_S3_BUCKET"] == "${PLATFORM_ARTIFACTS_S3_BUCKET:-}"
    assert shared["PLATFORM_ARTIFACTS_ROOT"] == "${PLATFORM_ARTIFACTS_ROOT:-}"  # or a directory every host mounts
    # each pool process's kernel threads: cores / concurrency unless set (empty counts as unset: celery.py)
    assert shared["NUMBA_NUM_THREADS"] == "${NUMBA_NUM_THREADS:-}"


def test_the_image_and_make_run_warm_the_kernels_before_anything_ranks():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    # then: the image compiles into a cache it ships, checks a fresh process loads from it, and every process imports
    # the same source files (numba's cache is keyed by their path)
    assert "NUMBA_CACHE_DIR=/app/.numba-cache" in dockerfile
    assert "PYTHONPATH=/app" in dockerfile
    run = dockerfile[dockerfile.index("RUN pip install") :]
    assert run.index("manage.py warm_kernels &&") < run.index("manage.py warm_kernels --check")
    assert "chown -R app /app/media /app/.numba-cache" in run
    setup = makefile[makefile.index("setup: install") : makefile.index("## make run")]
    assert setup.index("manage.py warm_kernels") < setup.index("manage.py load_demo") < setup.index("match_all")


def test_compose_commands_match_the_project():
    services = _compose()["services"]
    assert "gunicorn" in services["web"]["command"]
    assert "patent_platform.wsgi" in services["web"]["command"]
    assert "celery -A patent_platform worker" in services["worker"]["command"]
    assert "-Q celery,matching" in services["worker"]["command"]
    assert "celery -A patent_platform beat" in services["beat"]["command"]


def test_compose_environment_names_the_settings_variables():
    compose = _compose()
    shared = compose["x-app-env"]
    assert shared["DJANGO_SETTINGS_MODULE"] == "patent_platform.settings.production"
    # every variable production.py requires without a default is provided
    for variable in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert variable in shared, variable
    # with the variables' defaults (one host): the compose services
    url = (
        shared["DATABASE_URL"]
        .replace("${POSTGRES_PASSWORD:-patent}", "x")
        .replace("${PLATFORM_DB_HOST:-postgres}", "postgres")
    )
    database = environ.Env.db_url_config(url)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "postgres"
    assert shared["REDIS_URL"].replace("${PLATFORM_REDIS_HOST:-redis}", "redis").startswith("redis://redis:6379/")
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["environment"] == shared


def test_compose_keeps_data_in_volumes():
    compose = _compose()
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_visibility_timeout_exceeds_the_task_time_limit():
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


def test_ci_script_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci
    assert "make test" in readme
    assert "make run" in readme
    assert "REQUIRE_SERVICES=1" in ci


def test_startup_check_refuses_a_visibility_timeout_below_the_time_limit(settings):
    from core.checks import visibility_timeout_check

    assert visibility_timeout_check(None) == []
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60}
    settings.CELERY_TASK_TIME_LIMIT = 120
    assert [e.id for e in visibility_timeout_check(None)] == ["platform.E001"]

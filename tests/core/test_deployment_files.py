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
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name


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
    database = environ.Env.db_url_config(shared["DATABASE_URL"].replace("${POSTGRES_PASSWORD:-patent}", "x"))
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "postgres"
    assert shared["REDIS_URL"].startswith("redis://redis:6379/")
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

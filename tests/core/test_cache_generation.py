"""The generation of the counted data (core.cache_generation): every write moves it on, now and after commit, and a
cache backend that cannot be reached never turns a write into a 503/500."""

import logging

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from core.cache_generation import CACHE_VERSION_KEY, dashboard_cache_invalidate, dashboard_cache_version
from enterprises.models import PatentFollow
from tests.core.test_production_http import _production
from tests.enterprises.factories import PatentFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"
WARNING = (
    "dashboard cache generation not moved on (ConnectionError: Error 111 connecting to 127.0.0.1:1. Connection "
    "refused.): cached figures may lag for up to 900 s"
)


@pytest.fixture
def redis_down(monkeypatch, settings):
    """The cache production configures from REDIS_URL, with nothing listening there."""
    settings.CACHES = _production(monkeypatch, REDIS_URL=CLOSED_PORT).CACHES
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_a_write_moves_the_generation_on_now_and_again_after_commit(django_capture_on_commit_callbacks):
    # given
    cache.delete(CACHE_VERSION_KEY)
    before = dashboard_cache_version()
    # when
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        dashboard_cache_invalidate()
        during = dashboard_cache_version()
    # then
    assert (before, during, dashboard_cache_version()) == (1, 2, 3)


def test_a_missing_generation_starts_afresh():
    # given: the key was evicted
    cache.delete(CACHE_VERSION_KEY)
    # when
    dashboard_cache_invalidate()
    # then
    assert cache.get(CACHE_VERSION_KEY) == 2


def test_a_follow_is_written_and_answered_201_when_the_cache_cannot_be_reached(
    client_for, enterprise_member, institution, redis_down, caplog, django_capture_on_commit_callbacks
):
    # given: a pooled patent, and Redis down
    patent = PatentFactory(institution=institution, inventory_status="pooled")
    # when the enterprise follows it (the follow service moves the generation on, now and after commit)
    with (
        caplog.at_level(logging.WARNING, logger="core.cache_generation"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(enterprise_member).post(
            reverse("enterprises-api:follow-list"), {"patent": patent.pk}, format="json"
        )
    # then the write stands and is answered as usual; the log says twice what was skipped
    assert response.status_code == 201
    assert list(PatentFollow.objects.values_list("enterprise_id", "patent_id")) == [
        (enterprise_member.enterprise_id, patent.pk)
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "core.cache_generation"] == [WARNING, WARNING]


def test_the_bump_after_commit_does_not_raise_when_the_cache_went_away(
    redis_down, caplog, django_capture_on_commit_callbacks
):
    # when: a service's transaction commits while Redis is down
    with (
        caplog.at_level(logging.WARNING, logger="core.cache_generation"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        dashboard_cache_invalidate()
    # then: the after-commit bump ran, and only logged
    assert len(callbacks) == 1
    assert [r.levelname for r in caplog.records if r.name == "core.cache_generation"] == ["WARNING", "WARNING"]

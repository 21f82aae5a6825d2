"""Redis down under the production settings: signing in — the page and `POST /api/v1/auth/token/`
— answers 503 with Retry-After instead of a 500, and the log says why. A real Redis client against a closed port."""

import logging

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.core.test_production_http import _production

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-2026"
CLOSED_PORT = "redis://127.0.0.1:1/0"
MESSAGE = "服务暂时不可用，请稍后再试 / The service is temporarily unavailable: try again in a moment"


@pytest.fixture
def redis_down(monkeypatch, settings):
    """The cache production configures from REDIS_URL, with nothing listening there."""
    settings.CACHES = _production(monkeypatch, REDIS_URL=CLOSED_PORT).CACHES
    assert settings.CACHES["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/1",
    }


def test_the_sign_in_page_answers_503_with_retry_after_when_redis_is_down(client, officer, redis_down, caplog):
    # when the officer signs in, in Chinese and in English
    with caplog.at_level(logging.ERROR, logger="core.middleware"):
        chinese = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
        client.cookies["django_language"] = "en"
        english = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})

    # then "try again" in the platform's layout, not a 500, and nobody was signed in
    assert (chinese.status_code, chinese["Retry-After"]) == (503, "30")
    assert (english.status_code, english["Retry-After"]) == (503, "30")
    assert "服务暂时不可用" in chinese.content.decode()
    assert 'class="topbar"' in chinese.content.decode()
    assert "Service temporarily unavailable" in english.content.decode()
    assert "_auth_user_id" not in client.session
    # and the log says what happened, once per request
    assert [r.getMessage() for r in caplog.records if r.name == "core.middleware"] == [
        "Redis unreachable (ConnectionError: Error 111 connecting to 127.0.0.1:1. Connection refused.): "
        "POST /accounts/login/ answered 503"
    ] * 2


def test_the_token_endpoint_answers_503_in_the_api_error_format_when_redis_is_down(
    api_client, officer, redis_down, caplog
):
    # when the officer asks for an API token
    with caplog.at_level(logging.ERROR, logger="core.middleware"):
        response = api_client.post(reverse("api-token"), {"username": "officer_a", "password": PASSWORD})

    # then 503 with Retry-After in the API's error format, no token, and a log line
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert response.json() == {"error": {"code": "try_again", "message": MESSAGE, "details": {}}}
    assert Token.objects.count() == 0
    assert [r.getMessage() for r in caplog.records if r.name == "core.middleware"] == [
        "Redis unreachable (ConnectionError: Error 111 connecting to 127.0.0.1:1. Connection refused.): "
        "POST /api/v1/auth/token/ answered 503"
    ]

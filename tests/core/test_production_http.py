"""The production settings, loaded as production loads them: the compose healthcheck gets 200, X-Forwarded-Proto
is believed only behind the configured proxy."""

import importlib
import re
import sys
from types import ModuleType
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import global_settings, settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# what production.py sets about hosts, HTTPS and headers (the database, cache and broker stay the test ones)
HTTP_SETTINGS = [
    "ALLOWED_HOSTS",
    "MIDDLEWARE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DEBUG",
]


def _production(monkeypatch, **environment: str) -> ModuleType:
    values = {
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "patents.example.cn",
        "DATABASE_URL": "postgres://localhost/patent_platform",
        "REDIS_URL": "redis://localhost:6379/0",
        **environment,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    for module in ("patent_platform.settings.production", "patent_platform.settings.base"):
        sys.modules.pop(module, None)
    production = importlib.import_module("patent_platform.settings.production")
    for module in ("patent_platform.settings.production", "patent_platform.settings.base"):
        sys.modules.pop(module, None)  # the next import (by anyone) reads the test environment again
    return production


@pytest.fixture
def production_http(monkeypatch, settings):
    def _apply(**environment: str) -> ModuleType:
        production = _production(monkeypatch, **environment)
        for name in HTTP_SETTINGS:
            setattr(settings, name, getattr(production, name, getattr(global_settings, name)))
        return production

    return _apply


def _healthcheck_url() -> str:
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
    command = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    match = re.search(r"urlopen\('([^']+)'\)", command)
    assert match is not None, command
    return match.group(1)


def test_the_compose_healthcheck_request_gets_200_under_production_settings(production_http):
    # given the production settings (an allowed host that is not 127.0.0.1, HTTPS redirect on)
    production_http()
    url = urlsplit(_healthcheck_url())

    # when the healthcheck's own request is made: its Host header and plain-HTTP scheme
    response = Client().get(url.path, HTTP_HOST=url.netloc, secure=url.scheme == "https")

    # then the web process answers 200
    assert (url.scheme, url.netloc, url.path) == ("http", "127.0.0.1:8000", "/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_other_paths_keep_the_host_check_and_the_https_redirect(production_http):
    # given the production settings
    production_http()

    # when a page is asked with a foreign host, and over plain HTTP with the right host
    foreign = Client().get(reverse("login"), HTTP_HOST="127.0.0.1:8000")
    plain = Client().get(reverse("login"), HTTP_HOST="patents.example.cn")

    # then the host is refused and plain HTTP is redirected
    assert foreign.status_code == 400
    assert plain.status_code == 301
    assert plain["Location"] == "https://patents.example.cn/accounts/login/"


def test_without_a_proxy_x_forwarded_proto_is_not_believed(production_http):
    # given production without DJANGO_BEHIND_PROXY
    production = production_http()

    # when a client claims HTTPS in the header over plain HTTP
    response = Client().get(reverse("login"), HTTP_HOST="patents.example.cn", HTTP_X_FORWARDED_PROTO="https")

    # then it is still redirected to HTTPS
    assert not hasattr(production, "SECURE_PROXY_SSL_HEADER")
    assert response.status_code == 301


def test_behind_the_proxy_x_forwarded_proto_is_believed(production_http):
    # given production with DJANGO_BEHIND_PROXY=True
    production = production_http(DJANGO_BEHIND_PROXY="True")

    # when the proxy forwards an HTTPS request
    response = Client().get(reverse("login"), HTTP_HOST="patents.example.cn", HTTP_X_FORWARDED_PROTO="https")

    # then the request counts as secure: the page is served
    assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert response.status_code == 200

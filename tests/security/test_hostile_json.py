"""Deeply nested and oversized JSON bodies: refused with a clear 400 or 413 before they are parsed, never a 500."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from core.api.parsers import json_depth
from patents.models import Patent

pytestmark = pytest.mark.django_db


# --- deeply nested and oversized JSON bodies --------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


TOO_DEEP = {
    "error": {
        "code": "json_too_deep",
        "message": "JSON 嵌套过深（最多 32 层）/ JSON nested too deeply (at most 32 levels)",
        "details": {},
    }
}


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_a_400_for_an_officer(client_for, officer, pooled_patents, depth):
    # given
    client = client_for(officer)
    client.raise_request_exception = False
    body = '{"pks": ' + _nested(depth - 1) + "}"
    # when
    response = client.post(reverse("patents-api:patent-pool"), data=body, content_type="application/json")
    # then
    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert Patent.objects.filter(inventory_status="pooled").count() == len(pooled_patents)


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_a_400_on_anonymous_registration(api_client, depth):
    # given
    api_client.raise_request_exception = False
    body = '{"username": ' + _nested(depth - 1) + "}"
    # when
    response = api_client.post(
        reverse("enterprises-api:enterprise-register"), data=body, content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert User.objects.count() == 0


def test_json_nested_exactly_to_the_limit_is_parsed(client_for, officer):
    # given: 32 levels, the outer object included
    client = client_for(officer)
    body = '{"pks": ' + _nested(31) + "}"
    # when
    response = client.post(reverse("patents-api:patent-pool"), data=body, content_type="application/json")
    # then: it reaches the serializer, which rejects it as a field error, not as a parse error
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_json_body_over_the_upload_limit_is_a_413(client_for, officer, pooled_patents):
    # given
    client = client_for(officer)
    client.raise_request_exception = False
    body = '{"pks": [' + ",".join(["1"] * 600) + "]}"
    # when
    response = client.post(reverse("patents-api:patent-pool"), data=body, content_type="application/json")
    # then
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "request_too_large", "message": "请求内容过大 / Request body too large", "details": {}}
    }
    assert Patent.objects.filter(inventory_status="pooled").count() == len(pooled_patents)


def test_json_depth_counts_without_recursion():
    assert json_depth(1, stop_after=32) == 0
    assert json_depth([], stop_after=32) == 1
    assert json_depth({"a": [1, {"b": []}]}, stop_after=32) == 4
    deep: list = []
    for _ in range(200_000):
        deep = [deep]
    assert json_depth(deep, stop_after=32) == 33


def test_production_settings_use_the_bounded_json_parser():
    # given: production.py imported in a fresh interpreter with its required variables
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "patent_platform.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    code = (
        "import io, django; django.setup()\n"
        "from rest_framework.settings import api_settings\n"
        "parser = api_settings.DEFAULT_PARSER_CLASSES[0]()\n"
        "try:\n"
        "    parser.parse(io.BytesIO(b'[' * 5000 + b']' * 5000), 'application/json', {})\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc.status_code)\n"
    )
    # when
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    # then
    assert result.stdout == "JsonTooDeep 400\n", result.stderr[-2000:]

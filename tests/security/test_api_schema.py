"""The API against its own drf-spectacular schema, once per role (anonymous included): no 5xx, every response conforms.

Two passes per role, both in-process (no server), authenticated with the role's token:
- schemathesis generates requests from the schema (SCHEMATHESIS_MAX_EXAMPLES per operation, 4 by default; raise it
  locally to fuzz deeper);
- a deterministic sweep sends every operation hostile values: out-of-range
  years and numbers, dates at and past the calendar's ends, line breaks and control characters, JSON nested 1,000
  deep, ids too large for the database.
Loading the schema and building its strategies is the largest cost; it is paid once per module, not per role.
"""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, "enterprise_member", "officer", "city_bureau", "bureau", "platform_admin"]
# Operations a fuzzer must not drive: the token endpoint takes passwords (django-axes would lock the test
# users out after a few wrong ones), and logout revokes the very token the fuzzer calls with — both are covered by
# tests/core/test_abuse.py.
SKIPPED_OPERATIONS = {("POST", "/api/v1/auth/token/"), ("POST", "/api/v1/auth/logout/")}
# Bugs found by this module are fixed and kept below as regression tests; KNOWN_BUGS lists any that a fix is
# still pending for (the fuzzer then tolerates that one kind of failure on that one operation, nothing else).
KNOWN_BUGS: set[tuple[str, str, str]] = set()  # the fuzzer's earlier finds are fixed; regressions are below
_LOADED: dict[str, Any] = {}  # the schemathesis schema, shared by the roles (the schema endpoint needs a login)


def test_spectacular_validates_without_warnings(tmp_path):
    # when / then: raises SystemExit or CommandError on any schema error or warning
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text(encoding="utf-8").startswith("openapi:")


def test_the_served_schema_is_valid_openapi_3_0(client_for, platform_admin):
    # given: the schema /api/schema/ serves (client generators read this one)
    from openapi_spec_validator import OpenAPIV30SpecValidator

    response = client_for(platform_admin).get("/api/schema/", {"format": "json"})
    schema = response.json()
    # when
    errors = [
        f"{error.json_path}: {error.message} (schema: {'/'.join(map(str, error.relative_schema_path))})"
        for error in OpenAPIV30SpecValidator(schema).iter_errors()
    ]
    # then
    assert response.status_code == 200
    assert schema["openapi"] == "3.0.3"
    assert errors == []


@contextmanager
def _in_process_requests() -> Iterator[None]:
    """Requests made straight to the WSGI handler must not close the test's connection (as Django's Client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(schema, headers: dict[str, str]) -> tuple[list[str], int]:
    import tempfile

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(tempfile.mkdtemp(prefix="hypothesis-"))  # no .hypothesis/ left in the work tree
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    # status_code_conformance is left out on purpose: drf-spectacular documents success codes only, so every
    # 400/403/404 (the platform's one error format) would count as "undocumented".
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED_OPERATIONS:
            continue

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a FailureGroup
            report = str(exc)
            label = (operation.method.upper(), operation.path)
            codes = set(re.findall(r"^- (ST\d+) ", report, flags=re.MULTILINE))
            known = {code for method, path, code in KNOWN_BUGS if (method, path) == label}
            if not codes or not codes <= known:
                failures.append(f"{label[0]} {label[1]}: {report[:1500]}")
    return failures, calls


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_conforms_and_never_answers_5xx(request, role, pooled_patents, enterprise):
    import schemathesis

    from patent_platform.wsgi import application

    # given: the role's token and a little data so some path parameters resolve
    headers = _headers(request, role)
    with _in_process_requests():
        if "schema" not in _LOADED:  # loading and resolving takes ~20 s: once per module; calls carry their headers
            _LOADED["schema"] = schemathesis.openapi.from_wsgi(
                "/api/schema/?format=json", application, headers=_headers(request, "platform_admin")
            )
        # when
        failures, calls = _fuzz(_LOADED["schema"], headers)
    # then
    assert calls > 20
    assert failures == [], "\n\n".join(failures)


def _headers(request, role: str) -> dict[str, str]:
    if role == ANONYMOUS:
        return {}
    token, _ = Token.objects.get_or_create(user=request.getfixturevalue(role))
    return {"Authorization": f"Token {token.key}"}


# Values that are hostile or sit at the edges of what the database and datetime accept, by the
# parameter's documented type (a few per parameter keeps the sweep within its time budget).
HOSTILE_QUERY_VALUES = {
    "integer": ["0", "-1", "9" * 25],
    "number": ["0", "-1", "10000", "9" * 25],
    "date": ["0001-01-01", "9999-12-31", "0"],
    "string": ["9" * 25, "a\r\nb\u2028\x1b"],
}
HOSTILE_IDS = ["0", "9" * 25]
NESTED_1000 = "[" * 1000 + "]" * 1000


def _hostile_body(operation: dict) -> dict:
    """Every documented property of the JSON body set to a hostile value of its type."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    properties = content.get("schema", {}).get("properties", {})
    values = {"integer": 2**70, "number": 1e308, "boolean": True, "array": [2**70, "a\nb"], "object": {}}
    body: dict = {}
    for name, spec in properties.items():
        kind = spec.get("type", "string")
        if kind == "string":
            body[name] = "0001-01-01" if spec.get("format") in {"date", "date-time"} else "x\r\n\u2028\x1b\x7f"
        else:
            body[name] = values.get(kind, "x")
    return body


def _resolve_refs(schema: dict) -> dict:
    """Inline the component references of request bodies (only those; enough for _hostile_body)."""
    components = schema.get("components", {}).get("schemas", {})
    for item in schema["paths"].values():
        for operation in item.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "")
                if ref.startswith("#/components/schemas/"):
                    content["schema"] = components[ref.rsplit("/", 1)[1]]
    return schema


def _query_values(parameter: dict) -> list[str]:
    if "date" in parameter["name"]:
        return HOSTILE_QUERY_VALUES["date"]
    return HOSTILE_QUERY_VALUES.get(parameter.get("schema", {}).get("type", "string"), HOSTILE_QUERY_VALUES["string"])


def _sweep(client, schema: dict, *, with_queries: bool) -> tuple[list[str], int]:
    failures: list[str] = []
    calls = 0

    def send(method: str, url: str, **kwargs) -> None:
        nonlocal calls
        calls += 1
        response = getattr(client, method)(url, **kwargs)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {kwargs} -> {response.status_code}")

    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if (method.upper(), path) in SKIPPED_OPERATIONS or "{" in path.replace("{id}", ""):
                continue
            urls = [path.replace("{id}", value) for value in HOSTILE_IDS] if "{id}" in path else [path]
            for url in urls:
                if method == "get":
                    send("get", url)
                elif "requestBody" in operation:
                    send(method, url, data=NESTED_1000, content_type="application/json")
                    send(method, url, data=_hostile_body(operation), format="json")
                else:
                    send(method, url)
            if with_queries and method == "get" and "{id}" not in path:
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "query":
                        for value in _query_values(parameter):
                            send("get", path, data={parameter["name"]: value})
    return failures, calls


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_survives_hostile_values(request, role, pooled_patents, enterprise):
    # given
    admin = APIClient()
    admin.force_authenticate(request.getfixturevalue("platform_admin"))
    schema = _resolve_refs(admin.get("/api/schema/?format=json").json())
    client = APIClient()
    client.raise_request_exception = False
    if role != ANONYMOUS:
        client.credentials(HTTP_AUTHORIZATION=_headers(request, role)["Authorization"])
    # when: anonymous calls are refused before any query parameter is read, so only ids and bodies are swept
    failures, calls = _sweep(client, schema, with_queries=role != ANONYMOUS)
    # then
    assert calls > (60 if role == ANONYMOUS else 200)
    assert failures == [], "\n".join(failures)


# --- regression tests for the bugs the fuzzer found (500s on bad filters and huge pks, schema of paginated lists) ---


def test_search_with_a_non_numeric_institution_is_a_400_not_a_500(client_for, enterprise_member, pooled_patents):
    client = client_for(enterprise_member)
    client.raise_request_exception = False
    assert client.get(reverse("matching-api:search"), {"q": "line", "institution": "abc"}).status_code == 400


def test_search_page_with_a_non_numeric_institution_is_not_a_500(client, enterprise_member, pooled_patents):
    client.force_login(enterprise_member)
    client.raise_request_exception = False
    assert client.get(reverse("matching:search"), {"q": "line", "institution": "abc"}).status_code < 500


@pytest.mark.parametrize(
    ("path", "extra"),
    [("pool", {}), ("unpool", {"reason": "测试"}), ("modes", {"transfer_modes": ["licence"]})],
)
def test_bulk_actions_with_an_out_of_range_pk_are_a_400(client_for, officer, path, extra):
    client = client_for(officer)
    client.raise_request_exception = False
    response = client.post(reverse(f"patents-api:patent-{path}"), {"pks": [2**70], **extra}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "fixture"),
    [("/api/v1/recommendations/", "enterprise_member"), ("/api/v1/match-runs/", "platform_admin")],
)
def test_paginated_lists_are_documented_as_paginated(client_for, request, path, fixture):
    client = client_for(request.getfixturevalue(fixture))
    schema = client.get("/api/schema/?format=json").json()
    documented = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    body = client.get(path).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert documented.get("type") != "array"

"""The API against its own drf-spectacular schema, once per role: no 5xx, every response conforms.

schemathesis drives the Django WSGI application in-process (no server), authenticated with each role's token.
Hypothesis is bounded (a few examples per operation, no deadline) so the whole module stays well under three
minutes on two cores.
"""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))
ROLES = ["enterprise_member", "officer", "city_bureau", "bureau", "platform_admin"]
# Operations a fuzzer must not drive: the token endpoint takes passwords (django-axes would lock the test
# users out after a few wrong ones), and logout revokes the very token the fuzzer calls with — both are covered by
# tests/core/test_abuse.py.
SKIPPED_OPERATIONS = {("POST", "/api/v1/auth/token/"), ("POST", "/api/v1/auth/logout/")}
# Bugs found by this module are fixed and kept below as regression tests; KNOWN_BUGS lists any that a fix is
# still pending for (the fuzzer then tolerates that one kind of failure on that one operation, nothing else).
KNOWN_BUGS: set[tuple[str, str, str]] = set()  # the fuzzer's earlier finds are fixed; regressions are below


def test_spectacular_validates_without_warnings(tmp_path):
    # when / then: raises SystemExit or CommandError on any schema error or warning
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text(encoding="utf-8").startswith("openapi:")


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
    user = request.getfixturevalue(role)
    token, _ = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    with _in_process_requests():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=headers)
        # when
        failures, calls = _fuzz(schema, headers)
    # then
    assert calls > 20
    assert failures == [], "\n\n".join(failures)


# --- regression tests for the bugs the fuzzer found (500s on bad filters and huge pks, schema of paginated lists) ---


def test_search_with_a_non_numeric_institution_is_a_400_not_a_500(client_for, enterprise_member, pooled_patents):
    client = client_for(enterprise_member)
    client.raise_request_exception = False
    assert client.get("/api/v1/search/", {"q": "line", "institution": "abc"}).status_code == 400


def test_search_page_with_a_non_numeric_institution_is_not_a_500(client, enterprise_member, pooled_patents):
    client.force_login(enterprise_member)
    client.raise_request_exception = False
    assert client.get("/matching/search/", {"q": "line", "institution": "abc"}).status_code < 500


@pytest.mark.parametrize(
    ("path", "extra"),
    [("pool", {}), ("unpool", {"reason": "测试"}), ("modes", {"transfer_modes": ["licence"]})],
)
def test_bulk_actions_with_an_out_of_range_pk_are_a_400(client_for, officer, path, extra):
    client = client_for(officer)
    client.raise_request_exception = False
    response = client.post(f"/api/v1/patents/{path}/", {"pks": [2**70], **extra}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "fixture"), [("/api/v1/recommendations/", "enterprise_member"), ("/api/v1/match-runs/", "platform_admin")]
)
def test_paginated_lists_are_documented_as_paginated(client_for, request, path, fixture):
    client = client_for(request.getfixturevalue(fixture))
    schema = client.get("/api/schema/?format=json").json()
    documented = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    body = client.get(path).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert documented.get("type") != "array"

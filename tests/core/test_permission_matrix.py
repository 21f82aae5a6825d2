"""Every URL (walked from the resolver, so a new endpoint cannot be forgotten) × every role.

Reads: anonymous users are refused everywhere but the public pages; no role ever gets a server error;
an object of another party answers 404. Writes: anonymous writes are refused and change nothing.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role

pytestmark = pytest.mark.django_db

PUBLIC = {
    "login",
    "healthz",
    "favicon",
    "set_language",
    "api-token",
    "enterprises:signup",
    "enterprises-api:enterprise-register",
}
SKIP_PREFIXES = ("admin/", "media/", "static/", "__debug__/")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else ""


def _concrete(route: str, pk: int) -> str | None:
    """Turn a route into a path, filling <int:…> with `pk`; None for routes we cannot fill (regex, slugs)."""
    route = re.sub(r"\(\?P<\w+>\[\^/\.\]\+\)", str(pk), route).replace("^", "").replace("$", "")
    if "(?P" in route or "[" in route or "\\" in route:
        return None
    path = re.sub(r"<int:\w+>", str(pk), route)
    if "<" in path:
        return None
    return "/" + path


def _all_paths(pk: int) -> list[tuple[str, str]]:
    seen = set()
    out = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        path = _concrete(route, pk)
        if path and path not in seen:
            seen.add(path)
            out.append((path, name))
    return out


def test_the_walk_finds_the_api_and_the_pages():
    paths = {p for p, _ in _all_paths(1)}
    assert {"/", "/api/v1/patents/", "/api/v1/patents/1/", "/api/v1/imports/1/", "/patents/"} <= paths


def test_anonymous_reads_are_refused_outside_the_public_pages(client):
    for path, name in _all_paths(1):
        if name in PUBLIC or path.startswith("/i18n/"):
            continue
        response = client.get(path)
        assert response.status_code in (302, 401, 403, 404, 405), (path, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], path


def test_anonymous_writes_change_nothing(client):
    from patents.models import Patent

    before = Patent.objects.count()
    for path, name in _all_paths(1):
        if name in PUBLIC or path.startswith("/i18n/"):
            continue
        response = client.post(path, {"title": "x"})
        assert response.status_code in (302, 401, 403, 404, 405), (path, response.status_code)
    assert Patent.objects.count() == before


@pytest.mark.parametrize(
    "fixture", ["officer", "other_officer", "enterprise_member", "bureau", "city_bureau", "platform_admin"]
)
def test_no_role_gets_a_server_error_and_foreign_objects_are_hidden(client, request, fixture, other_institution):
    # given: a patent and an import job that belong to institution B (the other officer's)
    from imports.models import ImportJob
    from patents.models import Patent

    user = request.getfixturevalue(fixture)
    foreign = Patent.objects.create(
        application_number="201910209152.5", title="他校专利", patent_type="invention", institution=other_institution
    )
    ImportJob.objects.create(pk=foreign.pk, kind="patents", institution=other_institution, original_name="x.csv")
    client.force_login(user)
    # when / then
    for path, _ in _all_paths(foreign.pk):
        if path.startswith("/i18n/") or path == "/accounts/logout/":
            continue
        response = client.get(path)
        assert response.status_code < 500, (fixture, path, response.status_code)
        if (
            user.role == Role.OFFICER
            and user.institution_id != other_institution.pk
            and path.startswith("/api/v1/imports/")
        ):
            assert response.status_code == 404, (fixture, path)

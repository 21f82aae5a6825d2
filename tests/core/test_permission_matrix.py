"""Every URL (walked from the resolver, so a new endpoint cannot be forgotten) × every role.

The expected access is what the views declare through accounts.access (`require_access` on pages,
`access_permission` on API views, read back by `access_rule_of`) and its PUBLIC_URL_NAMES: every other URL must
declare a rule, each role the rule refuses is refused (403, or 404 for hidden pages; anonymous users go to the login
page or get 401/403) and writes nothing, and each role it allows is let in. No role ever gets a server error; an object
of another party answers 404.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.access import PUBLIC_URL_NAMES, access_rule_of
from accounts.models import Role, User
from enterprises.models import DockingRequest, Enterprise, Notification, PatentFollow, TechNeed
from imports.models import ImportJob
from matching.models import MatchRun
from patents.models import Patent

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "media/", "static/", "__debug__/")
ROLES = [
    "anonymous",
    "no_role",
    "officer",
    "college_admin",
    "inventor",
    "enterprise_member",
    "bureau",
    "city_bureau",
    "platform_admin",
]
MISSING_PK = 987654  # no object has it: detail URLs answer 404 to those let in
OBJECT_QUERY = {"enterprises:docking_create": {"patent": MISSING_PK}}  # URLs naming their object in the query
WRITTEN = (Patent, Enterprise, TechNeed, PatentFollow, DockingRequest, Notification, MatchRun, ImportJob)


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else "", entry.callback


def _concrete(route: str, pk: int) -> str | None:
    """Turn a route into a path, filling <id:…> (and <int:…>) with `pk`; None for routes we cannot fill (regex,
    slugs)."""
    route = re.sub(r"\(\?P<\w+>\[\^/\.\]\+\)", str(pk), route).replace("^", "").replace("$", "")
    if "(?P" in route or "[" in route or "\\" in route:
        return None
    path = re.sub(r"<(?:id|int):\w+>", str(pk), route)
    path = path.replace("<slug:slug>.<str:file_format>", "all.xlsx")
    if "<" in path:
        return None
    return "/" + path


def _all_views(pk: int) -> list[tuple[str, str, object]]:
    seen = set()
    out = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        path = _concrete(route, pk)
        if path and path not in seen:
            seen.add(path)
            out.append((path, name, callback))
    return out


def _all_paths(pk: int) -> list[tuple[str, str]]:
    return [(path, name) for path, name, _ in _all_views(pk)]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def _to_login(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _as_declared(response, *, allowed: bool, anonymous: bool, hidden: bool, has_pk: bool) -> bool:
    """Allowed: let in (any answer but 401/403 or the login page; nor 404 where the URL names no object). Refused:
    anonymous users to the login page or 401/403, signed-in ones 403 — or 404 when the rule is hidden."""
    if response.status_code >= 500:
        return False
    if allowed:
        refused = (401, 403) if has_pk else (401, 403, 404)
        return response.status_code not in refused and not _to_login(response)
    if anonymous:
        return response.status_code in (401, 403) or _to_login(response)
    return response.status_code == (404 if hidden else 403)


def test_every_url_but_the_public_ones_declares_its_access():
    # given
    views = _all_views(1)
    # when
    undeclared = [
        (path, method)
        for path, name, callback in views
        for method in ("GET", "POST")
        if name not in PUBLIC_URL_NAMES and access_rule_of(callback, method) is None
    ]
    # then
    assert len(views) > 90
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_access_the_views_declare(client, request, role):
    # given
    user = AnonymousUser()
    if role == "no_role":
        user = User.objects.create_user(username="norole", password="Test-pass-2026")
    elif role != "anonymous":
        user = request.getfixturevalue(role)
    if role != "anonymous":
        client.force_login(user)
    before = _counts()
    wrong = []
    # when
    for path, name, callback in _all_views(MISSING_PK):
        if name in PUBLIC_URL_NAMES or path.startswith("/i18n/"):
            continue
        for method in ("GET", "POST"):
            rule = access_rule_of(callback, method)
            assert rule is not None, (path, method)
            if rule.allows(user) and method == "POST":
                continue  # an allowed write would write: the apps' own tests cover those
            query = OBJECT_QUERY.get(name, {})
            response = client.get(path, query) if method == "GET" else client.post(path, query)
            if response.status_code == 405:
                continue  # the method does not exist on this URL
            allowed = rule.allows(user)
            has_pk = str(MISSING_PK) in path or name in OBJECT_QUERY
            if not _as_declared(
                response, allowed=allowed, anonymous=role == "anonymous", hidden=rule.hidden, has_pk=has_pk
            ):
                wrong.append((method, path, rule.predicate.__name__, response.status_code))
    # then
    assert wrong == []
    assert _counts() == before


def test_the_walk_finds_the_api_and_the_pages():
    paths = {p for p, _ in _all_paths(1)}
    assert {"/", "/api/v1/patents/", "/api/v1/patents/1/", "/api/v1/imports/1/", "/patents/"} <= paths


def test_anonymous_reads_are_refused_outside_the_public_pages(client):
    for path, name in _all_paths(1):
        if name in PUBLIC_URL_NAMES or path.startswith("/i18n/"):
            continue
        response = client.get(path)
        assert response.status_code in (302, 401, 403, 404, 405), (path, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], path


def test_anonymous_writes_change_nothing(client):
    before = Patent.objects.count()
    for path, name in _all_paths(1):
        if name in PUBLIC_URL_NAMES or path.startswith("/i18n/"):
            continue
        response = client.post(path, {"title": "x"})
        assert response.status_code in (302, 401, 403, 404, 405), (path, response.status_code)
    assert Patent.objects.count() == before


@pytest.mark.parametrize(
    "fixture",
    [
        "officer",
        "other_officer",
        "college_admin",
        "inventor",
        "enterprise_member",
        "bureau",
        "city_bureau",
        "platform_admin",
    ],
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

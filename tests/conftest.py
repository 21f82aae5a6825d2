"""Shared fixtures: reference data, one user per role, API clients, and the real-service gate."""

import csv
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role, User
from enterprises.models import Enterprise
from patents.models import Patent

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
DEMO = Path(__file__).resolve().parents[1] / "demo_data"


def _kppatents(n: int) -> list[dict[str, str]]:
    with (DEMO / "kppatent-zh" / "patents_full.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [row for _, row in zip(range(n), csv.DictReader(fh), strict=False)]


def service_missing(what: str) -> None:
    """Skip a test whose real service is not configured — or fail it when REQUIRE_SERVICES=1 (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {what}")
    pytest.skip(what)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a request through LocaleMiddleware (or a test that
    activates English) leaves its language active in the thread, which would leak into the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _pool_facets_forgotten():
    """The search's per-process table of facet values (matching.reading.pool_facets) follows the database it read; each
    test has its own (rolled back, ids reused on SQLite), so each starts without one."""
    from matching.reading.pool_facets import pool_facets_forget

    pool_facets_forget()


@pytest.fixture(autouse=True)
def _celery_join_allowed():
    """Celery keeps "a result.get() here would block" in one process-wide flag that each eager task saves, sets and
    restores: two eager tasks running at once in two threads (a live server's requests beside a run) can restore it
    in the wrong order and leave it set, so a later test's result.get() would raise "Never call result.get() within
    a task!". Each test starts with it clear."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Regions and role groups come from migrations; a transactional test's flush removes them, so re-ensure."""
    uses_db = request.node.get_closest_marker("django_db") is not None
    if not uses_db and not ({"db", "transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("_django_db_helper")  # make sure the database is set up before seeding it
    from accounts.services import roles_ensure
    from core.services import regions_ensure

    regions_ensure()
    roles_ensure()


@pytest.fixture
def wuhan(db):
    from core.models import City

    return City.objects.get(code="4201")


@pytest.fixture
def institution(wuhan):
    from patents.models import Institution

    return Institution.objects.create(name="华中科技大学", moe_code="4142010487", city=wuhan)


@pytest.fixture
def other_institution(wuhan):
    from patents.models import Institution

    return Institution.objects.create(name="武汉大学", moe_code="4142010486", city=wuhan)


@pytest.fixture
def enterprise(wuhan):
    from enterprises.models import Enterprise

    return Enterprise.objects.create(
        name="武汉瑞诚科技有限公司", uscc="914403001922038216", city=wuhan, business_scope="计算机技术研发；模具制造"
    )


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    from accounts.services import user_create

    def _make(username: str, role: str, **binding) -> User:
        return user_create(username=username, password="Test-pass-2026", role=role, **binding)

    return _make


@pytest.fixture
def officer(make_user, institution) -> User:
    return make_user("officer_a", Role.OFFICER, institution=institution)


@pytest.fixture
def other_officer(make_user, other_institution) -> User:
    return make_user("officer_b", Role.OFFICER, institution=other_institution)


@pytest.fixture
def enterprise_member(make_user, enterprise) -> User:
    return make_user("member", Role.ENTERPRISE, enterprise=enterprise)


@pytest.fixture
def bureau(make_user) -> User:
    return make_user("bureau", Role.BUREAU_PROVINCE)


@pytest.fixture
def city_bureau(make_user, wuhan) -> User:
    return make_user("bureau_wuhan", Role.BUREAU_CITY, city=wuhan)


@pytest.fixture
def platform_admin(make_user) -> User:
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def college(institution):
    from patents.models import College

    return College.objects.create(institution=institution, name="计算机科学与技术学院", code="CS")


@pytest.fixture
def other_college(institution):
    from patents.models import College

    return College.objects.create(institution=institution, name="机械科学与工程学院", code="ME")


@pytest.fixture
def college_admin(make_user, institution, college) -> User:
    return make_user("college_cs", Role.COLLEGE_ADMIN, institution=institution, college=college)


@pytest.fixture
def inventor(make_user, institution, college) -> User:
    return make_user("inventor_a", Role.INVENTOR, institution=institution, college=college)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    def _client(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _client


@pytest.fixture
def committing_client(django_capture_on_commit_callbacks) -> Client:
    """A test client whose POSTs run the on-commit callbacks (queued tasks), as a committed request would: the
    test's own transaction never commits, so a task sent on commit (core.jobs.task_send) would never run."""
    client = Client()
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit  # type: ignore[method-assign]
    return client


@pytest.fixture
def empty_cache() -> Iterator[None]:
    """The cache is empty when the test starts and when it ends."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pooled_patents(institution) -> list[Patent]:
    """40 real patents (title, abstract, claims) pooled by the institution."""
    patents = []
    for i, row in enumerate(_kppatents(40)):
        patents.append(
            Patent.objects.create(
                application_number=f"2020101{i:05d}.{i % 10}",
                title=row["title"],
                abstract=row["abstract"],
                claims=row["claims"],
                patent_type="invention",
                institution=institution,
                inventory_status="pooled",
                legal_status="valid",
                transfer_modes=["licence"] if i % 2 else ["assignment"],
            )
        )
    return patents


@pytest.fixture
def matching_enterprises(wuhan) -> list[Enterprise]:
    """Enterprises whose business scope is written from the keyphrases of some of those patents' fields."""
    rows = _kppatents(40)
    out = []
    for i, index in enumerate((0, 5, 10, 15, 20)):
        out.append(
            Enterprise.objects.create(
                name=f"湖北测试企业{i}有限公司",
                uscc=f"91420100MA4K{i:05d}X"[:18],
                city=wuhan,
                business_scope="；".join(rows[index]["keyphrases"].split(",")[:6]),
            )
        )
    return out

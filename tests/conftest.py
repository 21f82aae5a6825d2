"""Shared fixtures: reference data, one user per role, API clients, and the real-service gate."""

import os
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import Role, User

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def service_missing(what: str) -> None:
    """Skip a test whose real service is not configured — or fail it when REQUIRE_SERVICES=1 (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {what}")
    pytest.skip(what)


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
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    def _client(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _client

"""Fixtures of the dashboard tests: the demo-like data set, the seeded concordance, a clean cache."""

import pytest
from django.core.cache import cache

from tests.dashboards.demo import Demo, demo_build


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def concordance(db):
    """The starter concordance (a transactional test's flush empties the table the migration seeded)."""
    from dashboards.services import concordance_seed

    concordance_seed()


@pytest.fixture
def demo(db, concordance) -> Demo:
    return demo_build()


@pytest.fixture
def yichang_bureau(make_user):
    from accounts.models import Role
    from core.models import City

    return make_user("bureau_yichang", Role.BUREAU_CITY, city=City.objects.get(code="4205"))


@pytest.fixture
def hust_officer(make_user, demo):
    from accounts.models import Role

    return make_user("officer_hust", Role.OFFICER, institution=demo.institutions["华中科技大学"])

"""Fixtures of the claim tests: registry enterprises the bureau imported, without an account yet."""

import pytest

from core.models import City
from enterprises.models import Enterprise
from tests.enterprises.claims.helpers import REGISTRY_CONTACT, USCC


@pytest.fixture
def listed(wuhan):
    """A registry enterprise the bureau imported, with its registered contact, no account yet."""
    return Enterprise.objects.create(
        name="武汉光谷新能源有限公司", uscc=USCC, city=wuhan, business_scope="锂电池研发；储能系统", **REGISTRY_CONTACT
    )


@pytest.fixture
def yichang_listed(db):
    return Enterprise.objects.create(
        name="宜昌三峡新材料有限公司", uscc="91330106673959654P", city=City.objects.get(code="4205")
    )

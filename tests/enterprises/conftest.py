"""Fixtures of the enterprise tests: a second enterprise, pooled patents, docking requests in any state, and the
actors of a docking request by role."""

import pytest

from accounts.models import Role
from tests.enterprises.factories import DockingRequestFactory, PatentFactory, TechNeedFactory


@pytest.fixture
def other_enterprise(wuhan):
    from enterprises.models import Enterprise

    return Enterprise.objects.create(name="武汉光谷新材料有限公司", uscc="91330106673959654P", city=wuhan)


@pytest.fixture
def other_member(make_user, other_enterprise):
    return make_user("member_b", Role.ENTERPRISE, enterprise=other_enterprise)


@pytest.fixture
def pooled_patent(institution):
    return PatentFactory(
        institution=institution, application_number="201910209152.5", title="一种高镍正极材料及其制备方法"
    )


@pytest.fixture
def need(enterprise):
    return TechNeedFactory(enterprise=enterprise, title="高镍正极材料量产工艺")


@pytest.fixture
def make_docking(enterprise, pooled_patent):
    def _make(status="submitted", **fields):
        fields.setdefault("enterprise", enterprise)
        fields.setdefault("patent", pooled_patent)
        return DockingRequestFactory(status=status, **fields)

    return _make


@pytest.fixture
def actors(enterprise_member, other_member, officer, other_officer, bureau, city_bureau, platform_admin):
    """Who may act on a docking request (`make_docking`'s parties, outsiders of each side, the bureau, the admin)
    by role name; "system" is the scheduled expiry, which acts as nobody."""
    return {
        "member": enterprise_member,
        "other_member": other_member,
        "officer": officer,
        "other_officer": other_officer,
        "bureau": bureau,
        "city_bureau": city_bureau,
        "admin": platform_admin,
        "system": None,
    }

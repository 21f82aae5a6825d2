"""User factories go through user_create: each role lands in its group, with its binding."""

import pytest

from accounts.models import Role
from tests.accounts.factories import (
    PASSWORD,
    AdminFactory,
    CityBureauFactory,
    EnterpriseMemberFactory,
    OfficerFactory,
    ProvinceBureauFactory,
)
from tests.enterprises.factories import EnterpriseFactory
from tests.patents.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_each_role_factory_makes_a_user_in_its_group(wuhan):
    # given
    institution, enterprise = InstitutionFactory(), EnterpriseFactory()
    # when
    users = [
        OfficerFactory(institution=institution),
        EnterpriseMemberFactory(enterprise=enterprise),
        ProvinceBureauFactory(),
        CityBureauFactory(city=wuhan),
        AdminFactory(),
    ]
    # then
    assert [(u.role, [g.name for g in u.groups.all()]) for u in users] == [
        (Role.OFFICER, [Role.OFFICER]),
        (Role.ENTERPRISE, [Role.ENTERPRISE]),
        (Role.BUREAU_PROVINCE, [Role.BUREAU_PROVINCE]),
        (Role.BUREAU_CITY, [Role.BUREAU_CITY]),
        (Role.ADMIN, [Role.ADMIN]),
    ]
    assert (users[0].institution, users[1].enterprise, users[3].city) == (institution, enterprise, wuhan)
    assert [u.check_password(PASSWORD) for u in users] == [True] * 5
    assert [(u.is_staff, u.is_superuser) for u in (users[2], users[4])] == [(False, False), (True, True)]

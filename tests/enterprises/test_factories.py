"""The factories write rows the models accept: full_clean passes and the USCC validates."""

import pytest

from common.validators.uscc import validate_uscc
from enterprises.models import PatentFollow
from tests.enterprises.factories import EnterpriseFactory, PatentFollowFactory, TechNeedFactory

pytestmark = pytest.mark.django_db


def test_enterprises_get_distinct_valid_credit_codes():
    # when
    enterprises = EnterpriseFactory.create_batch(3)
    # then
    for enterprise in enterprises:
        enterprise.full_clean()
    assert [validate_uscc(e.uscc).verdict for e in enterprises] == ["valid", "valid", "valid"]
    assert len({e.uscc for e in enterprises}) == 3
    assert {e.city.name for e in enterprises} == {"武汉市"}


def test_a_follow_brings_its_enterprise_member_and_pooled_patent():
    # when
    follow = PatentFollowFactory()
    # then
    follow.full_clean()
    assert PatentFollow.objects.filter(enterprise=follow.enterprise, patent=follow.patent).count() == 1
    assert (follow.patent.inventory_status, follow.patent.institution.city.name) == ("pooled", "武汉市")
    assert (follow.created_by.role, follow.created_by.enterprise) == ("enterprise", follow.enterprise)


def test_a_need_belongs_to_an_enterprise():
    # when
    need = TechNeedFactory()
    # then
    need.full_clean()
    assert need.enterprise.needs.get() == need

"""The demo's districts: the universities listed get their main campus's district, inside their city, once."""

import pytest

from core.selectors import districts_of_city
from demo.districts import DEMO_DISTRICTS, districts_load
from patents.models import Institution

pytestmark = pytest.mark.django_db


def test_the_listed_universities_have_their_district_in_their_city(loaded_demo):
    # when
    recorded = dict(Institution.objects.exclude(district_code="").values_list("moe_code", "district_code"))

    # then
    assert recorded == DEMO_DISTRICTS
    for moe_code, district in recorded.items():
        city = Institution.objects.get(moe_code=moe_code).city_id
        assert district in {d.code for d in districts_of_city(city)}, moe_code


def test_a_second_load_records_nothing(loaded_demo):
    # given
    before = list(Institution.objects.order_by("pk").values_list("pk", "district_code"))

    # when
    recorded = districts_load()

    # then
    assert recorded == 0
    assert list(Institution.objects.order_by("pk").values_list("pk", "district_code")) == before

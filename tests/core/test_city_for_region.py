"""One rule maps a free-text region to a city, for the enterprise importer and the demo alike."""

import pytest

from core.models import City
from core.selectors import city_for_region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("武汉", "武汉市"),
        ("武汉市", "武汉市"),
        ("恩施", "恩施土家族苗族自治州"),
        ("恩施州", "恩施土家族苗族自治州"),
        ("荆州", "荆州市"),
        ("荆门", "荆门市"),
        ("仙桃市", "省直辖县级行政区划"),
        ("神农架林区", "省直辖县级行政区划"),
        ("", None),
        ("火星", None),
    ],
)
def test_city_for_region_is_the_one_rule_of_importers_and_demo(region, expected):
    cities = list(City.objects.filter(province_id="42").order_by("code"))
    found = city_for_region(region, cities)
    assert (found.name if found else None) == expected

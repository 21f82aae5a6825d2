"""One rule maps a free-text region to a city, for the enterprise importer and the demo alike."""

import pytest
from django.conf import settings

from core.models import City
from core.selectors import city_for_region, province_administered_counties

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
    cities = _province_cities()
    found = city_for_region(region, cities)
    assert (found.name if found else None) == expected


def _province_cities():
    return list(City.objects.filter(province_id=settings.PLATFORM_PROVINCE_CODE).order_by("code"))


def test_the_default_county_file_lists_hubeis_four_province_administered_cities():
    # when
    counties = province_administered_counties()
    # then
    assert [(c.code, c.name, c.short_name, c.city_code, c.province_code) for c in counties] == [
        ("429004", "仙桃市", "仙桃", "4290", "42"),
        ("429005", "潜江市", "潜江", "4290", "42"),
        ("429006", "天门市", "天门", "4290", "42"),
        ("429021", "神农架林区", "神农架", "4290", "42"),
    ]


def test_the_county_list_comes_from_the_file_the_setting_names(tmp_path, settings):
    # given: a file that lists only 天门市 (and a county of a city the platform does not serve)
    path = tmp_path / "counties.csv"
    path.write_text(
        'code,name,cityCode,provinceCode\n429006,"天门市",4290,42\n469001,"五指山市",4690,46\n', encoding="utf-8"
    )
    settings.PLATFORM_COUNTIES_FILE = path
    cities = _province_cities()
    # when
    found = {region: city_for_region(region, cities) for region in ("天门", "仙桃市", "五指山")}
    # then
    assert {region: city.code if city else None for region, city in found.items()} == {
        "天门": "4290",
        "仙桃市": None,
        "五指山": None,
    }

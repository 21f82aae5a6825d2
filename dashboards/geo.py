"""The bureau's map: pooled patents, docking requests and deals per city of the province (the province bureau's map)
or per district and county (区/县, a city bureau's table), each counted by one measure of `dashboards.measures`.

The outlines are vendored (static/vendor/echarts/maps/hubei.json, from the npm package echarts@4.9.0, Apache-2.0;
PROVENANCE.md beside it), never fetched at run time. Its 17 features name the 13 prefecture-level cities and the four
county-level divisions the province administers directly (仙桃, 潜江, 天门, 神农架), which our reference data keeps
as one city (4290 省直辖县级行政区划): each feature is matched to a City by its code, then by its name.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from core.selectors import city_list, districts_of_city, province_administered_counties
from dashboards import measures
from dashboards.scope import DashboardFilters, DashboardScope, drill_url

MAP_PROVINCE = "42"  # the province whose outlines are vendored
MAP_NAME = "hubei"
MAP_FILE = Path(settings.BASE_DIR) / "static" / "vendor" / "echarts" / "maps" / f"{MAP_NAME}.json"
MAP_STATIC_PATH = f"vendor/echarts/maps/{MAP_NAME}.json"
UNKNOWN_DISTRICT = "unknown"


@dataclass(frozen=True)
class MapMeasure:
    """One measure the map can shade by: the drill-down list of an area and what narrows it."""

    key: str
    label: str | Promise
    drill: str
    drill_params: tuple[tuple[str, str], ...] = ()


MAP_MEASURES = (
    MapMeasure("pooled", gettext_lazy("已入库专利"), "patents", (("stage", "pooled"),)),
    MapMeasure("dockings", gettext_lazy("对接请求"), "dockings"),
    MapMeasure("signed", gettext_lazy("已签约"), "dockings", (("status", "signed"),)),
)
MEASURE_KEYS = tuple(m.key for m in MAP_MEASURES)


def map_measure(value: str | None) -> str:
    """The measure a `?measure=` parameter names; the first (已入库专利) for anything else."""
    return value if value in MEASURE_KEYS else MEASURE_KEYS[0]


def _measure_querysets(scope: DashboardScope, filters: DashboardFilters) -> dict[str, QuerySet[Any]]:
    """Each map measure's rows; all three belong to a university, whose city and district they are counted in."""
    return {
        "pooled": measures.patents_pooled(scope=scope, filters=filters),
        "dockings": measures.docking_requests(scope=scope, filters=filters),
        "signed": measures.docking_requests_signed(scope=scope, filters=filters),
    }


def _counts_by(scope: DashboardScope, filters: DashboardFilters, field: str) -> dict[str, dict[str, int]]:
    """{value of `field`: {measure: count}} — one grouped query per measure."""
    counts: dict[str, dict[str, int]] = {}
    for key, qs in _measure_querysets(scope, filters).items():
        for value, n in qs.values_list(field).annotate(n=Count("pk")).order_by().values_list(field, "n"):
            counts.setdefault(value, dict.fromkeys(MEASURE_KEYS, 0))[key] = n
    return counts


def city_counts(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, dict[str, int]]:
    """Per city code (the university's city): pooled patents, docking requests and deals signed."""
    return _counts_by(scope, filters, "institution__city_id")


def district_counts(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, dict[str, int]]:
    """Per district code (the university's 区/县, "" when not recorded): the same three measures."""
    return _counts_by(scope, filters, "institution__district_code")


def _urls(filters: DashboardFilters, **narrow: str) -> dict[str, str]:
    return {m.key: drill_url(m.drill, filters, **dict(m.drill_params), **narrow) for m in MAP_MEASURES}


@cache
def map_features(path: Path = MAP_FILE) -> tuple[tuple[str, str], ...]:
    """The (code, name) of every feature of the vendored outlines."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple((str(f.get("id", "")), str(f["properties"]["name"])) for f in data["features"])


def feature_city(*, code: str, name: str, cities: dict[str, str]) -> str | None:
    """The City (code) a feature of the outlines stands for: by its code (420100 → 4201, 429004 → 4290), else a
    county the province administers directly by its name, else a city by its name; None when nothing fits."""
    if code[:4] in cities:
        return code[:4]
    for county in province_administered_counties():
        if county.name == name and county.city_code in cities:
            return county.city_code
    return next((city_code for city_code, city_name in cities.items() if city_name == name), None)


def city_map(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, Any]:
    """The province bureau's map: per city its three counts and drill-down links, and the city of each feature."""
    cities = dict(city_list(province_code=MAP_PROVINCE).values_list("code", "name"))
    counts = city_counts(scope=scope, filters=filters)
    rows = [
        {
            "code": code,
            "label": name,
            **counts.get(code, dict.fromkeys(MEASURE_KEYS, 0)),
            "urls": _urls(filters, city=code),
        }
        for code, name in cities.items()
    ]
    areas = [{"name": name, "city": feature_city(code=code, name=name, cities=cities)} for code, name in map_features()]
    return {"level": "province", "rows": rows, "areas": areas}


def district_table(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, Any]:
    """A city bureau's districts: every 区/县 of the city with its three counts, then the universities whose
    district is not recorded (when they count anything)."""
    assert scope.city_code is not None  # a city bureau's scope
    counts = district_counts(scope=scope, filters=filters)
    rows = [
        {
            "code": d.code,
            "label": d.name,
            **counts.pop(d.code, dict.fromkeys(MEASURE_KEYS, 0)),
            "urls": _urls(filters, district=d.code),
        }
        for d in districts_of_city(scope.city_code)
    ]
    rest = dict.fromkeys(MEASURE_KEYS, 0)
    for other in counts.values():  # blank, or (written outside the admin's check) another city's code
        rest = {key: rest[key] + other[key] for key in MEASURE_KEYS}
    if any(rest.values()):
        label = gettext("未登记区县")
        rows.append(
            {"code": UNKNOWN_DISTRICT, "label": label, **rest, "urls": _urls(filters, district=UNKNOWN_DISTRICT)}
        )
    return {"level": "city", "rows": rows, "areas": []}


def district_label(*, scope: DashboardScope, filters: DashboardFilters, code: str) -> str:
    """The name of a district of the map's table (for a drill-down list's heading); "" for none."""
    if code == UNKNOWN_DISTRICT:
        return gettext("未登记区县")
    city = scope.city_code or filters.city_code
    return next((d.name for d in districts_of_city(city) if d.code == code), "") if city else ""


def dashboard_map(*, scope: DashboardScope, filters: DashboardFilters, measure: str) -> dict[str, Any] | None:
    """What the map section shows: the province's cities on the map (province bureau, admins), a city's districts
    as a table (a city bureau: no licensed district outlines are vendored), nothing for an institution."""
    if scope.level == "province" and settings.PLATFORM_PROVINCE_CODE == MAP_PROVINCE:
        data = city_map(scope=scope, filters=filters)
    elif scope.level == "city":
        data = district_table(scope=scope, filters=filters)
    else:
        return None
    data["measure"] = measure
    data["measures"] = [{"key": m.key, "label": str(m.label)} for m in MAP_MEASURES]
    return data

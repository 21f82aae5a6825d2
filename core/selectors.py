"""Reads for reference data."""

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from core.models import City


def city_list(*, province_code: str | None = None) -> QuerySet[City]:
    """Prefecture-level cities of a province (default: the platform's own province)."""
    return City.objects.filter(province_id=province_code or settings.PLATFORM_PROVINCE_CODE).order_by("code")


@dataclass(frozen=True, slots=True)
class ProvinceAdministeredCounty:
    """A county-level division a province administers directly (e.g. 仙桃市), and the code of its 省直辖 group."""

    code: str
    name: str
    city_code: str
    province_code: str

    @property
    def short_name(self) -> str:
        """The name as people write it without the kind of division: 仙桃市 → 仙桃, 神农架林区 → 神农架."""
        for suffix in _COUNTY_SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) > len(suffix) + 1:
                return self.name.removesuffix(suffix)
        return self.name


_COUNTY_SUFFIXES = ("林区", "自治县", "市", "县", "区")


def province_administered_counties() -> tuple[ProvinceAdministeredCounty, ...]:
    """The county list of the data file named by setting PLATFORM_COUNTIES_FILE (read once per file)."""
    return _counties_from(Path(settings.PLATFORM_COUNTIES_FILE))


@cache
def _counties_from(path: Path) -> tuple[ProvinceAdministeredCounty, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            ProvinceAdministeredCounty(
                code=row["code"], name=row["name"], city_code=row["cityCode"], province_code=row["provinceCode"]
            )
            for row in csv.DictReader(fh)
        )


def city_for_region(region: str, cities: Sequence[City]) -> City | None:
    """The prefecture-level city a free-text region names: `武汉` / `武汉市` → 武汉市, `恩施` → 恩施…自治州, a
    county-level city the province administers directly (仙桃, 潜江, 天门, 神农架: the PLATFORM_COUNTIES_FILE list)
    → its 省直辖 group; None when nothing fits."""
    text = region.strip()
    if not text:
        return None
    for city in cities:
        if city.name.startswith(text) or text.startswith(city.name.rstrip("市州")):
            return city
    short = text.rstrip("市州")  # 恩施州 → 恩施; only now, or 荆州 would stop at 荆门市
    if len(short) >= 2:
        for city in cities:
            if city.name.startswith(short):
                return city
    by_code = {city.code: city for city in cities}
    for county in province_administered_counties():
        if county.city_code in by_code and text.startswith(county.short_name):
            return by_code[county.city_code]
    return None


@dataclass(frozen=True, slots=True)
class District:
    """A county-level division (区/县, GB/T 2260 six-digit code) of a prefecture-level city."""

    code: str
    name: str
    city_code: str


DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "areas-hubei.csv"


def districts_of_city(city_code: str) -> tuple[District, ...]:
    """The districts and counties of a city of the platform's province, by code (core/data/areas-hubei.csv, from
    china-admin-divisions); empty for a city the file does not cover."""
    return tuple(d for d in _districts_from(DISTRICTS_FILE) if d.city_code == city_code)


@cache
def _districts_from(path: Path) -> tuple[District, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(District(code=r["code"], name=r["name"], city_code=r["cityCode"]) for r in csv.DictReader(fh))

"""Reads for reference data."""

from collections.abc import Sequence

from django.conf import settings
from django.db.models import QuerySet

from core.models import City


def city_list(*, province_code: str | None = None) -> QuerySet[City]:
    """Prefecture-level cities of a province (default: the platform's own province)."""
    return City.objects.filter(province_id=province_code or settings.PLATFORM_PROVINCE_CODE).order_by("code")


# county-level cities administered directly by Hubei province (GB/T 2260 code 4290: 省直辖县级行政区划)
PROVINCE_ADMINISTERED = ("仙桃", "潜江", "天门", "神农架")


def city_for_region(region: str, cities: Sequence[City]) -> City | None:
    """The prefecture-level city a free-text region names: `武汉` / `武汉市` → 武汉市, `恩施` → 恩施…自治州, the
    province-administered county-level cities (仙桃, 潜江, 天门, 神农架) → 省直辖; None when nothing fits."""
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
    if text.startswith(PROVINCE_ADMINISTERED):
        return next((c for c in cities if c.code.endswith("90")), None)
    return None

"""Reads for reference data."""

from django.conf import settings
from django.db.models import QuerySet

from core.models import City


def city_list(*, province_code: str | None = None) -> QuerySet[City]:
    """Prefecture-level cities of a province (default: the platform's own province)."""
    return City.objects.filter(province_id=province_code or settings.PLATFORM_PROVINCE_CODE).order_by("code")

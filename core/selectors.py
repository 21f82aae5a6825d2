"""Reads for reference data."""

from django.conf import settings
from django.db.models import QuerySet

from core.models import City


def city_list(*, province_code: str | None = None) -> QuerySet[City]:
    """Prefecture-level cities of a province (default: the platform's own province)."""
    return City.objects.filter(province_id=province_code or settings.PLATFORM_PROVINCE_CODE).order_by("code")


def import_job_get(*, user, pk: int):
    """An import job if `user` may see it: officers their institution's, others their own uploads, admins all."""
    from core.models import ImportJob

    qs = ImportJob.objects.select_related("institution", "created_by")
    if not user.is_authenticated:
        return None
    if user.is_platform_admin:
        return qs.filter(pk=pk).first()
    if user.is_officer:
        return qs.filter(pk=pk, institution_id=user.institution_id).first()
    return qs.filter(pk=pk, created_by=user).first()

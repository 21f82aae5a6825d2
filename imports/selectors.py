"""Reads of import jobs."""

from imports.models import ImportJob


def import_job_list(*, user, kind: str | None = None):
    """Import jobs `user` may see, newest first: officers their institution's, others their own uploads, admins all."""
    qs = ImportJob.objects.select_related("institution", "created_by").order_by("-created_at")
    if kind is not None:
        qs = qs.filter(kind=kind)
    if not user.is_authenticated:
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.is_officer:
        return qs.filter(institution_id=user.institution_id)
    return qs.filter(created_by=user)


def import_job_get(*, user, pk: int, kind: str | None = None):
    """One import job if `user` may see it, else None (callers answer 404)."""
    return import_job_list(user=user, kind=kind).filter(pk=pk).first()

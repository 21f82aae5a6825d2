"""Reads of import jobs: the scoped queryset (the rule of accounts.access, applied to ImportJob) and the reads built
on it."""

from typing import Any

from django.db.models import QuerySet

from accounts.access import is_officer, is_platform_admin
from imports.models import ImportJob


def import_jobs_visible_to(*, user: Any) -> QuerySet[ImportJob]:
    """Import jobs `user` (a User or an AnonymousUser) may see: platform admins all, officers their institution's,
    others their own uploads."""
    qs = ImportJob.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if is_platform_admin(user):
        return qs
    if is_officer(user):
        return qs.filter(institution_id=user.institution_id)
    return qs.filter(created_by=user)


def import_job_list(*, user: Any, kind: str | None = None) -> QuerySet[ImportJob]:
    """Import jobs `user` may see (`import_jobs_visible_to`), newest first."""
    qs = import_jobs_visible_to(user=user).select_related("institution", "created_by").order_by("-created_at")
    return qs.filter(kind=kind) if kind is not None else qs


def import_job_get(*, user: Any, pk: int, kind: str | None = None) -> ImportJob | None:
    """One import job if `user` may see it, else None (callers answer 404)."""
    return import_job_list(user=user, kind=kind).filter(pk=pk).first()

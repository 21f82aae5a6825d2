"""Reads of import jobs."""

from accounts.access import import_jobs_visible_to


def import_job_list(*, user, kind: str | None = None):
    """Import jobs `user` may see (accounts.access.import_jobs_visible_to), newest first."""
    qs = import_jobs_visible_to(user).select_related("institution", "created_by").order_by("-created_at")
    return qs.filter(kind=kind) if kind is not None else qs


def import_job_get(*, user, pk: int, kind: str | None = None):
    """One import job if `user` may see it, else None (callers answer 404)."""
    return import_job_list(user=user, kind=kind).filter(pk=pk).first()

"""Writes for follows (关注) of pooled patents."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import is_enterprise_member
from accounts.models import User
from core.cache_generation import dashboard_cache_invalidate
from enterprises.errors import not_found
from enterprises.models import PatentFollow
from patents.models import Patent


def patent_follow(*, user: User, patent: Patent, now: datetime | None = None) -> PatentFollow:
    """Follow a pooled patent for the user's enterprise; following twice returns the existing follow."""
    if not is_enterprise_member(user) or not patent.is_pooled:
        raise not_found()
    enterprise_pk = user.enterprise_id
    assert enterprise_pk is not None  # is_enterprise_member checked it
    existing = PatentFollow.objects.filter(enterprise_id=enterprise_pk, patent=patent).first()
    if existing is not None:
        return existing
    dashboard_cache_invalidate()
    try:
        with transaction.atomic():
            return PatentFollow.objects.create(
                enterprise_id=enterprise_pk, patent=patent, created_by=user, created_at=now or timezone.now()
            )
    except IntegrityError:  # a concurrent click committed first
        return PatentFollow.objects.get(enterprise_id=enterprise_pk, patent=patent)


def patent_unfollow(*, user: User, patent: Patent) -> bool:
    """Stop following; returns whether a follow existed."""
    if not is_enterprise_member(user) or user.enterprise_id is None:  # (the second test narrows the type)
        raise not_found()
    deleted, _ = PatentFollow.objects.filter(enterprise_id=user.enterprise_id, patent=patent).delete()
    dashboard_cache_invalidate()
    return deleted > 0

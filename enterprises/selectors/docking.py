"""Reads of docking requests: which requests a user may see (the rule of accounts.access), the lists and the
inbox, a user's part in a request and its allowed actions, the contact a request starts with, response times and
decline reasons. `user` is a User or an AnonymousUser, as request.user is."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from accounts.access import is_city_staff, is_college_admin, is_enterprise_member, is_officer, is_province_staff
from accounts.models import User
from enterprises.docking import OPEN, DockingParty, docking_allowed_actions
from enterprises.models import (
    DeclineReason,
    DockingRequest,
    DockingStatus,
)
from patents.models import Institution

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def dockings_visible_to(*, user: Any) -> QuerySet[DockingRequest]:
    """Docking requests `user` may see: province all, city staff those to their city's institutions (the dashboard's
    对接请求, by the university's city), officers their institution's, members their enterprise's."""
    qs = DockingRequest.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(institution__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(institution_id=user.institution_id)
    if is_college_admin(user):
        return qs.filter(institution_id=user.institution_id, patent__college_id=user.college_id)
    if is_enterprise_member(user):
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def docking_visible_to(*, user: Any, docking: DockingRequest) -> bool:
    """Whether `user` may see this one request (the same rule as `dockings_visible_to`, without a query)."""
    if is_province_staff(user):
        return True
    if is_city_staff(user):
        return docking.institution.city_id == user.city_id
    if is_officer(user):
        return docking.institution_id == user.institution_id
    if is_college_admin(user):
        return bool(
            docking.institution_id == user.institution_id
            and docking.patent is not None
            and docking.patent.college_id == user.college_id
        )
    if is_enterprise_member(user):
        return docking.enterprise_id == user.enterprise_id
    return False


def docking_contact_defaults(*, user: User) -> dict[str, str]:
    """The contact a docking request starts with: the enterprise profile's, else the member's own account."""
    enterprise = user.enterprise
    return {
        "contact_name": (enterprise.contact_name if enterprise else "") or user.get_full_name(),
        "contact_phone": (enterprise.contact_phone if enterprise else "") or user.phone,
        "contact_email": (enterprise.contact_email if enterprise else "") or user.email,
    }


def docking_overdue_before(*, now: datetime | None = None) -> datetime:
    """Requests still unanswered that were submitted before this moment are overdue."""
    return (now or timezone.now()) - timedelta(days=settings.DOCKING_OVERDUE_DAYS)


class DockingListAnnotations(TypedDict):
    """The fields docking_list adds to each request."""

    is_overdue: bool


def docking_list(
    *, user: User, now: datetime | None = None
) -> "QuerySet[WithAnnotations[DockingRequest, DockingListAnnotations]]":
    """Docking requests visible to `user`, annotated with `is_overdue` as of `now` (injectable for tests).

    The rule is `dockings_visible_to` (a city bureau: requests of its city's enterprises).
    """
    return (
        dockings_visible_to(user=user)
        .select_related(
            "enterprise", "enterprise__city", "institution", "institution__city", "patent", "need", "created_by"
        )
        .annotate(
            is_overdue=Case(
                When(
                    status=DockingStatus.SUBMITTED,
                    submitted_at__lt=docking_overdue_before(now=now),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def docking_inbox(*, user: User, now: datetime | None = None) -> "QuerySet[DockingRequest]":
    """The officer's inbox order: waiting (submitted) requests first, overdue then oldest; then the other open ones,
    oldest first; then the closed ones, most recently closed first."""
    queue = Case(
        When(status=DockingStatus.SUBMITTED, then=Value(0)),
        When(status__in=OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        docking_list(user=user, now=now)
        .annotate(queue=queue)
        .order_by("queue", "-is_overdue", F("closed_at").desc(nulls_first=True), "submitted_at", "pk")
    )


def docking_waiting(*, user: User, now: datetime | None = None) -> "QuerySet[DockingRequest]":
    """Requests visible to `user` still waiting for the institution's first answer, in inbox order."""
    return docking_inbox(user=user, now=now).filter(status=DockingStatus.SUBMITTED)


def docking_get(*, user: User, pk: int, now: datetime | None = None) -> DockingRequest | None:
    """One docking request if `user` may see it, else None (callers answer 404)."""
    return docking_list(user=user, now=now).filter(pk=pk).first()


def docking_party(*, docking: DockingRequest, user: User | None) -> DockingParty | None:
    """How `user` relates to `docking` (None user = the system); None when the user may not even see it."""
    if user is None:
        return DockingParty.SYSTEM
    if not user.is_authenticated:
        return None
    if is_enterprise_member(user) and user.enterprise_id == docking.enterprise_id:
        return DockingParty.ENTERPRISE
    if is_officer(user) and user.institution_id == docking.institution_id:
        return DockingParty.INSTITUTION
    if docking_visible_to(user=user, docking=docking):
        return DockingParty.OBSERVER
    return None


def docking_actions_for(*, docking: DockingRequest, user: User) -> list[str]:
    """The actions `user` may take on `docking` now (the buttons a page shows, the list a 409 names)."""
    return docking_allowed_actions(status=docking.status, party=docking_party(docking=docking, user=user))


@dataclass(frozen=True)
class InstitutionResponseTime:
    """An institution's docking responsiveness: first responses (accept or decline) and what is still waiting."""

    institution_pk: int
    institution_name: str
    answered: int
    median_hours: float | None
    waiting: int
    overdue: int


def institution_response_times(
    *,
    institutions: QuerySet[Institution] | None = None,
    requests: QuerySet[DockingRequest] | None = None,
    now: datetime | None = None,
) -> list[InstitutionResponseTime]:
    """Median first-response time per institution (hours, answered requests only) and unanswered/overdue counts,
    over `requests` (default: every request; the dashboards pass the requests submitted in their date range).

    Computed in Python so that SQLite and PostgreSQL agree; only institutions with docking requests appear.
    """
    requests = DockingRequest.objects.all() if requests is None else requests
    if institutions is not None:
        requests = requests.filter(institution__in=institutions)
    cutoff = docking_overdue_before(now=now)
    durations: dict[int, list[float]] = {}
    waiting: dict[int, int] = {}
    overdue: dict[int, int] = {}
    rows = requests.values_list("institution_id", "status", "submitted_at", "responded_at")
    for institution_pk, status, submitted_at, responded_at in rows:
        durations.setdefault(institution_pk, [])
        if responded_at is not None:
            durations[institution_pk].append((responded_at - submitted_at).total_seconds() / 3600)
        elif status == DockingStatus.SUBMITTED:
            waiting[institution_pk] = waiting.get(institution_pk, 0) + 1
            if submitted_at < cutoff:
                overdue[institution_pk] = overdue.get(institution_pk, 0) + 1
    names = dict(Institution.objects.filter(pk__in=durations).values_list("pk", "name"))
    return sorted(
        (
            InstitutionResponseTime(
                institution_pk=pk,
                institution_name=names[pk],
                answered=len(hours),
                median_hours=round(statistics.median(hours), 2) if hours else None,
                waiting=waiting.get(pk, 0),
                overdue=overdue.get(pk, 0),
            )
            for pk, hours in durations.items()
        ),
        key=lambda row: (row.median_hours is None, row.median_hours or 0, row.institution_name),
    )


def docking_decline_reason_counts(*, user: User) -> dict[str, int]:
    """Declined requests the user sees, counted by structured reason (every reason present, zero included)."""
    counts = dict.fromkeys(DeclineReason.values, 0)
    rows = (
        docking_list(user=user)
        .filter(status=DockingStatus.DECLINED)
        .values("decline_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["decline_reason"] in counts:
            counts[row["decline_reason"]] = row["n"]
    return counts

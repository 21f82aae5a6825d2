"""Reads for enterprises, needs, follows, docking and notifications, scoped to what the user may see: the scoped
querysets of this app's models (the rule of accounts.access) and the reads built on them."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import is_city_staff, is_enterprise_member, is_officer, is_province_staff
from accounts.models import Role, User
from core.models import AuditLog
from enterprises.docking import OPEN, DockingParty, docking_allowed_actions
from enterprises.models import (
    DeclineReason,
    DockingRequest,
    DockingStatus,
    Enterprise,
    EnterpriseClaim,
    Notification,
    PatentFollow,
    TechNeed,
)
from patents.models import Institution, Patent

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# --- scoped querysets (`user`: a User or an AnonymousUser, as request.user is) -------------------------------------


def enterprises_visible_to(*, user: Any) -> QuerySet[Enterprise]:
    """Enterprises `user` may see: province and officers all, city staff those in their city, members their own."""
    qs = Enterprise.objects.all()
    if is_province_staff(user) or is_officer(user):
        return qs
    if is_city_staff(user):
        return qs.filter(city_id=user.city_id)
    if is_enterprise_member(user):
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def needs_visible_to(*, user: Any) -> QuerySet[TechNeed]:
    """Needs `user` may see: province all, city staff their city's enterprises', officers the open ones, members their
    enterprise's."""
    qs = TechNeed.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(enterprise__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(status=TechNeed.Status.OPEN)
    if is_enterprise_member(user):
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def follows_visible_to(*, user: Any) -> QuerySet[PatentFollow]:
    """Follows `user` may see: province all, city staff those of their city's institutions' patents (the funnel's
    被关注, by the university's city), officers those of their institution's patents, members their enterprise's."""
    qs = PatentFollow.objects.all()
    if is_province_staff(user):
        return qs
    if is_city_staff(user):
        return qs.filter(patent__institution__city_id=user.city_id)
    if is_officer(user):
        return qs.filter(patent__institution_id=user.institution_id)
    if is_enterprise_member(user):
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


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
    if is_enterprise_member(user):
        return docking.enterprise_id == user.enterprise_id
    return False


# --- reads ---------------------------------------------------------------------------------------------------------


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises visible to `user` (the rule is `enterprises_visible_to`), with their city."""
    return enterprises_visible_to(user=user).select_related("city")


def enterprise_review_queue(*, user: User) -> QuerySet[Enterprise]:
    """Registrations waiting for manual review that `user` may decide (province bureau and admins all, city its own)."""
    if not (is_province_staff(user) or is_city_staff(user)):
        return Enterprise.objects.none()
    qs = enterprises_visible_to(user=user).select_related("city").filter(verification=Enterprise.Verification.REVIEW)
    return qs.order_by("created_at", "pk")


def enterprise_recipients() -> QuerySet[User]:
    """The users a notification to an enterprise reaches: its active enterprise members (a push to an enterprise
    with none reaches nobody, so it is not made)."""
    return User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise__isnull=False)


def docking_contact_defaults(*, user: User) -> dict[str, str]:
    """The contact a docking request starts with: the enterprise profile's, else the member's own account."""
    enterprise = user.enterprise
    return {
        "contact_name": (enterprise.contact_name if enterprise else "") or user.get_full_name(),
        "contact_phone": (enterprise.contact_phone if enterprise else "") or user.phone,
        "contact_email": (enterprise.contact_email if enterprise else "") or user.email,
    }


def enterprise_reviewers(*, enterprise: Enterprise) -> list[User]:
    """The bureau staff who review this enterprise's registration or claims: the province, and its city's bureau."""
    scope = Q(role=Role.BUREAU_PROVINCE)
    if enterprise.city_id:
        scope |= Q(role=Role.BUREAU_CITY, city_id=enterprise.city_id)
    return list(User.objects.filter(scope, is_active=True))


class ClaimAnnotations(TypedDict):
    """The field enterprise_claim_list adds to each claim."""

    rivals: int


def enterprise_claim_list(
    *, user: User, status: str | None = EnterpriseClaim.Status.PENDING
) -> "QuerySet[WithAnnotations[EnterpriseClaim, ClaimAnnotations]]":
    """Claims of registry enterprises that `user` may review (province bureau and admins all, city staff those of
    enterprises in their city), oldest first, each with `rivals`: the other pending claims of the same enterprise.

    `status` None lists every claim; the default lists those waiting for a decision (the review queue).
    """
    rivals = (
        EnterpriseClaim.objects.filter(enterprise_id=OuterRef("enterprise_id"), status=EnterpriseClaim.Status.PENDING)
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    if not (is_province_staff(user) or is_city_staff(user)):
        qs = EnterpriseClaim.objects.none()
    else:
        qs = EnterpriseClaim.objects.filter(enterprise__in=enterprises_visible_to(user=user))
    if status is not None:
        qs = qs.filter(status=status)
    return (
        qs.select_related("enterprise", "enterprise__city", "city", "claimant", "reviewer")
        .annotate(rivals=Coalesce(Subquery(rivals, output_field=IntegerField()), Value(0)))
        .order_by("created_at", "pk")
    )


def enterprise_claims_of(*, user: User) -> QuerySet[EnterpriseClaim]:
    """The claims `user` submitted, newest first (what the claimant's home page and `claims/mine/` show)."""
    if not user.is_authenticated:
        return EnterpriseClaim.objects.none()
    return (
        EnterpriseClaim.objects.filter(claimant=user)
        .select_related("enterprise", "city")
        .order_by("-created_at", "-pk")
    )


def enterprise_for_claim_code(*, user: User, uscc: str) -> Enterprise | None:
    """The enterprise of this code if `user` (bureau staff or admin) may issue it a claim code: it is in the user's
    scope (a city bureau: its city's). None otherwise (the service refuses an enterprise that has an account)."""
    if not (is_province_staff(user) or is_city_staff(user)):
        return None
    return enterprises_visible_to(user=user).select_related("city").filter(uscc=uscc.strip().upper()).first()


@dataclass(frozen=True)
class UnreviewedClaim:
    """A member who joined a registry enterprise by code and name alone, before claims were reviewed (issue 21)."""

    enterprise: Enterprise
    member: User
    registered_at: datetime


def enterprise_claims_unreviewed() -> list[UnreviewedClaim]:
    """Members still bound to a registry enterprise they joined through the old sign-up, which verified anyone who
    typed a registry enterprise's code and name: its audit row `enterprise.register` says "verified" (a new
    enterprise always registered as "review"), and no approved claim of the enterprise exists. For the bureau to
    re-check (`manage.py registry_claims_unreviewed`)."""
    rows = AuditLog.objects.filter(
        action="enterprise.register", target_type="Enterprise", detail__verification="verified", actor__isnull=False
    ).order_by("created_at", "pk")
    approved = set(
        EnterpriseClaim.objects.filter(status=EnterpriseClaim.Status.APPROVED).values_list("enterprise_id", flat=True)
    )
    out = []
    for row in rows.select_related("actor", "actor__enterprise", "actor__enterprise__city"):
        member = row.actor
        if member is None or member.enterprise is None or str(member.enterprise_id) != row.target_id:
            continue  # no longer a member of that enterprise
        if member.enterprise_id in approved:
            continue
        out.append(UnreviewedClaim(enterprise=member.enterprise, member=member, registered_at=row.created_at))
    return out


def tech_need_list(*, user: User) -> QuerySet[TechNeed]:
    """Needs visible to `user` (the rule is `needs_visible_to`), with their enterprise."""
    return needs_visible_to(user=user).select_related("enterprise")


def tech_need_get_own(*, user: User, pk: int) -> TechNeed | None:
    """One of the user's own enterprise's needs (for editing), else None."""
    if not is_enterprise_member(user) or user.enterprise_id is None:  # (the second test narrows the type)
        return None
    return TechNeed.objects.filter(enterprise_id=user.enterprise_id, pk=pk).first()


def patent_follow_list(*, user: User) -> QuerySet[PatentFollow]:
    """Follows visible to `user` (the rule is `follows_visible_to`)."""
    return follows_visible_to(user=user).select_related(
        "enterprise", "enterprise__city", "patent", "patent__institution"
    )


@dataclass(frozen=True)
class PatentActionsState:
    """What the follow / request-docking buttons on a patent's page show for one user."""

    is_member: bool
    can_follow: bool
    is_following: bool
    can_request_docking: bool
    open_docking: DockingRequest | None
    follower_count: int | None  # only for officers of the owning institution


def patent_actions_state(*, user: User, patent: Patent) -> PatentActionsState:
    """Follow and docking state of one patent for the patent page's action buttons."""
    is_member = is_enterprise_member(user)
    is_following, open_docking, follower_count = False, None, None
    if is_member:
        assert user.enterprise_id is not None  # is_member checked it
        is_following = PatentFollow.objects.filter(enterprise_id=user.enterprise_id, patent=patent).exists()
        open_docking = (
            DockingRequest.objects.filter(enterprise_id=user.enterprise_id, patent=patent)
            .filter(status__in=[DockingStatus.SUBMITTED, DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING])
            .first()
        )
    elif is_officer(user) and user.institution_id == patent.institution_id:
        follower_count = PatentFollow.objects.filter(patent=patent).count()
    verified = is_member and user.enterprise is not None and user.enterprise.is_verified
    return PatentActionsState(
        is_member=is_member,
        can_follow=is_member and patent.is_pooled,
        is_following=is_following,
        can_request_docking=verified and patent.is_pooled and open_docking is None,
        open_docking=open_docking,
        follower_count=follower_count,
    )


# --- docking ------------------------------------------------------------------------------------


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


# --- notifications ------------------------------------------------------------------------------


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread."""
    return notification_list(user=user).filter(read_at__isnull=True).count()

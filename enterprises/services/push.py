"""Pushing a pooled patent to enterprises (推送): the officer's action on a patent's matched-enterprises list.

One PatentPush row per (patent, enterprise) push and one in-app notification (kind "push") per active member of the
enterprise, linking to the patent page where 关注 and 发起对接 are one click. Pushing the same patent to the same
enterprise again within PATENT_PUSH_REPEAT_HOURS creates nothing and is reported as already pushed. An enterprise
with no active member (nobody to receive it) is not pushed: nothing is recorded and the answer names it.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_officer_bureau_or_admin
from accounts.models import User
from core.errors import ApplicationError
from core.services import audit_log_record
from enterprises.errors import NotFoundError
from enterprises.models import Enterprise, Notification, PatentPush
from enterprises.notification_texts import PUSH
from enterprises.selectors.notifications import enterprise_recipients
from enterprises.selectors.profile import enterprises_visible_to
from enterprises.services.notifications import notification_send
from patents.models import Patent
from patents.selectors import patents_visible_to

MESSAGE_MAX_LENGTH = 300
MAX_ENTERPRISES = 200  # one push: at most a few pages of the list
OUT_OF_SCOPE_MESSAGE = "该专利不在您的管理范围内，不能推送 / This patent is outside your scope and cannot be pushed"
NOT_POOLED_MESSAGE = "只能推送已入池的专利 / Only patents in the pool can be pushed"


@dataclass
class PushResult:
    """What one push did: the enterprises notified now, those pushed recently (skipped), those not pushed because no
    active member can receive it (`without_members`: nothing recorded), and how many users were notified."""

    pushed: list[Enterprise] = field(default_factory=list)
    already: list[Enterprise] = field(default_factory=list)
    without_members: list[Enterprise] = field(default_factory=list)
    notified: int = 0


def patent_push_check(*, patent: Patent, user: User) -> None:
    """Refuse a patent the user may not push: outside their scope (404, its existence not revealed) or not pooled."""
    if not is_officer_bureau_or_admin(user) or not patents_visible_to(user=user).filter(pk=patent.pk).exists():
        raise NotFoundError(OUT_OF_SCOPE_MESSAGE)
    if not patent.is_pooled:
        raise ApplicationError(NOT_POOLED_MESSAGE)


def _enterprises_checked(*, user: User, enterprise_ids: Collection[int]) -> list[Enterprise]:
    """The enterprises asked for, in the order given (duplicates dropped); any id the user may not see is an error
    of its own, and then nothing is pushed."""
    ids = list(dict.fromkeys(enterprise_ids))
    if not ids:
        raise ValidationError({"enterprise_ids": "请至少选择一家企业 / Select at least one enterprise"})
    if len(ids) > MAX_ENTERPRISES:
        raise ValidationError(
            {"enterprise_ids": f"一次最多推送 {MAX_ENTERPRISES} 家企业 / At most {MAX_ENTERPRISES} enterprises a push"}
        )
    found = enterprises_visible_to(user=user).in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                str(pk): f"企业 {pk} 不存在或不在您的范围内 / Enterprise {pk} does not exist or is outside your scope"
                for pk in missing
            }
        )
    return [found[pk] for pk in ids]


@transaction.atomic
def patent_push(
    *,
    patent: Patent,
    enterprise_ids: Collection[int],
    user: User,
    message: str = "",
    now: datetime | None = None,
) -> PushResult:
    """Push a pooled patent the user manages to the given enterprises (ids the user may see): record who pushed when
    and notify each enterprise's active members; enterprises pushed within PATENT_PUSH_REPEAT_HOURS are skipped, and
    those with no active member are not pushed (nothing recorded, listed in `without_members`)."""
    now = now or timezone.now()
    patent_push_check(patent=patent, user=user)
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": f"附言最多 {MESSAGE_MAX_LENGTH} 字 / At most {MESSAGE_MAX_LENGTH} characters"}
        )
    enterprises = _enterprises_checked(user=user, enterprise_ids=enterprise_ids)
    # two officers pushing the same patent at once: the second waits here and then sees the first one's rows
    Patent.objects.select_for_update().filter(pk=patent.pk).first()
    since = now - timedelta(hours=settings.PATENT_PUSH_REPEAT_HOURS)
    recent = set(
        PatentPush.objects.filter(
            patent=patent, enterprise_id__in=[e.pk for e in enterprises], created_at__gte=since
        ).values_list("enterprise_id", flat=True)
    )
    result = PushResult(already=[e for e in enterprises if e.pk in recent])
    members: dict[int, list[User]] = {}
    for member in (
        enterprise_recipients()
        .filter(enterprise_id__in=[e.pk for e in enterprises if e.pk not in recent])
        .order_by("pk")
    ):
        assert member.enterprise_id is not None  # filtered on it
        members.setdefault(member.enterprise_id, []).append(member)
    result.without_members = [e for e in enterprises if e.pk not in recent and e.pk not in members]
    fresh = [e for e in enterprises if e.pk in members]
    if not fresh:
        return result
    PatentPush.objects.bulk_create(
        [PatentPush(patent=patent, enterprise=e, pushed_by=user, message=message, created_at=now) for e in fresh]
    )
    params = {
        "title": patent.title,
        "number": patent.application_number,
        "sender": patent.institution.name if patent.institution_id else "",  # "": the platform, in the reader's words
        "note": message,
    }
    url = reverse("patents:detail", args=[patent.pk])
    for enterprise in fresh:
        result.notified += len(
            notification_send(
                recipients=members[enterprise.pk],
                kind=Notification.Kind.PUSH,
                message_kind=PUSH,
                params=params,
                url=url,
                now=now,
            )
        )
    result.pushed = fresh
    audit_log_record(actor=user, action="patent.push", target=patent, detail={"enterprises": [e.pk for e in fresh]})
    return result

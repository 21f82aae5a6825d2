"""Recommending patents for an open need (需求大厅 → 推荐给企业): an officer picks some of their institution's pooled
patents for a need and the enterprise is told, as a push tells it (enterprises.services.push).

Each recommended patent is a push of that patent to the need's enterprise: one PatentPush row, one in-app
notification (kind "push", naming the need) per active member, linking to the patent page where 关注 and 发起对接
are one click. The same repeat limit: a patent pushed or recommended to the enterprise within
PATENT_PUSH_REPEAT_HOURS is skipped and reported as already sent. An enterprise with no active member is not told
anything and nothing is recorded. One audit row per recommendation (``need.recommend``).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import is_officer
from accounts.models import User
from core.errors import ApplicationError
from core.services import audit_log_record
from enterprises.errors import NotFoundError
from enterprises.models import Enterprise, Notification, PatentPush, TechNeed
from enterprises.notification_texts import NEED_PUSH
from enterprises.selectors.needs import needs_visible_to
from enterprises.selectors.notifications import enterprise_recipients
from enterprises.services.notifications import notification_send
from enterprises.services.push import MESSAGE_MAX_LENGTH
from patents.models import Patent
from patents.selectors import patents_pooled_visible_to

MAX_PATENTS = 10  # one recommendation: a short, chosen list
NEED_NOT_FOUND_MESSAGE = "该需求不存在或已关闭 / This need does not exist or is closed"
OFFICERS_ONLY_MESSAGE = "仅高校技术转移人员可以推荐专利 / Only tech-transfer officers can recommend patents"


@dataclass
class NeedRecommendResult:
    """What one recommendation did: the patents sent now, those sent to the enterprise recently (skipped), whether
    the enterprise has nobody to receive it (then nothing was sent or recorded), and how many users were told."""

    enterprise: Enterprise
    sent: list[Patent] = field(default_factory=list)
    already: list[Patent] = field(default_factory=list)
    without_members: bool = False
    notified: int = 0


def _patents_checked(*, user: User, patent_ids: Collection[int]) -> list[Patent]:
    """The patents asked for, in the order given (duplicates dropped), each one of the officer's institution's pooled
    patents; any other id is an error of its own, and then nothing is sent."""
    ids = list(dict.fromkeys(patent_ids))
    if not ids:
        raise ValidationError({"patent_ids": "请至少选择一件专利 / Select at least one patent"})
    if len(ids) > MAX_PATENTS:
        raise ValidationError(
            {"patent_ids": f"一次最多推荐 {MAX_PATENTS} 件专利 / At most {MAX_PATENTS} patents a recommendation"}
        )
    found = patents_pooled_visible_to(user=user).select_related("institution").in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                str(pk): f"专利 {pk} 不存在或不是本单位已入池的专利 / "
                f"Patent {pk} does not exist or is not a pooled patent of your institution"
                for pk in missing
            }
        )
    return [found[pk] for pk in ids]


def need_recommend_check(*, need: TechNeed, user: User) -> None:
    """Refuse a user who may not recommend (officers only: ApplicationError) or a need they may not see or that is
    closed (NotFoundError, its existence not revealed)."""
    if not is_officer(user):
        raise ApplicationError(OFFICERS_ONLY_MESSAGE)
    if not needs_visible_to(user=user).filter(pk=need.pk, status=TechNeed.Status.OPEN).exists():
        raise NotFoundError(NEED_NOT_FOUND_MESSAGE)


@transaction.atomic
def need_patents_recommend(
    *,
    need: TechNeed,
    patent_ids: Collection[int],
    user: User,
    message: str = "",
    now: datetime | None = None,
) -> NeedRecommendResult:
    """Recommend some of the officer's institution's pooled patents to the enterprise of an open need: each patent not
    sent to it within PATENT_PUSH_REPEAT_HOURS is recorded as a push and notified to each active member."""
    now = now or timezone.now()
    need_recommend_check(need=need, user=user)
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"message": f"附言最多 {MESSAGE_MAX_LENGTH} 字 / At most {MESSAGE_MAX_LENGTH} characters"}
        )
    patents = _patents_checked(user=user, patent_ids=patent_ids)
    # two officers recommending to the same enterprise at once: the second waits here, then sees the first's rows
    enterprise = Enterprise.objects.select_for_update().get(pk=need.enterprise_id)
    result = NeedRecommendResult(enterprise=enterprise)
    since = now - timedelta(hours=settings.PATENT_PUSH_REPEAT_HOURS)
    recent = set(
        PatentPush.objects.filter(
            enterprise=enterprise, patent_id__in=[p.pk for p in patents], created_at__gte=since
        ).values_list("patent_id", flat=True)
    )
    result.already = [p for p in patents if p.pk in recent]
    fresh = [p for p in patents if p.pk not in recent]
    members = list(enterprise_recipients().filter(enterprise=enterprise).order_by("pk"))
    if not members:
        result.without_members = True
        return result
    if not fresh:
        return result
    PatentPush.objects.bulk_create(
        [PatentPush(patent=p, enterprise=enterprise, pushed_by=user, message=message, created_at=now) for p in fresh]
    )
    for patent in fresh:
        params = {
            "title": patent.title,
            "number": patent.application_number,
            "sender": patent.institution.name if patent.institution_id else "",
            "need": need.title,
            "note": message,
        }
        result.notified += len(
            notification_send(
                recipients=members,
                kind=Notification.Kind.PUSH,
                message_kind=NEED_PUSH,
                params=params,
                url=reverse("patents:detail", args=[patent.pk]),
                now=now,
            )
        )
    result.sent = fresh
    audit_log_record(
        actor=user,
        action="need.recommend",
        target=need,
        detail={"enterprise": enterprise.pk, "patents": [p.pk for p in fresh]},
    )
    return result

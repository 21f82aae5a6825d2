"""Writes for saved searches (订阅): save a search, mark a need 提醒我, delete, unsubscribe by a signed link, and the
home page's last visit. Members act on their own enterprise's subscriptions only."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.numbers import parse_id
from core.errors import ApplicationError
from core.services import audit_log_record
from enterprises.errors import not_found
from enterprises.models import SAVED_SEARCH_FILTERS, HomeVisit, SavedSearch, TechNeed
from patents.models import PatentType, TransferMode

UNSUBSCRIBE_SALT = "enterprises.saved_search.unsubscribe"
NAME_MAX = 100
TEXT_MAX = 500
FILTER_VALUE_MAX = 40
# two home visits closer than this are one visit: a reload does not hide what was new a moment ago
HOME_VISIT_GAP = timedelta(minutes=30)


def _filters_cleaned(raw: Any) -> dict[str, str]:
    """The search page's filters, checked: known keys, short values, ids as ids, types and modes as their codes."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationError({"filters": ["筛选条件格式有误 / filters must be an object"]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key, value in raw.items():
        field = f"filters.{key}"
        if key not in SAVED_SEARCH_FILTERS:
            errors[field] = [f"未知的筛选条件 / unknown filter (allowed: {', '.join(SAVED_SEARCH_FILTERS)})"]
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        if len(text) > FILTER_VALUE_MAX or not isinstance(value, str | int):
            errors[field] = ["筛选值有误 / invalid filter value"]
        elif key == "city" and not (len(text) == 4 and text.isdigit()):
            errors[field] = ["城市代码应为4位数字 / a city code has 4 digits"]
        elif key == "institution" and parse_id(text) is None:
            errors[field] = ["请填写编号 / must be an id"]
        elif key == "ipc_section" and not (len(text) == 1 and "A" <= text <= "H"):
            errors[field] = ["IPC 部应为 A–H / an IPC section is one of A–H"]
        elif key == "patent_type" and text not in PatentType.values:
            errors[field] = ["未知的专利类型 / unknown patent type"]
        elif key == "mode" and text not in TransferMode.values:
            errors[field] = ["未知的转化方式 / unknown transfer mode"]
        else:
            cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def _member_enterprise_id(user: User) -> int:
    if user.enterprise_id is None:
        raise ApplicationError("只有企业用户可以订阅 / only enterprise members can subscribe")
    return user.enterprise_id


def _room_left(user: User) -> None:
    if SavedSearch.objects.filter(user=user).count() >= settings.ALERTS_MAX_PER_USER:
        raise ValidationError(
            {
                "name": [
                    f"订阅已达上限 {settings.ALERTS_MAX_PER_USER} 个，请先删除不用的订阅 / "
                    f"at most {settings.ALERTS_MAX_PER_USER} subscriptions: delete one first"
                ]
            }
        )


@transaction.atomic
def saved_search_create(
    *, user: User, name: str, text: str, filters: Any = None, now: datetime | None = None
) -> SavedSearch:
    """Save a search (its words and filters) for the member: alerts start from now (patents pooled before are not
    news). A missing name is the words themselves."""
    enterprise_id = _member_enterprise_id(user)
    errors: dict[str, list[str]] = {}
    text = " ".join(str(text or "").split())
    name = " ".join(str(name or "").split()) or text[:NAME_MAX]
    if not text:
        errors["text"] = ["请填写检索词 / enter the words to search for"]
    elif len(text) > TEXT_MAX:
        errors["text"] = [f"检索词不能超过 {TEXT_MAX} 个字符 / at most {TEXT_MAX} characters"]
    if len(name) > NAME_MAX:
        errors["name"] = [f"名称不能超过 {NAME_MAX} 个字符 / at most {NAME_MAX} characters"]
    try:
        cleaned = _filters_cleaned(filters)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    _room_left(user)
    moment = now or timezone.now()
    saved = SavedSearch.objects.create(
        enterprise_id=enterprise_id,
        user=user,
        name=name,
        text=text,
        filters=cleaned,
        created_at=moment,
        last_alert_at=moment,
    )
    audit_log_record(actor=user, action="saved_search.create", detail={"saved_search": saved.pk})
    return saved


@transaction.atomic
def need_alert_set(*, user: User, need: TechNeed, on: bool, now: datetime | None = None) -> SavedSearch | None:
    """提醒我 on one of the member's enterprise's needs (on: a subscription of the need, active; off: deleted).
    Returns the subscription, or None when it was turned off."""
    if need.enterprise_id != _member_enterprise_id(user):
        raise not_found()
    existing = SavedSearch.objects.select_for_update().filter(user=user, need=need).first()
    if not on:
        if existing is not None:
            existing.delete()
            audit_log_record(actor=user, action="saved_search.delete", detail={"need": need.pk})
        return None
    moment = now or timezone.now()
    if existing is not None:
        if not existing.active:
            existing.active = True
            existing.last_alert_at = moment
            existing.save(update_fields=["active", "last_alert_at"])
        return existing
    _room_left(user)
    saved = SavedSearch.objects.create(
        enterprise_id=need.enterprise_id,
        user=user,
        name=need.title[:NAME_MAX],
        need=need,
        created_at=moment,
        last_alert_at=moment,
    )
    audit_log_record(actor=user, action="saved_search.create", detail={"saved_search": saved.pk, "need": need.pk})
    return saved


@transaction.atomic
def saved_search_delete(*, user: User, saved_search: SavedSearch) -> None:
    """Delete a subscription of the member's enterprise (what was sent for it goes with it)."""
    if saved_search.enterprise_id != user.enterprise_id:
        raise not_found()
    pk = saved_search.pk
    saved_search.delete()
    audit_log_record(actor=user, action="saved_search.delete", detail={"saved_search": pk})


def unsubscribe_token(*, saved_search: SavedSearch) -> str:
    """The signed token of a subscription's unsubscribe link (django.core.signing: a changed token is refused)."""
    return signing.dumps({"s": saved_search.pk, "u": saved_search.user_id}, salt=UNSUBSCRIBE_SALT)


def saved_search_for_token(*, token: str) -> SavedSearch:
    """The subscription a signed token names; a tampered, foreign or stale token is refused (400 / 404)."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise ApplicationError("退订链接无效 / this unsubscribe link is not valid") from exc
    pk = payload.get("s") if isinstance(payload, dict) else None
    user_id = payload.get("u") if isinstance(payload, dict) else None
    if not isinstance(pk, int) or not isinstance(user_id, int):
        raise ApplicationError("退订链接无效 / this unsubscribe link is not valid")
    saved = SavedSearch.objects.filter(pk=pk, user_id=user_id).first()
    if saved is None:
        raise not_found()
    return saved


@transaction.atomic
def saved_search_unsubscribe(*, token: str) -> SavedSearch:
    """Turn a subscription's alerts off through its signed link (no sign-in needed); idempotent."""
    saved = saved_search_for_token(token=token)
    if saved.active:
        saved.active = False
        saved.save(update_fields=["active"])
        audit_log_record(actor=None, action="saved_search.unsubscribe", detail={"saved_search": saved.pk})
    return saved


@transaction.atomic
def home_visit_record(*, user: User, now: datetime | None = None) -> datetime | None:
    """Record a visit to the home page; returns the previous visit's time (what is new is new since then; None on a
    first visit). Visits within HOME_VISIT_GAP of the last one keep the same previous visit."""
    moment = now or timezone.now()
    visit, created = HomeVisit.objects.select_for_update().get_or_create(user=user, defaults={"last_at": moment})
    if created:
        return None
    if moment - visit.last_at > HOME_VISIT_GAP:
        visit.previous_at = visit.last_at
    visit.last_at = moment
    visit.save(update_fields=["previous_at", "last_at"])
    return visit.previous_at

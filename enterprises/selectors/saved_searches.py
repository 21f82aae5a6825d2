"""Reads of saved searches (订阅): a member's enterprise's subscriptions, and what is new for the home page."""

from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from accounts.access import is_enterprise_member
from accounts.models import User
from core.models import City
from enterprises.models import Notification, SavedSearch, SentAlert
from patents.models import Institution, PatentType, TransferMode


def saved_search_list(*, user: Any) -> QuerySet[SavedSearch]:
    """The subscriptions of the member's enterprise (every member's), newest first, with how many alerts each sent;
    nobody else's: other roles see none."""
    if not is_enterprise_member(user) or user.enterprise_id is None:
        return SavedSearch.objects.none()
    return (
        SavedSearch.objects.filter(enterprise_id=user.enterprise_id)
        .select_related("user", "need")
        .annotate(alerts_sent=Count("sent_alerts"))
    )


def saved_search_get_own(*, user: User, pk: int) -> SavedSearch | None:
    """One subscription of the member's enterprise, else None."""
    return saved_search_list(user=user).filter(pk=pk).first()


def need_ids_alerted(*, user: User) -> set[int]:
    """The needs the member marked 提醒我 (an active subscription of the need)."""
    return set(SavedSearch.objects.filter(user=user, need__isnull=False, active=True).values_list("need_id", flat=True))


def alerts_since(*, user: User, since: datetime | None, limit: int = 8) -> list[SentAlert]:
    """The newly pooled patents the member's subscriptions were told about since `since` (all on a first visit),
    newest first."""
    qs = SentAlert.objects.filter(saved_search__user=user).select_related("patent", "saved_search")
    if since is not None:
        qs = qs.filter(sent_at__gt=since)
    return list(qs.order_by("-sent_at", "-pk")[:limit])


def notifications_since(*, user: User, since: datetime | None) -> int:
    """How many notifications the user received since `since` (the unread ones on a first visit)."""
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(created_at__gt=since).count() if since is not None else qs.filter(read_at__isnull=True).count()


def saved_search_filter_labels(*, saved: list[SavedSearch]) -> dict[int, list[str]]:
    """{subscription id: ["城市：武汉市", …]} — each saved search's filters as the reader reads them."""

    def values(key: str) -> set[str]:
        return {str(s.filters[key]) for s in saved if (s.filters or {}).get(key)}

    cities = dict(City.objects.filter(pk__in=values("city")).values_list("pk", "name"))
    institution_ids = [int(v) for v in values("institution") if v.isdigit()]
    institutions = {
        str(pk): name for pk, name in Institution.objects.filter(pk__in=institution_ids).values_list("pk", "name")
    }
    types, modes = dict(PatentType.choices), dict(TransferMode.choices)
    titles = {
        "city": gettext("城市"),
        "institution": gettext("高校/院所"),
        "ipc_section": gettext("IPC 部"),
        "patent_type": gettext("专利类型"),
        "mode": gettext("转化方式"),
    }
    out: dict[int, list[str]] = {}
    for s in saved:
        labels = []
        for key, value in (s.filters or {}).items():
            shown: object = value
            if key == "city":
                shown = cities.get(str(value), value)
            elif key == "institution":
                shown = institutions.get(str(value), value)
            elif key == "patent_type":
                shown = types.get(value, value)
            elif key == "mode":
                shown = modes.get(value, value)
            labels.append(f"{titles.get(key, key)}：{shown}")
        out[s.pk] = labels
    return out

"""Writes of the saved-search alerts: record what a subscription was told (each patent once), the in-app
notification and the subscriber's e-mail digest with a signed unsubscribe link per subscription. The ranking that
chooses the patents is matching's (matching.alerts); this module only records and tells."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from common.validators.text import header_safe
from enterprises.models import Notification, SavedSearch, SentAlert
from enterprises.notification_texts import ALERT
from enterprises.services.notifications import notification_send
from enterprises.services.saved_searches import unsubscribe_token
from patents.models import Patent

TITLES_IN_NOTIFICATION = 5


@dataclass(frozen=True)
class SubscriptionNews:
    """The patents one subscription was told about in this round, best first."""

    saved_search: SavedSearch
    patents: list[Patent]


@transaction.atomic
def alerts_record(*, saved_search: SavedSearch, hits: Sequence[tuple[Patent, float]], now: datetime) -> list[SentAlert]:
    """Record the patents of `hits` not yet sent for the subscription (each patent at most once: the unique
    constraint decides when two rounds overlap) and move its last alert to `now`. Returns the new rows."""
    sent = set(SentAlert.objects.filter(saved_search=saved_search).values_list("patent_id", flat=True))
    created: list[SentAlert] = []
    for patent, score in hits:
        if patent.pk in sent:
            continue
        try:
            with transaction.atomic():  # a savepoint: a row another round just wrote is skipped, not an error
                created.append(
                    SentAlert.objects.create(saved_search=saved_search, patent=patent, score=score, sent_at=now)
                )
        except IntegrityError:
            continue
        sent.add(patent.pk)
    SavedSearch.objects.filter(pk=saved_search.pk).update(last_alert_at=now)
    saved_search.last_alert_at = now
    return created


def alerts_window_advance(*, saved_search_ids: Sequence[int], now: datetime) -> int:
    """Move the last alert of subscriptions that had nothing to rank to `now` (nothing pooled since, or a need no
    longer open: what was pooled meanwhile is not news when it opens again), so the next round reads the pooled
    patents of one day, not of every day since a quiet subscription's last news."""
    return SavedSearch.objects.filter(pk__in=list(saved_search_ids), last_alert_at__lt=now).update(last_alert_at=now)


def alert_notify(*, news: SubscriptionNews, now: datetime) -> list[Notification]:
    """The in-app notification of one subscription's news (no e-mail of its own: the digest carries it)."""
    titles = "；".join(
        f"{patent.title}（{patent.application_number}）" for patent in news.patents[:TITLES_IN_NOTIFICATION]
    )
    if len(news.patents) > TITLES_IN_NOTIFICATION:
        titles += " …"
    return notification_send(
        recipients=[news.saved_search.user],
        kind=Notification.Kind.ALERT,
        message_kind=ALERT,
        params={"name": news.saved_search.name, "count": len(news.patents), "titles": titles},
        url=reverse("enterprises:saved_searches"),
        now=now,
        email=False,
    )


def _link(path: str) -> str:
    return settings.SITE_URL + path


def alerts_digest_text(*, news: Sequence[SubscriptionNews]) -> tuple[str, str]:
    """(subject, body) of a subscriber's digest, Chinese then English, one block per subscription with its patents
    and its signed unsubscribe link."""
    count = sum(len(item.patents) for item in news)
    subject = f"[专利盘活对接平台] 订阅提醒：{count} 件新入库专利 / Saved-search alert: {count} newly pooled patents"
    lines = [
        "您好！您订阅的检索有新入库的匹配专利。",
        "Hello! Newly pooled patents match your saved searches.",
        "",
    ]
    for item in news:
        lines.append(f"订阅 / Subscription：{item.saved_search.name}")
        for i, patent in enumerate(item.patents, start=1):
            lines.append(f"  {i}. {patent.title}（{patent.application_number}）")
            lines.append(f"     {_link(reverse('patents:detail', args=[patent.pk]))}")
        token = unsubscribe_token(saved_search=item.saved_search)
        lines.append(
            "  退订此订阅 / Unsubscribe from this subscription: "
            + _link(reverse("enterprises:unsubscribe", args=[token]))
        )
        lines.append("")
    lines.append("管理全部订阅 / Manage your subscriptions: " + _link(reverse("enterprises:saved_searches")))
    return subject, "\n".join(lines)


def alerts_digest_send(*, user: User, news: Sequence[SubscriptionNews]) -> bool:
    """E-mail `user` one digest of this round's news; False when there is nothing to send or no address."""
    if not news or not user.email:
        return False
    subject, body = alerts_digest_text(news=news)
    EmailMessage(
        subject=header_safe(subject),  # subscription names are the member's words
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    ).send()
    return True

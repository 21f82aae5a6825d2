"""The daily saved-search alerts (beat: matching.tasks.alerts_send_task; `manage.py alerts_send`).

Each active subscription whose last alert predates a pooling is ranked once, as the page it came from ranks it: a
saved search through matching.reading.search.patent_search (the search page's words and filters, the subscriber's
visibility), a need marked 提醒我 through matching.reading.needs.need_recommendations. The patents pooled since its
last alert that are among the best ALERTS_TOP_N hits are news: each recorded once per subscription (SentAlert),
one in-app notification per subscription and one e-mail digest per subscriber. A subscription with nothing pooled
since its last alert is skipped without a ranking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from enterprises.models import SavedSearch, TechNeed
from enterprises.services.alerts import (
    SubscriptionNews,
    alert_notify,
    alerts_digest_send,
    alerts_record,
    alerts_window_advance,
)
from matching.reading.needs import need_recommendations
from matching.reading.search import patent_search
from patents.models import Patent
from patents.selectors import patents_pooled_since


@dataclass
class AlertsReport:
    """What one round did: subscriptions seen, skipped (nothing pooled since their last alert, or a closed need),
    ranked (one ranking each), patents told (SentAlert rows), notifications and e-mails sent."""

    subscriptions: int = 0
    skipped: int = 0
    ranked: int = 0
    alerts: int = 0
    notifications: int = 0
    mails: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _hits(*, saved: SavedSearch, top: int) -> list[tuple[Patent, float]]:
    """The best `top` pooled patents for the subscription, ranked as its page ranks them, best first."""
    if saved.need_id is not None:
        assert saved.need is not None
        return [(r.patent, r.score) for r in need_recommendations(user=saved.user, need=saved.need)[:top]]
    filters = {key: str(value) for key, value in (saved.filters or {}).items()}
    data = patent_search(user=saved.user, text=saved.text, filters=filters, page=1, page_size=top)
    return [(hit.patent, hit.score) for hit in data["results"]]


def alerts_send(*, now: datetime | None = None) -> AlertsReport:
    """One round of alerts (see the module's docstring); safe to run twice: a second round sends nothing new."""
    moment = now or timezone.now()
    report = AlertsReport()
    subscriptions = list(
        SavedSearch.objects.filter(active=True, user__is_active=True, user__enterprise_id__isnull=False)
        .select_related("user", "need")
        .order_by("pk")
    )
    report.subscriptions = len(subscriptions)
    if not subscriptions:
        return report
    pooled = patents_pooled_since(since=min(s.last_alert_at for s in subscriptions))
    news_of: dict[int, list[SubscriptionNews]] = defaultdict(list)
    quiet: list[int] = []
    top = settings.ALERTS_TOP_N
    for saved in subscriptions:
        fresh = {pk for pk, at in pooled.items() if saved.last_alert_at < at <= moment}
        closed = saved.need is not None and saved.need.status != TechNeed.Status.OPEN
        if not fresh or closed:
            report.skipped += 1
            quiet.append(saved.pk)
            continue
        report.ranked += 1
        hits = [(patent, score) for patent, score in _hits(saved=saved, top=top) if patent.pk in fresh]
        created = alerts_record(saved_search=saved, hits=hits, now=moment)
        if not created:
            continue
        report.alerts += len(created)
        by_pk = {patent.pk: patent for patent, _ in hits}
        news = SubscriptionNews(saved_search=saved, patents=[by_pk[row.patent_id] for row in created])
        report.notifications += len(alert_notify(news=news, now=moment))
        news_of[saved.user_id].append(news)
    alerts_window_advance(saved_search_ids=quiet, now=moment)
    for items in news_of.values():
        report.mails += int(alerts_digest_send(user=items[0].saved_search.user, news=items))
    return report

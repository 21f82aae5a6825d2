"""The daily saved-search alerts (matching.alerts.alerts_send): a patent pooled after a subscription was saved and
ranking among its best hits is told once — a notification and one e-mail digest with a signed unsubscribe link —
and never again; a subscription with nothing pooled since its last alert is not ranked at all."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from enterprises.models import Notification, SavedSearch, SentAlert, TechNeed
from enterprises.services.saved_searches import need_alert_set, saved_search_create, saved_search_unsubscribe
from matching import alerts as alerts_module
from matching.alerts import alerts_send
from patents.models import Patent
from patents.services import patents_pool

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _twin(source: Patent, number: str) -> Patent:
    """An inventoried patent with the text of a pooled one (its words are in the run), ready to be pooled."""
    return Patent.objects.create(
        application_number=number,
        title=source.title,
        abstract=source.abstract,
        claims=source.claims,
        patent_type="invention",
        institution=source.institution,
        inventory_status="inventoried",
        legal_status="valid",
        transfer_modes=["licence"],
    )


@pytest.fixture
def subscriber(enterprise_member):
    enterprise_member.email = "member@example.com"
    enterprise_member.save(update_fields=["email"])
    return enterprise_member


def test_a_newly_pooled_patent_that_ranks_is_alerted_once(run, officer, subscriber, pooled_patents, mailoutbox):
    # given: a saved search for a pooled patent's title, then its twin pooled by the officer
    source = pooled_patents[0]
    saved = saved_search_create(user=subscriber, name="我的检索", text=source.title, filters={})
    twin = _twin(source, "2023108516489")
    patents_pool(patents=[twin], user=officer)
    # when
    first = alerts_send()
    second = alerts_send()
    # then: one patent told, one notification, one mail; the second round ranks nothing and sends nothing
    assert first.as_dict() == {
        "subscriptions": 1,
        "skipped": 0,
        "ranked": 1,
        "alerts": 1,
        "notifications": 1,
        "mails": 1,
    }
    assert second.as_dict() == {
        "subscriptions": 1,
        "skipped": 1,
        "ranked": 0,
        "alerts": 0,
        "notifications": 0,
        "mails": 0,
    }
    assert list(SentAlert.objects.values_list("saved_search_id", "patent_id")) == [(saved.pk, twin.pk)]
    notification = Notification.objects.get(recipient=subscriber)
    assert notification.kind == "alert"
    assert notification.title == "订阅提醒：「我的检索」有 1 件新入库专利"
    assert notification.emailed_at is None  # the digest is the e-mail
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["member@example.com"]
    assert mail.subject == "[专利盘活对接平台] 订阅提醒：1 件新入库专利 / Saved-search alert: 1 newly pooled patents"
    assert f"{twin.title}（{twin.application_number}）" in mail.body
    assert f"{django_settings.SITE_URL}/patents/{twin.pk}/" in mail.body
    assert "退订此订阅 / Unsubscribe from this subscription: " in mail.body
    # the mail's link turns the subscription off
    token = mail.body.split("/enterprises/subscriptions/unsubscribe/")[1].split("/")[0]
    assert saved_search_unsubscribe(token=token).pk == saved.pk
    assert SavedSearch.objects.get(pk=saved.pk).active is False


def test_each_patent_is_told_once_per_subscription_even_when_its_window_is_read_again(
    run, officer, subscriber, pooled_patents, mailoutbox
):
    # given: an alert sent, then the subscription's last alert moved back before the pooling
    source = pooled_patents[0]
    saved = saved_search_create(user=subscriber, name="", text=source.title, filters={})
    twin = _twin(source, "2023108516489")
    patents_pool(patents=[twin], user=officer)
    alerts_send()
    SavedSearch.objects.filter(pk=saved.pk).update(last_alert_at=timezone.now() - timedelta(days=1))
    # when
    again = alerts_send()
    # then: ranked again, nothing new to tell
    assert (again.ranked, again.alerts, again.notifications, again.mails) == (1, 0, 0, 0)
    assert SentAlert.objects.count() == 1
    assert len(mailoutbox) == 1


def test_nothing_pooled_since_the_last_alert_means_no_ranking(run, subscriber, pooled_patents, monkeypatch):
    # given: a saved search and no pooling since (the fixture's patents were pooled before it)
    saved = saved_search_create(user=subscriber, name="", text=pooled_patents[0].title, filters={})

    def no_ranking(**kwargs):
        raise AssertionError("ranked although nothing was pooled")

    monkeypatch.setattr(alerts_module, "patent_search", no_ranking)
    now = timezone.now()
    # when
    report = alerts_send(now=now)
    # then: not ranked; its window starts from this round
    assert (report.subscriptions, report.skipped, report.ranked, report.alerts) == (1, 1, 0, 0)
    assert SentAlert.objects.count() == 0
    assert SavedSearch.objects.get(pk=saved.pk).last_alert_at == now


def test_a_pooled_patent_outside_the_top_hits_is_not_told(run, officer, subscriber, pooled_patents, mailoutbox):
    # given: a search for one patent's title, and another patent (other words) pooled
    saved = saved_search_create(user=subscriber, name="", text=pooled_patents[0].title, filters={})
    other = _twin(pooled_patents[7], "2023108516490")
    patents_pool(patents=[other], user=officer)
    before = SavedSearch.objects.get(pk=saved.pk).last_alert_at
    # when
    report = alerts_send(now=timezone.now())
    # then: ranked once, nothing told, the window moved on
    ranked_ids = [
        hit.patent.pk
        for hit in alerts_module.patent_search(
            user=subscriber, text=saved.text, filters={}, page=1, page_size=django_settings.ALERTS_TOP_N
        )["results"]
    ]
    assert other.pk not in ranked_ids
    assert (report.ranked, report.alerts, report.mails) == (1, 0, 0)
    assert SavedSearch.objects.get(pk=saved.pk).last_alert_at > before
    assert mailoutbox == []


def test_the_saved_filters_are_applied(run, officer, subscriber, pooled_patents):
    # given: a saved search limited to assignment, and a matching patent pooled for licence only
    saved_search_create(user=subscriber, name="", text=pooled_patents[0].title, filters={"mode": "assignment"})
    patents_pool(patents=[_twin(pooled_patents[0], "2023108516489")], user=officer)
    # when
    report = alerts_send()
    # then
    assert (report.ranked, report.alerts) == (1, 0)


def test_a_need_marked_alert_me_is_told_of_a_patent_that_ranks_for_it(run, officer, subscriber, pooled_patents):
    # given
    source = pooled_patents[0]
    need = TechNeed.objects.create(
        enterprise=subscriber.enterprise, title=source.title, description=source.abstract[:300]
    )
    saved = need_alert_set(user=subscriber, need=need, on=True)
    twin = _twin(source, "2023108516489")
    patents_pool(patents=[twin], user=officer)
    # when
    report = alerts_send()
    # then
    assert (report.ranked, report.alerts, report.mails) == (1, 1, 1)
    assert list(SentAlert.objects.values_list("saved_search_id", "patent_id")) == [(saved.pk, twin.pk)]


def test_unsubscribed_and_closed_needs_are_not_told(run, officer, subscriber, pooled_patents, mailoutbox):
    # given
    source = pooled_patents[0]
    unsubscribed = saved_search_create(user=subscriber, name="", text=source.title, filters={})
    SavedSearch.objects.filter(pk=unsubscribed.pk).update(active=False)
    need = TechNeed.objects.create(enterprise=subscriber.enterprise, title=source.title, status=TechNeed.Status.CLOSED)
    need_alert_set(user=subscriber, need=need, on=True)
    patents_pool(patents=[_twin(source, "2023108516489")], user=officer)
    # when
    report = alerts_send()
    # then
    assert (report.subscriptions, report.skipped, report.ranked, report.alerts) == (1, 1, 0, 0)
    assert mailoutbox == []


def test_the_command_reports_its_counts(run, officer, subscriber, pooled_patents):
    # given
    saved_search_create(user=subscriber, name="", text=pooled_patents[0].title, filters={})
    patents_pool(patents=[_twin(pooled_patents[0], "2023108516489")], user=officer)
    out = StringIO()
    # when
    call_command("alerts_send", stdout=out)
    call_command("alerts_send", stdout=out)
    # then
    assert out.getvalue().splitlines() == [
        "订阅 / subscriptions: 1, 跳过 / skipped: 0, 检索 / ranked: 1, 提醒专利 / patents alerted: 1, "
        "通知 / notifications: 1, 邮件 / e-mails: 1",
        "订阅 / subscriptions: 1, 跳过 / skipped: 1, 检索 / ranked: 0, 提醒专利 / patents alerted: 0, "
        "通知 / notifications: 0, 邮件 / e-mails: 0",
    ]


def test_the_daily_beat_entry_names_the_registered_task():
    from patent_platform.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["alerts-daily"]
    assert entry["task"] == "matching.tasks.alerts_send_task"
    assert entry["task"] in app.tasks

"""Saved searches (订阅): saving a search, 提醒我 on a need, deleting, the signed unsubscribe link, the home's last
visit — the services and the pages."""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from enterprises.errors import NotFoundError
from enterprises.models import HomeVisit, SavedSearch, SentAlert
from enterprises.services.saved_searches import (
    home_visit_record,
    need_alert_set,
    saved_search_create,
    saved_search_delete,
    saved_search_unsubscribe,
    unsubscribe_token,
)

pytestmark = pytest.mark.django_db


def test_a_search_is_saved_with_its_words_and_cleaned_filters(enterprise_member, enterprise):
    # when
    saved = saved_search_create(
        user=enterprise_member,
        name="",
        text="  无人机   巡检 ",
        filters={"city": "4201", "patent_type": "invention", "mode": "", "ipc_section": "G"},
    )
    # then
    saved.refresh_from_db()
    assert (saved.enterprise_id, saved.user_id) == (enterprise.pk, enterprise_member.pk)
    assert saved.name == "无人机 巡检"
    assert saved.text == "无人机 巡检"
    assert saved.filters == {"city": "4201", "patent_type": "invention", "ipc_section": "G"}
    assert saved.active is True
    assert saved.last_alert_at == saved.created_at


def test_bad_input_is_refused_field_by_field_in_both_languages_and_nothing_is_saved(enterprise_member):
    # when
    with pytest.raises(ValidationError) as raised:
        saved_search_create(
            user=enterprise_member,
            name="名" * 101,
            text="",
            filters={"mode": "gift", "colour": "red", "city": "Wuhan"},
        )
    # then
    assert raised.value.message_dict == {
        "text": ["请填写检索词 / enter the words to search for"],
        "name": ["名称不能超过 100 个字符 / at most 100 characters"],
        "filters.mode": ["未知的转化方式 / unknown transfer mode"],
        "filters.colour": [
            "未知的筛选条件 / unknown filter (allowed: city, institution, ipc_section, patent_type, mode)"
        ],
        "filters.city": ["城市代码应为4位数字 / a city code has 4 digits"],
    }
    assert SavedSearch.objects.count() == 0


def test_a_member_keeps_at_most_the_configured_number_of_subscriptions(enterprise_member, settings):
    # given
    settings.ALERTS_MAX_PER_USER = 1
    saved_search_create(user=enterprise_member, name="", text="电池", filters={})
    # when
    with pytest.raises(ValidationError) as raised:
        saved_search_create(user=enterprise_member, name="", text="电机", filters={})
    # then
    assert raised.value.message_dict["name"] == [
        "订阅已达上限 1 个，请先删除不用的订阅 / at most 1 subscriptions: delete one first"
    ]
    assert list(SavedSearch.objects.values_list("text", flat=True)) == ["电池"]


def test_only_enterprise_members_subscribe(officer):
    with pytest.raises(ApplicationError):
        saved_search_create(user=officer, name="", text="电池", filters={})
    assert SavedSearch.objects.count() == 0


def test_alert_on_a_need_is_one_subscription_turned_on_and_off(enterprise_member, need):
    # when
    first = need_alert_set(user=enterprise_member, need=need, on=True)
    again = need_alert_set(user=enterprise_member, need=need, on=True)
    # then
    assert first is not None
    assert again is not None
    assert first.pk == again.pk
    assert (first.need_id, first.name, first.text) == (need.pk, need.title, "")
    # when
    off = need_alert_set(user=enterprise_member, need=need, on=False)
    # then
    assert off is None
    assert SavedSearch.objects.count() == 0


def test_a_need_of_another_enterprise_cannot_be_subscribed(other_member, need):
    with pytest.raises(NotFoundError):
        need_alert_set(user=other_member, need=need, on=True)
    assert SavedSearch.objects.count() == 0


def test_another_enterprise_cannot_delete_a_subscription(enterprise_member, other_member):
    # given
    saved = saved_search_create(user=enterprise_member, name="", text="电池", filters={})
    # when
    with pytest.raises(NotFoundError):
        saved_search_delete(user=other_member, saved_search=saved)
    # then
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_signed_link_turns_the_subscription_off_and_a_tampered_one_is_refused(enterprise_member):
    # given
    saved = saved_search_create(user=enterprise_member, name="", text="电池", filters={})
    token = unsubscribe_token(saved_search=saved)
    other = saved_search_create(user=enterprise_member, name="", text="电机", filters={})
    # the other subscription's payload under this one's signature; a token signed for another purpose
    swapped = unsubscribe_token(saved_search=other).rsplit(":", 1)[0] + ":" + token.rsplit(":", 1)[1]
    other_salt = signing.dumps({"s": other.pk, "u": enterprise_member.pk}, salt="another.purpose")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    # when
    for bad in (tampered, swapped, other_salt, "x", ""):
        with pytest.raises(ApplicationError):
            saved_search_unsubscribe(token=bad)
    # then
    assert SavedSearch.objects.filter(active=True).count() == 2
    # when
    saved_search_unsubscribe(token=token)
    saved_search_unsubscribe(token=token)  # twice: the same
    # then
    assert list(SavedSearch.objects.filter(active=True).values_list("pk", flat=True)) == [other.pk]


def test_the_home_visit_keeps_the_previous_visit_across_a_reload(enterprise_member):
    # given
    first = timezone.now() - timedelta(days=2)
    # when
    at_first = home_visit_record(user=enterprise_member, now=first)
    next_day = home_visit_record(user=enterprise_member, now=first + timedelta(days=1))
    reload = home_visit_record(user=enterprise_member, now=first + timedelta(days=1, minutes=5))
    # then
    assert at_first is None
    assert next_day == first
    assert reload == first
    assert HomeVisit.objects.get(user=enterprise_member).last_at == first + timedelta(days=1, minutes=5)


# --- pages -------------------------------------------------------------------------------------------------------


def test_save_search_button_saves_the_words_and_filters_in_force(client, enterprise_member):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.post(
        reverse("enterprises:saved_search_save"), {"search": "q=图像识别&patent_type=invention&city="}
    )
    # then
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("matching:search") + "?q=%E5%9B%BE%E5%83%8F%E8%AF%86%E5%88%AB&patent_type=invention"
    )
    saved = SavedSearch.objects.get()
    assert (saved.text, saved.filters) == ("图像识别", {"patent_type": "invention"})


def test_my_subscriptions_lists_the_enterprises_own_and_deletes(client, enterprise_member, other_member):
    # given
    mine = saved_search_create(user=enterprise_member, name="电池", text="锂电池 正极", filters={"mode": "licence"})
    theirs = saved_search_create(user=other_member, name="别家", text="电机", filters={})
    client.force_login(enterprise_member)
    # when
    page = client.get(reverse("enterprises:saved_searches"))
    # then
    assert [row["saved"].pk for row in page.context["rows"]] == [mine.pk]
    assert page.context["rows"][0]["labels"] == ["转化方式：许可"]
    # when: deleting another enterprise's is a 404
    assert client.post(reverse("enterprises:saved_search_delete", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("enterprises:saved_search_delete", args=[mine.pk]))
    # then
    assert response.status_code == 302
    assert list(SavedSearch.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_need_list_offers_alert_me_and_turns_it_on(client, enterprise_member, need):
    # given
    client.force_login(enterprise_member)
    assert "提醒我" in client.get(reverse("enterprises:need_list")).content.decode()
    # when
    client.post(reverse("enterprises:need_alert", args=[need.pk]), {"on": "1"})
    # then
    assert SavedSearch.objects.get().need_id == need.pk
    assert "取消提醒" in client.get(reverse("enterprises:need_list")).content.decode()


def test_the_unsubscribe_page_works_signed_out_and_refuses_a_tampered_link(client, enterprise_member):
    # given
    saved = saved_search_create(user=enterprise_member, name="电池", text="电池", filters={})
    url = reverse("enterprises:unsubscribe", args=[unsubscribe_token(saved_search=saved)])
    bad = reverse("enterprises:unsubscribe", args=[unsubscribe_token(saved_search=saved)[:-3] + "abc"])
    # when: opening the link changes nothing; a tampered link is refused
    shown = client.get(url)
    refused = client.post(bad)
    # then
    assert shown.status_code == 200
    assert "确认退订" in shown.content.decode()
    assert refused.status_code == 400
    assert "退订链接无效" in refused.content.decode()
    assert SavedSearch.objects.get().active is True
    # when
    done = client.post(url)
    # then
    assert done.status_code == 200
    assert "已退订" in done.content.decode()
    assert SavedSearch.objects.get().active is False


def test_home_shows_what_is_new_since_the_last_visit(client, enterprise_member, pooled_patent):
    # given: a visit yesterday, then an alert and a notification
    from enterprises.services.notifications import notification_send

    yesterday = timezone.now() - timedelta(days=1)
    home_visit_record(user=enterprise_member, now=yesterday)
    saved = saved_search_create(user=enterprise_member, name="正极", text="高镍正极", filters={})
    SentAlert.objects.create(saved_search=saved, patent=pooled_patent, sent_at=timezone.now())
    SentAlert.objects.create(
        saved_search=saved_search_create(user=enterprise_member, name="旧", text="旧的", filters={}),
        patent=pooled_patent,
        sent_at=yesterday - timedelta(hours=1),
    )
    notification_send(recipients=[enterprise_member], kind="alert", title="一条通知", email=False)
    client.force_login(enterprise_member)
    # when
    page = client.get(reverse("home"))
    # then
    assert page.context["since"] == yesterday
    assert [a.saved_search.name for a in page.context["new_alerts"]] == ["正极"]
    assert page.context["new_notifications"] == 1
    assert "一种高镍正极材料及其制备方法" in page.content.decode()

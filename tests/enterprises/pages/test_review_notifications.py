"""Navigation by role, the bureau's review queue and the notifications page."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from enterprises.services.docking import docking_transition
from tests.enterprises.pages.helpers import page_html

pytestmark = pytest.mark.django_db


def test_nav_items_per_role(client, enterprise_member, officer, bureau):
    client.force_login(enterprise_member)
    html = page_html(client.get(reverse("home")))
    assert [label for label in ("我的需求", "关注的专利", "我的对接", "通知") if label not in html] == []
    client.force_login(officer)
    html = page_html(client.get(reverse("home")))
    assert [label for label in ("对接收件箱", "关注者") if label not in html] == []
    assert "我的需求" not in html
    client.force_login(bureau)
    html = page_html(client.get(reverse("home")))
    assert "注册审核" in html
    assert "对接收件箱" not in html


# --- review and notifications ------------------------------------------------------------------------


def test_review_queue_page_approves(client, bureau, enterprise_member, enterprise):
    # given
    Enterprise.objects.filter(pk=enterprise.pk).update(verification=Enterprise.Verification.REVIEW)
    client.force_login(bureau)
    # when
    listed = client.get(reverse("enterprises:review_queue"))
    response = client.post(
        reverse("enterprises:review_decide", args=[enterprise.pk]), {"decision": "approve"}, follow=True
    )
    # then
    assert [e.pk for e in listed.context["queue"]] == [enterprise.pk]
    assert "武汉瑞诚科技有限公司：已校验" in page_html(response)
    assert Enterprise.objects.get(pk=enterprise.pk).verification == "verified"


def test_review_queue_is_bureau_only(client, officer, enterprise_member):
    client.force_login(officer)
    assert client.get(reverse("enterprises:review_queue")).status_code == 403
    client.force_login(enterprise_member)
    assert client.get(reverse("enterprises:review_queue")).status_code == 403


def test_notifications_page_opens_and_marks_read(client, enterprise_member, officer, make_docking):
    # given
    docking = make_docking()
    docking_transition(docking=docking, action="accept", actor=officer)
    notification = enterprise_member.notifications.get()
    client.force_login(enterprise_member)
    # when
    listing = page_html(client.get(reverse("enterprises:notifications")))
    opened = client.post(reverse("enterprises:notification_open", args=[notification.pk]))
    # then
    assert "对接请求已受理：一种高镍正极材料及其制备方法" in listing
    assert opened["Location"] == reverse("enterprises:docking_detail", args=[docking.pk])
    notification.refresh_from_db()
    assert notification.is_read

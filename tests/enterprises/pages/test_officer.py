"""The officer's docking journey: home, inbox, the enterprise's contact, closing a failed negotiation, a request
about a patent going to its institution."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import DockingRequest, DockingStatus, Enterprise
from tests.enterprises.factories import PatentFactory
from tests.enterprises.pages.helpers import page_html

pytestmark = pytest.mark.django_db


# --- the officer's journey: home, inbox, contact, closing a failed negotiation ------------------------------


def test_officer_home_counts_the_waiting_requests_and_links_them(client, officer, make_docking, institution):
    # given: two waiting, one accepted
    first = make_docking(submitted_at=timezone.now() - timedelta(days=2))
    second = make_docking(patent=PatentFactory(institution=institution, title="一种固态电解质"))
    make_docking(patent=PatentFactory(institution=institution), status=DockingStatus.ACCEPTED)
    client.force_login(officer)
    # when
    response = client.get(reverse("home"))
    # then
    html = page_html(response)
    assert '<strong data-testid="waiting-count">2</strong>' in html
    assert [d.pk for d in response.context["docking_waiting"]] == [first.pk, second.pk]
    assert f'href="{reverse("enterprises:docking_detail", args=[first.pk])}"' in html
    assert f'href="{reverse("enterprises:docking_inbox")}" data-testid="inbox-link"' in html
    assert "请求会出现在这里" not in html


def test_officer_home_without_waiting_requests_says_where_they_will_appear(client, officer):
    client.force_login(officer)
    html = page_html(client.get(reverse("home")))
    assert '<strong data-testid="waiting-count">0</strong>' in html
    assert "企业关注或申请对接本单位专利后，请求会出现在这里。" in html


def test_docking_page_shows_the_enterprise_contact_to_the_officer_not_to_the_bureau(
    client, officer, bureau, make_docking, enterprise
):
    # given
    Enterprise.objects.filter(pk=enterprise.pk).update(
        contact_name="张敏", contact_phone="027-87654321", contact_email="zhangmin@example.cn"
    )
    docking = make_docking()
    url = reverse("enterprises:docking_detail", args=[docking.pk])
    # when
    client.force_login(officer)
    officer_html = page_html(client.get(url))
    client.force_login(bureau)
    bureau_html = page_html(client.get(url))
    # then
    assert (
        '<dd data-testid="enterprise-contact">张敏 · <a href="tel:027-87654321">027-87654321</a> · '
        '<a href="mailto:zhangmin@example.cn">zhangmin@example.cn</a></dd>'
    ) in officer_html
    assert (
        f'<a href="{reverse("enterprises:docking_inbox")}" data-testid="back-link">← 返回对接收件箱</a>' in officer_html
    )
    assert 'data-testid="enterprise-contact"' not in bureau_html


def test_officer_closes_a_negotiation_as_failed_from_the_page(client, officer, make_docking):
    # given
    docking = make_docking(status=DockingStatus.NEGOTIATING)
    client.force_login(officer)
    url = reverse("enterprises:docking_detail", args=[docking.pk])
    assert "终止洽谈（未成交）" in page_html(client.get(url))
    # when
    response = client.post(
        reverse("enterprises:docking_transition", args=[docking.pk]),
        {"action": "decline", "decline_reason": "price", "note": "报价差距过大"},
        follow=True,
    )
    # then
    docking.refresh_from_db()
    assert (docking.status, docking.decline_reason, docking.decline_note) == ("declined", "price", "报价差距过大")
    assert "对接请求状态已更新为“已婉拒”。" in page_html(response)


def test_docking_about_a_patent_shows_its_institution_and_offers_no_pick_list(
    client, enterprise_member, pooled_patent, other_institution
):
    client.force_login(enterprise_member)
    # when
    page = client.get(reverse("enterprises:docking_create"), {"patent": pooled_patent.pk})
    response = client.post(
        reverse("enterprises:docking_create"),
        {
            "patent": pooled_patent.pk,
            "institution": other_institution.pk,
            "message": "用于动力电池产线",
            "contact_email": "zhangmin@example.cn",
        },
    )
    # then: the institution is shown, not selectable, and a forged one is ignored by the form
    html = page_html(page)
    assert 'name="institution"' not in html
    assert '<dt>权利人</dt><dd data-testid="docking-institution">华中科技大学</dd>' in html
    assert response.status_code == 302
    assert DockingRequest.objects.get().institution == pooled_patent.institution

"""In Chromium, the officer's docking journey: an enterprise docks from a patent (the institution is fixed, not
picked); the officer's home counts the waiting requests and links them; the docking page shows the enterprise's
contact and leads back to the inbox, which lists waiting requests first; a negotiation is closed as failed with a
reason; and the patent is found by its application number however it is typed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import DockingRequest, DockingStatus, Enterprise
from patents.models import InventoryStatus, Patent
from tests.enterprises.factories import DockingRequestFactory, PatentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def battery_patent(institution):
    return Patent.objects.create(
        application_number="202310851648.9",
        title="一种锂离子电池硅碳负极材料及其制备方法",
        patent_type="invention",
        institution=institution,
        inventory_status=InventoryStatus.POOLED,
        abstract="本发明公开了一种硅碳复合负极材料。",
    )


def test_officer_docking_journey_and_number_search(
    page, login, logout, live_server, officer, enterprise_member, enterprise, other_institution, battery_patent
):
    base = live_server.url
    page.set_default_timeout(60_000)  # the shared CI machine can be slow; the assertions, not the clock, decide
    Enterprise.objects.filter(pk=enterprise.pk).update(
        contact_name="张敏", contact_phone="027-87654321", contact_email="zhangmin@example.cn"
    )
    negotiating = DockingRequestFactory(
        enterprise=enterprise,
        patent=PatentFactory(institution=officer.institution, title="一种固态电解质薄膜"),
        status=DockingStatus.NEGOTIATING,
        submitted_at=timezone.now() - timedelta(days=20),
        responded_at=timezone.now() - timedelta(days=19),
    )
    older = DockingRequestFactory(
        enterprise=enterprise,
        patent=PatentFactory(institution=officer.institution, title="一种电池热管理系统"),
        submitted_at=timezone.now() - timedelta(days=3),
    )

    # the enterprise docks from the patent's page: the institution is shown, there is nothing to pick
    login("member")
    page.goto(f"{base}/patents/{battery_patent.pk}/")
    page.get_by_test_id("request-docking-link").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-institution").inner_text() == "华中科技大学"
    assert page.locator("select[name=institution]").count() == 0
    page.fill("#id_message", "拟用于动力电池负极产线，希望洽谈许可。")
    page.get_by_test_id("docking-submit").click()
    page.wait_for_load_state("networkidle")
    docking = DockingRequest.objects.get(patent=battery_patent)
    assert docking.institution == officer.institution
    logout()

    # the officer's home counts the two waiting requests and links each
    login("officer_a")
    assert page.get_by_test_id("waiting-count").inner_text() == "2"
    assert (
        page.get_by_test_id("waiting-request")
        .all_inner_texts()[1]
        .startswith("武汉瑞诚科技有限公司 · 一种锂离子电池硅碳负极材料及其制备方法")
    )
    page.get_by_test_id("waiting-request").nth(1).get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/enterprises/docking/{docking.pk}/"
    assert page.get_by_test_id("enterprise-contact").inner_text() == "张敏 · 027-87654321 · zhangmin@example.cn"

    # back to the inbox: waiting requests first (oldest first), then the open negotiation
    page.get_by_test_id("back-link").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/enterprises/docking/inbox/"
    rows = page.get_by_test_id("docking-row")
    assert [r.split("\t")[1].split(" ")[0] for r in rows.all_inner_texts()] == [
        older.patent.title,
        battery_patent.title,
        negotiating.patent.title,
    ]

    # the negotiation failed: the officer closes it with a structured reason
    rows.nth(2).get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    panel = page.get_by_test_id("action-decline")
    assert panel.locator("h3").inner_text() == "终止洽谈（未成交）"
    panel.locator("select[name=decline_reason]").select_option("price")
    panel.locator("textarea[name=note]").fill("双方报价差距过大")
    page.get_by_test_id("do-decline").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-status").inner_text() == "已婉拒"
    assert page.get_by_test_id("decline-reason").inner_text() == "价格分歧：双方报价差距过大"
    negotiating.refresh_from_db()
    assert (negotiating.status, negotiating.decline_reason) == ("declined", "price")

    # the patent is found by its application number in any spelling, in the inventory and the patent list
    for spelling in ("CN202310851648.9", "ZL 2023 1085 1648.9", "2023108516489", "ＣＮ２０２３１０８５１６４８．９"):
        page.goto(f"{base}/patents/inventory/")
        page.get_by_test_id("inventory-filters").locator("input[name=q]").fill(spelling)
        page.get_by_test_id("inventory-filters").get_by_role("button", name="筛选").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("inventory-table").locator("tbody tr").count() == 1, spelling
        assert page.get_by_test_id("inventory-table").locator("td.mono").inner_text() == "202310851648.9"
    page.goto(f"{base}/patents/?q=ZL2023108516489")
    assert page.locator("table.table tbody tr").count() == 1
    assert page.locator("table.table tbody td").first.inner_text() == "202310851648.9"

"""In a real headless Chromium: an officer reports the institution's valid patents held, and the bureau's 盘点率
page shows the rate, lagging first, and drills into the colleges."""

import pytest
from playwright.sync_api import expect

from patents.models import College
from tests.patents.factories import PatentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_reports_holdings_and_the_bureau_sees_the_rate(
    page, login, logout, live_server, officer, other_officer, bureau
):
    # given: HUST has 3 valid patents on the platform (2 of them under 计算机学院), WHU 1
    college = College.objects.create(institution=officer.institution, name="计算机学院")
    PatentFactory.create_batch(2, institution=officer.institution, legal_status="valid", college=college)
    PatentFactory.create(institution=officer.institution, legal_status="valid", inventory_status="inventoried")
    PatentFactory.create(institution=other_officer.institution, legal_status="valid")
    login("officer_a")
    # when: the officer reports 12 from the inventory page
    page.goto(f"{live_server.url}/patents/inventory/")
    page.get_by_test_id("stock-link").click()
    page.get_by_label("持有有效专利数").fill("12")
    page.get_by_label("统计日期").fill("2026-11-30")
    page.get_by_role("button", name="保存").click()
    # then
    expect(page.get_by_test_id("stock-rate")).to_have_text("25.0%")
    # when: the bureau opens the 盘点率 from the dashboard
    logout()
    login("bureau")
    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_test_id("inventory-rate-link").click()
    # then: HUST 3/12 comes first, WHU (not reported) last
    rows = page.get_by_test_id("rate-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("华中科技大学")
    expect(rows.nth(0).locator("[data-rate]")).to_have_text("25.0%")
    expect(rows.nth(1)).to_contain_text("未填报")
    expect(page.get_by_test_id("rate-lagging")).to_have_text("1")
    # when: drill into HUST
    rows.nth(0).get_by_role("link", name="华中科技大学").click()
    # then
    colleges = page.get_by_test_id("college-table").locator("tbody tr")
    expect(colleges).to_have_count(2)
    expect(colleges.nth(0)).to_contain_text("计算机学院")
    expect(colleges.nth(1)).to_contain_text("未指定学院")

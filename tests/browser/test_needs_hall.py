"""In headless Chromium: an officer finds a need in the needs hall (需求大厅) by its words, sees the best patents of
the institution's pool for it with the terms that matched, recommends two of them, and the enterprise signs in and
reads both notifications, naming its need."""

import pytest

from enterprises.models import Enterprise, Notification, PatentPush, TechNeed
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_recommends_two_patents_from_the_hall_and_the_enterprise_reads_them(
    page, login, live_server, officer, make_user, matching_enterprises, pooled_patents
):
    # given an open need written from one of the institution's pooled patents, a member to receive, a current run
    enterprise = matching_enterprises[0]
    Enterprise.objects.filter(pk=enterprise.pk).update(verification=Enterprise.Verification.VERIFIED)
    need = TechNeed.objects.create(
        enterprise=enterprise, title="寻求合作：" + pooled_patents[3].title, keywords="中试 量产", description=""
    )
    make_user("sme0", "enterprise", enterprise=enterprise)
    match_run_execute_inline(run=MatchRun.objects.create())

    # when the officer opens the hall from the navigation and looks the need up by its words
    login("officer_a")
    page.get_by_test_id("nav-needs-hall").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("searchbox", name="需求或企业名称中的词").fill("中试")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("networkidle")
    card = page.locator(f"[data-testid=hall-need][data-need='{need.pk}']")
    assert page.get_by_test_id("hall-need").count() == 1
    matches = card.get_by_test_id("hall-match")
    assert 2 <= matches.count() <= 3
    assert matches.first.get_attribute("data-patent") == str(pooled_patents[3].pk)  # the best match first
    assert matches.first.locator("mark").count() >= 1  # the matched terms marked in its title
    chosen = [matches.nth(i).get_attribute("data-patent") for i in range(2)]
    for i in range(2):
        matches.nth(i).get_by_test_id("hall-select").check()
    card.get_by_test_id("hall-message").fill("两件专利均可许可，欢迎洽谈。")
    card.get_by_test_id("hall-recommend").click()
    page.wait_for_load_state("networkidle")

    # then the officer reads what was sent, back on the filtered hall
    assert f"已向 {enterprise.name} 推荐 2 件专利" in page.content()
    assert "q=%E4%B8%AD%E8%AF%95" in page.url
    assert sorted(map(str, PatentPush.objects.values_list("patent_id", flat=True))) == sorted(chosen)

    # when the enterprise signs in and opens its notifications
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")
    login("sme0")
    page.goto(f"{live_server.url}/enterprises/notifications/")
    notices = page.get_by_test_id("notification")

    # then both recommendations are there, naming the need and the officer's note
    assert notices.count() == 2
    text = notices.first.inner_text() + notices.nth(1).inner_text()
    assert text.count(f"针对贵企业的技术需求「{need.title}」推荐了专利") == 2
    assert "两件专利均可许可，欢迎洽谈。" in text
    assert Notification.objects.filter(message_kind="push.need").count() == 2

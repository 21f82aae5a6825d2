"""In headless Chromium: an officer pushes a pooled patent to two matched enterprises (seeing the text that
matched), and one of them opens the notification, follows the patent and requests docking from it."""

import pytest

from enterprises.models import DockingRequest, Enterprise, Notification, PatentFollow
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_pushes_a_patent_and_an_enterprise_follows_and_docks_from_the_notification(
    page, login, live_server, officer, make_user, matching_enterprises, pooled_patents
):
    # given a current run, and a user for every matched enterprise
    Enterprise.objects.update(verification=Enterprise.Verification.VERIFIED)
    match_run_execute_inline(run=MatchRun.objects.create())
    patent = pooled_patents[0]
    usernames = {}
    for i, enterprise in enumerate(matching_enterprises):
        make_user(f"m{i}", "enterprise", enterprise=enterprise)
        usernames[str(enterprise.pk)] = f"m{i}"

    # when the officer opens the patent's matched enterprises and pushes it to the first two
    login("officer_a")
    page.goto(f"{live_server.url}/matching/patents/{patent.pk}/enterprises/")
    rows = page.get_by_test_id("matched-enterprise")
    assert rows.count() >= 2
    first = rows.first
    reason = first.locator("[data-testid=matched-need], [data-testid=matched-profile]")
    assert reason.count() >= 1  # why it matched
    assert reason.first.locator("mark").count() >= 1  # with the matched terms marked
    chosen = [rows.nth(i).get_attribute("data-enterprise") for i in range(2)]
    for i in range(2):
        rows.nth(i).get_by_test_id("push-select").check()
    page.get_by_test_id("push-message").fill("欢迎洽谈许可，可提供样品测试。")
    page.get_by_test_id("push-submit").click()
    page.wait_for_load_state("networkidle")

    # then both rows say pushed, and each enterprise has one push notification
    assert "已推送给 2 家企业" in page.content()
    pushed = {
        page.get_by_test_id("matched-enterprise").nth(i).get_attribute("data-enterprise")
        for i in range(page.get_by_test_id("matched-enterprise").count())
        if page.get_by_test_id("matched-enterprise").nth(i).get_by_test_id("pushed-at").count()
    }
    assert pushed == set(chosen)
    assert Notification.objects.filter(kind="push").count() == 2

    # when the first enterprise signs in, opens the notification, follows and docks
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")
    login(usernames[chosen[0]])
    page.goto(f"{live_server.url}/enterprises/notifications/")
    notice = page.get_by_test_id("notification").first
    assert patent.title in notice.inner_text()
    notice.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/patents/{patent.pk}/")
    page.get_by_test_id("follow-button").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("request-docking-link").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_message", "看到推送，希望洽谈许可。")
    page.fill("#id_contact_phone", "13800000000")
    page.get_by_test_id("docking-submit").click()
    page.wait_for_load_state("networkidle")

    # then the follow and the docking request exist for that enterprise and patent
    enterprise_pk = int(chosen[0])
    assert PatentFollow.objects.filter(enterprise_id=enterprise_pk, patent=patent).exists()
    assert DockingRequest.objects.filter(enterprise_id=enterprise_pk, patent=patent).count() == 1

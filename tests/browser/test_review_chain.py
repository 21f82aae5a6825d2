"""In headless Chromium, the review chain: an inventor submits a patent from 我的专利, the college admin approves it in
the queue, the officer approves it (the institution pools on approval) and an enterprise's search finds it; a patent
the college admin returns goes back to the inventor with its comment."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from matching.live.index import live_index_forget
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import InventoryStatus, Patent, PatentInventor, ReviewStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _search_hits(page, live_server, text: str) -> list[str]:
    page.goto(f"{live_server.url}{reverse('matching:search')}?q={text}")
    hits = page.get_by_test_id("search-hit")
    return [hits.nth(i).locator("h2 a").get_attribute("href") for i in range(hits.count())]


def _signed_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def _queue_action(page, live_server, patent: Patent, action: str, comment: str = "") -> None:
    page.goto(f"{live_server.url}{reverse('patents:review_queue')}")
    form = page.get_by_test_id("review-form")
    form.locator(f"tr[data-pk='{patent.pk}'] input[name=patents]").check()
    form.locator("select[name=action]").select_option(action)
    if comment:
        form.locator("input[name=comment]").fill(comment)
    form.get_by_role("button", name="应用到所选专利").click()
    page.wait_for_load_state("networkidle")


def test_a_patent_goes_from_the_inventor_through_the_college_and_the_university_into_an_enterprises_search(
    page,
    login,
    live_server,
    institution,
    college,
    officer,
    college_admin,
    inventor,
    enterprise_member,
    pooled_patents,
    matching_enterprises,
):
    # given: tonight's run; a draft of the college with the text of a pooled patent, and a second draft, both the
    # inventor's; the university pools what it approves
    institution.review_pools_on_approval = True
    institution.save()
    Enterprise.objects.update(verification=Enterprise.Verification.VERIFIED)
    match_run_execute_inline(run=MatchRun.objects.create())
    live_index_forget()
    source = pooled_patents[0]
    drafts = [
        Patent.objects.create(
            application_number=number,
            title=title,
            abstract=source.abstract,
            patent_type="invention",
            institution=institution,
            college=college,
            inventory_status="inventoried",
            legal_status="valid",
            transfer_modes=["licence"],
        )
        for number, title in (("2023108516489", source.title), ("2023108516490", "一种待补充摘要的专利"))
    ]
    for patent in drafts:
        PatentInventor.objects.create(patent=patent, user=inventor)
    twin, second = drafts
    twin_link = reverse("patents:detail", args=[twin.pk])
    login("member")
    assert twin_link not in _search_hits(page, live_server, source.title)
    _signed_out(page)

    # when: the inventor submits both from 我的专利
    login("inventor_a")
    for patent in drafts:
        page.goto(f"{live_server.url}{reverse('patents:my_patents')}")
        page.get_by_test_id("my-patents").get_by_role("link", name=patent.title).click()
        page.get_by_test_id("submit-form").get_by_role("button", name="提交审核").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("review-step").inner_text() == "待学院审核"
    _signed_out(page)
    # the college admin approves one and returns the other with a comment
    login("college_cs")
    assert page.get_by_test_id("review-waiting-total").inner_text() == "2"
    _queue_action(page, live_server, twin, "approve")
    _queue_action(page, live_server, second, "return", "请补充技术效果")
    _signed_out(page)
    # the officer approves it: the institution pools on approval
    login("officer_a")
    page.get_by_test_id("review-waiting-college_approved").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("review-step").all_inner_texts() == ["待学校审核"]
    _queue_action(page, live_server, twin, "approve")
    _signed_out(page)

    # then: pooled, and the enterprise's search finds it at once
    twin.refresh_from_db()
    assert (twin.review_status, twin.inventory_status) == (ReviewStatus.UNIVERSITY_APPROVED, InventoryStatus.POOLED)
    login("member")
    assert twin_link in _search_hits(page, live_server, source.title)
    _signed_out(page)
    # and the returned one is back with the inventor, its comment shown
    login("inventor_a")
    page.goto(f"{live_server.url}{reverse('patents:my_patents')}")
    row = page.get_by_test_id("my-patents").locator(f"tr[data-pk='{second.pk}']")
    assert row.get_by_test_id("my-step").inner_text() == "已退回"
    assert row.get_by_test_id("my-comment").inner_text() == "请补充技术效果"
    row.get_by_role("link").click()
    assert page.get_by_test_id("return-comment").inner_text() == "退回意见：请补充技术效果"
    assert page.get_by_test_id("submit-form").is_visible() is True

"""In headless Chromium, an enterprise's journey: it searches the pool, narrows it with a facet, sees the hits with
their matched terms and published terms, follows one and requests docking from another; on its recommendations it
picks one of its needs; on a patent's page it reads what the officer published."""

from decimal import Decimal

import pytest

from enterprises.models import DockingRequest, PatentFollow, TechNeed
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(make_user, matching_enterprises, pooled_patents, other_institution):
    enterprise = matching_enterprises[0]
    enterprise.verification = "verified"
    enterprise.save(update_fields=["verification"])
    moved = [p.pk for p in pooled_patents[::2]]
    Patent.objects.filter(pk__in=moved).update(institution=other_institution)
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents]).update(
        price_min=Decimal("50000"), price_max=Decimal("200000"), contact="李老师", contact_phone="027-87540000"
    )
    Patent.objects.filter(pk=pooled_patents[12].pk).update(
        transfer_modes=["open_licence"], open_licence_payment="lump_sum", open_licence_lump_sum=Decimal("30000")
    )
    old = TechNeed.objects.create(enterprise=enterprise, title=pooled_patents[12].title)
    TechNeed.objects.create(enterprise=enterprise, title=pooled_patents[31].title)
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("sme", "enterprise", enterprise=enterprise)
    return {"moved": set(moved), "old_need": old, "enterprise": enterprise}


def test_search_facet_follow_dock_then_a_need_then_the_patent_page(
    page, login, live_server, journey, pooled_patents, other_institution
):
    base = live_server.url
    login("sme")

    # search, then narrow to one institution with its facet link
    page.goto(f"{base}/matching/search/")
    page.fill("input[name=q]", " ".join(p.title for p in pooled_patents[:8]))
    page.get_by_role("button", name="检索").click()
    page.wait_for_load_state("load")
    page.locator("[data-facet=institution]").get_by_role("link", name="武汉大学").click()
    page.wait_for_load_state("load")
    assert page.get_by_test_id("active-filter").inner_text() == "高校/院所: 武汉大学 ✕"
    hits = page.get_by_test_id("search-hit")
    assert hits.count() >= 2
    titles = [hits.nth(i).locator("h2 a").inner_text() for i in range(hits.count())]
    in_moved = {p.title for p in pooled_patents if p.pk in journey["moved"]}
    assert set(titles) <= in_moved
    assert hits.first.get_by_test_id("term").count() >= 1
    assert "李老师 · 027-87540000" in hits.first.get_by_test_id("published-terms").inner_text()

    # follow the first hit: back on the same filtered search, now followed
    first_title = titles[0]
    hits.first.get_by_test_id("follow-button").click()
    page.wait_for_load_state("load")
    assert f"institution={other_institution.pk}" in page.url
    assert page.get_by_test_id("search-hit").first.get_by_test_id("unfollow-button").is_visible()
    assert PatentFollow.objects.filter(enterprise=journey["enterprise"], patent__title=first_title).count() == 1

    # dock from the second hit: the patent and its institution are filled in
    page.get_by_test_id("search-hit").nth(1).get_by_test_id("request-docking-link").click()
    page.wait_for_load_state("load")
    assert titles[1] in page.get_by_test_id("docking-subject").inner_text()
    assert page.get_by_test_id("docking-institution").inner_text() == "武汉大学"
    page.fill("#id_message", "用于我司电池产线的工艺改进")
    page.fill("#id_contact_email", "sme@example.cn")
    page.get_by_test_id("docking-submit").click()
    page.wait_for_load_state("load")
    docking = DockingRequest.objects.get()
    assert (docking.patent.title, docking.institution_id) == (titles[1], other_institution.pk)

    # removing the facet brings every institution back
    page.goto(f"{base}/matching/search/?q={pooled_patents[0].title}&institution={other_institution.pk}")
    page.get_by_test_id("active-filter").click()
    page.wait_for_load_state("load")
    assert page.get_by_test_id("active-filter").count() == 0

    # recommendations for one need
    page.click("text=为您推荐")
    page.locator(f"[data-need='{journey['old_need'].pk}']").click()
    page.wait_for_load_state("load")
    assert f"只看需求“{journey['old_need'].title}”" in page.get_by_test_id("need-note").inner_text()
    first = page.get_by_test_id("recommendation").first
    assert pooled_patents[12].title in first.inner_text()
    assert "一次性总额 30,000 元" in first.get_by_test_id("published-terms").inner_text()

    # the patent page shows what the officer published
    first.locator("h2 a").click()
    page.wait_for_load_state("load")
    terms = page.get_by_test_id("published-terms").inner_text()
    assert "开放许可" in terms
    assert "50,000 – 200,000 元" in terms
    assert "李老师 · 027-87540000" in terms

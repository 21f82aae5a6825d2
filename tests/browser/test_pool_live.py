"""In headless Chromium: a patent an officer pools after the nightly run is found by an enterprise's search at once
(the live index), and is gone from it as soon as the officer withdraws it."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from matching.live.index import live_index_forget
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _search_hits(page, live_server, text: str) -> list[str]:
    page.goto(f"{live_server.url}{reverse('matching:search')}?q={text}")
    hits = page.get_by_test_id("search-hit")
    return [hits.nth(i).locator("h2 a").get_attribute("href") for i in range(hits.count())]


def test_a_patent_pooled_after_the_run_is_found_by_an_enterprise_and_gone_once_withdrawn(
    page, login, live_server, officer, enterprise_member, pooled_patents, matching_enterprises
):
    # given: tonight's run, then an inventoried patent with the text of a pooled one (its words are in the run)
    Enterprise.objects.update(verification=Enterprise.Verification.VERIFIED)
    match_run_execute_inline(run=MatchRun.objects.create())
    live_index_forget()
    source = pooled_patents[0]
    twin = Patent.objects.create(
        application_number="2023108516489",
        title=source.title,
        abstract=source.abstract,
        claims=source.claims,
        patent_type="invention",
        institution=source.institution,
        inventory_status="inventoried",
        legal_status="valid",
        transfer_modes=["licence"],
    )
    twin_link = reverse("patents:detail", args=[twin.pk])
    login("member")
    assert twin_link not in _search_hits(page, live_server, source.title)
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")

    # when: the officer pools it on its page
    login("officer_a")
    page.goto(f"{live_server.url}{reverse('patents:manage', args=[twin.pk])}")
    page.get_by_test_id("pool-form").get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert Patent.objects.get(pk=twin.pk).inventory_status == "pooled"
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")

    # then: the enterprise's search finds it next to its twin, without a new run
    login("member")
    hits = _search_hits(page, live_server, source.title)
    assert twin_link in hits
    assert reverse("patents:detail", args=[source.pk]) in hits
    assert MatchRun.objects.count() == 1
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")

    # when: the officer withdraws it with a reason
    login("officer_a")
    page.goto(f"{live_server.url}{reverse('patents:manage', args=[twin.pk])}")
    form = page.get_by_test_id("unpool-form")
    form.locator("#unpool-reason").fill("已与企业签订转让合同")
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")

    # then: gone from the enterprise's search
    login("member")
    assert twin_link not in _search_hits(page, live_server, source.title)

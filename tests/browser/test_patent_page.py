"""In headless Chromium: an enterprise opens a pooled patent from its recommendations and sees what it decides on —
the inventors, the claims (folded, opened on a click), the legal-status history and the similar pooled patents,
one of which it opens in turn."""

import pytest

from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent
from patents.services import patent_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_opens_a_patent_and_sees_claims_legal_history_and_similar_patents(
    page, login, live_server, make_user, officer, matching_enterprises, pooled_patents
):
    # given: the first patent's legal status moved from pending to valid by its officer, then a run
    patent = pooled_patents[0]
    Patent.objects.filter(pk=patent.pk).update(legal_status="pending", inventors="王五；赵六")
    patent.refresh_from_db()
    patent_update(patent=patent, user=officer, data={"legal_status": "valid"})
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    login("m0")
    page.click("text=为您推荐")
    # when
    page.get_by_test_id("recommendation").first.get_by_role("link", name=patent.title).click()
    page.wait_for_load_state("load")
    # then
    assert page.get_by_test_id("inventors").inner_text() == "王五；赵六"
    claims = page.get_by_test_id("claims")
    assert not claims.locator(".claims").is_visible()  # folded until asked for
    claims.locator("summary").click()
    assert patent.claims[:20] in claims.locator(".claims").inner_text()
    history = page.get_by_test_id("legal-history").inner_text()
    assert "审中 → 有效" in history
    similar = page.get_by_test_id("similar-patent")
    assert similar.count() == 5
    titles = similar.locator("a").all_inner_texts()
    assert patent.title not in titles
    similar.first.locator("a").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == titles[0]

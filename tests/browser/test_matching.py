"""In headless Chromium: an enterprise sees its recommendations with reasons, follows one; staff start a run."""

import pytest

from matching.models import MatchRun
from matching.services import match_run_execute_inline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_sees_ranked_recommendations_and_follows_one(
    page,
    login,
    live_server,
    make_user,
    matching_enterprises,
    pooled_patents,
):
    # given
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    login("m0")
    # when
    page.click("text=为您推荐")
    # then
    first = page.get_by_test_id("recommendation").first
    assert pooled_patents[0].title in first.inner_text()
    assert first.locator("mark").count() >= 1
    first.get_by_test_id("follow-button").click()
    page.wait_for_load_state("load")
    assert page.get_by_test_id("recommendation").first.get_by_test_id("unfollow-button").is_visible()


def test_staff_start_a_run_and_watch_it_finish(
    page,
    login,
    live_server,
    bureau,
    pooled_patents,
    matching_enterprises,
):
    login("bureau")
    page.goto(f"{live_server.url}/matching/runs/")
    page.get_by_test_id("start-run").click()
    page.wait_for_load_state("load")
    page.wait_for_function("document.querySelector('tr[data-run] progress').value == 100", timeout=60_000)
    assert MatchRun.objects.get().status == "done"

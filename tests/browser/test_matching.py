"""In headless Chromium: an enterprise sees its recommendations with reasons and follows one (staff starting a
run and following its progress: test_run_progress.py)."""

import pytest

from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline

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

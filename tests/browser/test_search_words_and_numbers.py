"""In headless Chromium, search finds what was typed: a patent number in the spellings people use
brings that patent first; a two-word query shows a title holding both words above titles holding one, and names
the word a hit lacks. The recommendations show the score they are ordered by."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import DockingRequest, TechNeed
from matching.models import MatchRun, Recommendation
from matching.runs.inline import match_run_execute_inline
from tests.matching.search_data import (
    ONE_WORD_TITLES,
    SPELLINGS,
    TWO_WORDS,
    coverage_patents,
    numbered_patent,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _search(page, base: str, text: str) -> None:
    page.goto(f"{base}/matching/search/")
    page.fill("input[name=q]", text)
    page.get_by_role("button", name="检索").click()
    page.wait_for_load_state("load")


def test_a_number_typed_three_ways_finds_its_patent_first(
    page, login, live_server, institution, pooled_patents, matching_enterprises, make_user
):
    # given
    patent = numbered_patent(institution)
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("sme", "enterprise", enterprise=matching_enterprises[0])
    login("sme")
    for typed in SPELLINGS:
        # when
        _search(page, live_server.url, typed)
        # then
        first = page.get_by_test_id("search-hit").first
        assert first.locator("h2 a").inner_text() == patent.title, typed
        assert first.get_by_test_id("number-match").inner_text() == "申请号匹配"
        assert patent.application_number in first.inner_text()


def test_a_two_word_query_shows_the_title_holding_both_first(
    page, login, live_server, institution, pooled_patents, matching_enterprises, make_user
):
    # given
    both, one_word = coverage_patents(institution)
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("sme", "enterprise", enterprise=matching_enterprises[0])
    login("sme")
    # when
    _search(page, live_server.url, TWO_WORDS)
    # then: both words first, each one-word title below it with the missing word named
    hits = page.get_by_test_id("search-hit")
    titles = [hits.nth(i).locator("h2 a").inner_text() for i in range(hits.count())]
    assert titles[0] == both.title
    assert set(ONE_WORD_TITLES) <= set(titles[1:])
    assert hits.first.get_by_test_id("missing-words").count() == 0
    fishing = hits.nth(titles.index(ONE_WORD_TITLES[0]))
    assert fishing.get_by_test_id("missing-words").inner_text() == "未含: 隔膜"
    shown = [float(re.search(r"相关度 ([0-9.]+)%", hits.nth(i).inner_text())[1]) for i in range(hits.count())]
    assert shown == sorted(shown, reverse=True)


def test_recommendation_cards_show_the_score_they_are_ordered_by(
    page, login, live_server, pooled_patents, matching_enterprises, make_user
):
    # given: the enterprise declined its best patent, so feedback reorders its list
    enterprise = matching_enterprises[0]
    TechNeed.objects.create(
        enterprise=enterprise, title="多领域技术需求", description="；".join(p.title for p in pooled_patents[:12])
    )
    run = match_run_execute_inline(run=MatchRun.objects.create())
    declined = Recommendation.objects.filter(run=run, enterprise=enterprise).order_by("rank").first().patent
    DockingRequest.objects.create(
        enterprise=enterprise,
        patent=declined,
        institution=declined.institution,
        status="declined",
        expires_at=timezone.now() + timedelta(days=60),
    )
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("m0", "enterprise", enterprise=enterprise)
    login("m0")
    # when: every page of the list
    page.goto(f"{live_server.url}/matching/recommendations/")
    shown: list[float] = []
    notes: list[str] = []
    while True:
        cards = page.get_by_test_id("recommendation")
        for i in range(cards.count()):
            shown.append(float(cards.nth(i).get_by_test_id("score").inner_text().rstrip("%")))
            note = cards.nth(i).get_by_test_id("feedback-adjustment")
            if note.count():
                notes.append(note.inner_text())
        following = page.get_by_role("link", name=re.compile("下一页"))
        if not following.count():
            break
        following.first.click()
        page.wait_for_load_state("load")
    # then
    assert len(shown) >= 10
    assert shown == sorted(shown, reverse=True)
    assert notes
    assert all(re.fullmatch(r"含反馈调整 [+-][0-9]+\.[0-9]", n) for n in notes)

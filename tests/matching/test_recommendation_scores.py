"""The order follows the score shown: recommendations are ordered by the score after the
enterprise's feedback, and that is the score each card and the API show, with the adjustment named."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import DockingRequest, PatentFollow, TechNeed
from matching.models import MatchRun, Recommendation
from matching.runs.inline import match_run_execute_inline

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_with_feedback(pooled_patents, matching_enterprises, make_user, settings):
    """A member whose enterprise declined its best patent and follows its fifth: the feedback reorders the list."""
    settings.MATCHING_RECOMMENDATIONS_PAGE_SIZE = 50
    enterprise = matching_enterprises[0]
    member = make_user("m0", "enterprise", enterprise=enterprise)
    # a broad need (the titles of twelve patents), so the list is long enough to reorder
    TechNeed.objects.create(
        enterprise=enterprise, title="多领域技术需求", description="；".join(p.title for p in pooled_patents[:12])
    )
    run = match_run_execute_inline(run=MatchRun.objects.create())
    ranked = list(Recommendation.objects.filter(run=run, enterprise=enterprise).order_by("rank"))
    declined, followed = ranked[0].patent, ranked[4].patent
    DockingRequest.objects.create(
        enterprise=enterprise,
        patent=declined,
        institution=declined.institution,
        status="declined",
        expires_at=timezone.now() + timedelta(days=60),
    )
    PatentFollow.objects.create(enterprise=enterprise, patent=followed, created_by=member)
    match_run_execute_inline(run=MatchRun.objects.create())
    return member, declined, followed


def _shown(html: str) -> list[float]:
    return [float(x) for x in re.findall(r'data-testid="score">([0-9.]+)%<', html)]


def test_each_card_shows_the_score_the_list_is_ordered_by(client, member_with_feedback):
    # given
    member, declined, followed = member_with_feedback
    client.force_login(member)
    # when
    html = client.get(reverse("matching:recommendations")).content.decode()
    # then: the scores shown never increase down the list
    shown = _shown(html)
    assert len(shown) >= 10
    assert shown == sorted(shown, reverse=True)
    # and the cards whose score feedback moved say so, by how much, with the engine's own score in the title
    cards = html.split('data-testid="recommendation"')[1:]
    for patent, sign in ((declined, "-"), (followed, "+")):
        card = next(c for c in cards if f"/patents/{patent.pk}/" in c)
        rec = Recommendation.objects.filter(run__is_current=True, patent=patent, enterprise=member.enterprise).get()
        assert f'data-testid="score">{rec.final_score * 100:.1f}%<' in card
        change = round(rec.final_score * 100, 1) - round(rec.score * 100, 1)
        assert f"含反馈调整 {change:+.1f}" in card
        assert f"{change:+.1f}".startswith(sign)
        assert f"引擎匹配度 {rec.score * 100:.1f}%" in card


def test_a_card_without_feedback_has_no_adjustment_note(client, pooled_patents, matching_enterprises, make_user):
    # given: no feedback at all
    member = make_user("m1", "enterprise", enterprise=matching_enterprises[1])
    match_run_execute_inline(run=MatchRun.objects.create())
    client.force_login(member)
    # when
    html = client.get(reverse("matching:recommendations")).content.decode()
    # then
    assert _shown(html)
    assert 'data-testid="feedback-adjustment"' not in html


def test_the_api_shows_the_score_it_orders_by_and_the_raw_one(client_for, member_with_feedback):
    # given
    member, declined, followed = member_with_feedback
    # when
    body = client_for(member).get(reverse("matching-api:recommendations"), {"page_size": 50}).json()
    # then
    results = body["results"]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    by_pk = {r["patent"]["pk"]: r for r in results}
    for patent in (declined, followed):
        rec = Recommendation.objects.filter(run__is_current=True, patent=patent, enterprise=member.enterprise).get()
        row = by_pk[patent.pk]
        assert (row["score"], row["raw_score"], row["final_score"]) == (rec.final_score, rec.score, rec.final_score)
        assert row["feedback_adjustment"] == rec.final_score - rec.score
    assert by_pk[declined.pk]["feedback_adjustment"] < 0 < by_pk[followed.pk]["feedback_adjustment"]
    untouched = [r for r in results if r["patent"]["pk"] not in (declined.pk, followed.pk)]
    assert any(r["feedback_adjustment"] == 0.0 and r["score"] == r["raw_score"] for r in untouched)


def test_the_schema_documents_the_two_scores(client_for, bureau):
    schema = client_for(bureau).get("/api/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["Recommendation"]["properties"]
    assert "ordered by" in fields["score"]["description"]
    assert "before feedback" in fields["raw_score"]["description"]
    assert fields["feedback_adjustment"]["type"] == "number"
    hit = schema["components"]["schemas"]["Hit"]["properties"]
    assert {"score", "match", "missing_words"} <= set(hit)

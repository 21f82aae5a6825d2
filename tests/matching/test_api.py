"""Matching API and pages: scoped like everything else."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from matching.models import MatchRun, Recommendation
from matching.templatetags.matching_tags import highlight

pytestmark = pytest.mark.django_db


def test_enterprise_gets_its_recommendations_with_terms(
    client_for, make_user, matching_enterprises, run, pooled_patents
):
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    body = client_for(member).get(reverse("matching-api:recommendations")).json()
    assert body["count"] >= 1
    assert body["results"][0]["rank"] == 1
    assert body["results"][0]["patent"]["pk"] == pooled_patents[0].pk
    assert body["results"][0]["terms"]


def test_recommendation_filters(client_for, make_user, matching_enterprises, run, pooled_patents):
    # given: the odd patents of the fixture are offered for licence, the even ones for assignment
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    licence = {p.pk for i, p in enumerate(pooled_patents) if i % 2}
    ranked = Recommendation.objects.filter(run=run, enterprise=matching_enterprises[0]).order_by("-final_score", "rank")
    expected = [pk for pk in ranked.values_list("patent_id", flat=True) if pk in licence]
    # when
    body = client_for(member).get(reverse("matching-api:recommendations"), {"mode": "licence"}).json()
    # then: exactly the licence patents of the unfiltered ranking, in its order
    assert len(expected) >= 2
    assert body["count"] == len(expected)
    assert [r["patent"]["pk"] for r in body["results"]] == expected[:20]
    assert [r["patent"]["transfer_modes"] for r in body["results"]] == [["licence"]] * len(expected[:20])


@pytest.mark.parametrize("fixture", ["officer", "bureau"])
def test_only_enterprise_members_have_recommendations(client_for, request, fixture, run):
    url = reverse("matching-api:recommendations")
    assert client_for(request.getfixturevalue(fixture)).get(url).status_code == 404


def test_push_list_api(client_for, officer, other_officer, run, pooled_patents, matching_enterprises):
    url = reverse("matching-api:matched-enterprises", args=[pooled_patents[0].pk])
    body = client_for(officer).get(url).json()
    assert body["results"][0]["enterprise_pk"] == matching_enterprises[0].pk
    assert client_for(other_officer).get(url).status_code == 404


def test_push_list_shows_an_unverified_enterprise_as_waiting_for_review(
    client, client_for, officer, run, pooled_patents, matching_enterprises
):
    # given the best-matching enterprise is waiting for the bureau's review
    Enterprise.objects.filter(pk=matching_enterprises[0].pk).update(verification="review")
    # when the officer reads the push list through the API and the page
    body = client_for(officer).get(f"/api/v1/patents/{pooled_patents[0].pk}/matched-enterprises/").json()
    client.force_login(officer)
    html = client.get(reverse("matching:patent_enterprises", args=[pooled_patents[0].pk])).content.decode()
    # then it is marked as such on both
    first = body["results"][0]
    assert (first["enterprise_pk"], first["verification"]) == (matching_enterprises[0].pk, "review")
    assert html.count('data-testid="matched-enterprise-verification">待人工审核<') == 1


def test_search_api(client_for, bureau, run, pooled_patents):
    body = client_for(bureau).get(reverse("matching-api:search"), {"q": pooled_patents[3].title}).json()
    assert body["results"][0]["patent"]["pk"] == pooled_patents[3].pk
    assert set(body["facets"]) == {"city", "institution", "ipc_section", "patent_type", "mode"}


def test_match_runs_for_staff_only(client_for, bureau, officer, enterprise_member, run):
    url = reverse("matching-api:match-runs")
    assert client_for(bureau).get(url).json()["results"][0]["status"] == "done"
    assert client_for(officer).get(url).status_code == 403
    assert client_for(enterprise_member).post(url).status_code == 403
    assert MatchRun.objects.count() == 1


def test_recommendations_page_highlights_terms(client, make_user, matching_enterprises, run):
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    client.force_login(member)
    html = client.get(reverse("matching:recommendations")).content.decode()
    assert 'data-testid="recommendation"' in html
    assert "<mark>" in html


def test_highlight_escapes_html():
    assert str(highlight("<b>石油焦</b>", ["石油焦", "石油"])) == "&lt;b&gt;<mark>石油焦</mark>&lt;/b&gt;"


def _recommended_pks(client, member) -> tuple[list[int], str]:
    api = client.get("/api/v1/recommendations/", {"page_size": 100}).json()
    html = client.get(reverse("matching:recommendations")).content.decode()
    return [r["patent"]["pk"] for r in api["results"]], html


@pytest.mark.parametrize("rerank", [False, True])
def test_a_patent_withdrawn_from_the_pool_leaves_recommendations_at_once(
    client, make_user, officer, matching_enterprises, pooled_patents, no_need_feedback, run, rerank
):
    # (without pseudo-relevance feedback, the default: with it a re-rank's feedback no longer holds the withdrawn
    # patent, so the others may move)
    from matching.live.rerank import enterprise_rank_now
    from patents.services import patents_unpool

    # given: the enterprise's best patent is recommended
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    client.force_login(member)
    top = pooled_patents[0]
    before, html = _recommended_pks(client, member)
    assert before[0] == top.pk
    assert top.application_number in html
    # when: its institution takes it out of the pool (optionally the enterprise re-ranks afterwards)
    assert patents_unpool(patents=[top], user=officer, reason="已转让") == 1
    if rerank:
        enterprise_rank_now(enterprise=matching_enterprises[0])
    # then: gone from the API and the page, the others unchanged
    after, html = _recommended_pks(client, member)
    assert top.pk not in after
    assert top.application_number not in html
    assert after == [pk for pk in before if pk != top.pk]

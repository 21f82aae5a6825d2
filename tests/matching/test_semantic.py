"""The latent-semantic layer through the services: runs store the fused score and its semantic part, the push list
ranks by the fused score (served) or the push score, and the recommendation page and API say which part of a match
is semantic. Runs here rank without the needs' pseudo-relevance feedback, so a stored score is the plain fused score
explain() gives (with it: tests/matching/test_need_feedback.py)."""

import pytest
from django.conf import settings
from django.urls import reverse

from matching.engine import PushConfig, enterprise_term_weights, explain, rank_queries
from matching.live.ranking import patent_push_list
from matching.live.rerank import enterprise_rank_now
from matching.models import Recommendation
from matching.runs.artifacts import run_artifacts
from matching.templatetags.matching_tags import percent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_fused(no_need_feedback) -> None:
    """Every run of this module ranks without pseudo-relevance feedback (autouse: before `run`)."""


def test_a_run_stores_the_fused_score_its_semantic_part_and_the_lexical_terms(run, matching_enterprises):
    # given
    index, queries, enterprise_ids = run_artifacts(run)
    assert index.semantic is not None
    first = matching_enterprises[0]
    query = queries[enterprise_ids.tolist().index(first.pk)]

    # when
    recs = list(Recommendation.objects.filter(run=run, enterprise=first).order_by("rank"))

    # then: every patent whose fused score is positive, best first
    every = [explain(index=index, query=query, patent_row=row) for row in range(len(index.patent_ids))]
    assert len(recs) == min(settings.MATCHING_TOP_K, sum(why.score > 0 for why in every))
    for rec in recs:
        why = explain(index=index, query=query, patent_row=index.row_of(str(rec.patent_id)))
        assert rec.score == pytest.approx(why.score, abs=1e-6)
        assert rec.semantic == pytest.approx(why.semantic, abs=1e-6)
        assert rec.score == pytest.approx((1 - why.semantic_weight) * why.lexical + why.semantic_weight * rec.semantic)
        assert rec.terms == [t.term for t in why.terms[: settings.MATCHING_TERMS_SHOWN]]
    assert [r.score for r in recs] == sorted((r.score for r in recs), reverse=True)
    assert recs[0].semantic > 0.5  # the best match is close in the latent space too


def test_ranking_one_enterprise_now_stores_the_semantic_part_too(run, matching_enterprises):
    # given
    first = matching_enterprises[0]
    stored = {r.patent_id: (r.score, r.semantic) for r in Recommendation.objects.filter(run=run, enterprise=first)}

    # when
    ranked = enterprise_rank_now(enterprise=first)

    # then: the same text ranks the same way, semantic parts included
    again = {r.patent_id: (r.score, r.semantic) for r in Recommendation.objects.filter(run=run, enterprise=first)}
    assert [r.patent_id for r in ranked] == list(
        Recommendation.objects.filter(run=run, enterprise=first).order_by("rank").values_list("patent_id", flat=True)
    )
    assert again.keys() == stored.keys()
    for patent_id, (score, semantic) in again.items():
        assert score == pytest.approx(stored[patent_id][0], abs=1e-6)
        assert semantic == pytest.approx(stored[patent_id][1], abs=1e-6)


def test_push_list_served_ranks_enterprises_by_the_fused_score(run, pooled_patents, matching_enterprises):
    # given
    index, queries, enterprise_ids = run_artifacts(run)
    row = index.row_of(str(pooled_patents[0].pk))

    # when
    push = patent_push_list(patent_id=pooled_patents[0].pk, k=5, served=True)

    # then
    expected = rank_queries(index=index, queries=queries, patent_row=row, k=5).row(0)
    assert [pk for pk, _ in push] == [int(enterprise_ids[i]) for i, _ in expected]
    assert [score for _, score in push] == pytest.approx([score for _, score in expected], abs=1e-7)
    assert push[0][0] == matching_enterprises[0].pk
    first = explain(index=index, query=queries[int(expected[0][0])], patent_row=row)
    assert push[0][1] == pytest.approx(first.score, abs=1e-6)
    assert first.semantic > 0


def test_push_list_ranks_enterprises_by_the_push_score(run, pooled_patents, matching_enterprises):
    # given
    index, queries, enterprise_ids = run_artifacts(run)
    row = index.row_of(str(pooled_patents[0].pk))

    # when
    push = patent_push_list(patent_id=pooled_patents[0].pk, k=5)

    # then: generic words discounted by their spread over the run's enterprises, single-term pairs lowered
    expected = rank_queries(
        index=index, queries=queries, patent_row=row, k=5, push=PushConfig(),
        term_weights=enterprise_term_weights(queries),
    ).row(0)  # fmt: skip
    assert [pk for pk, _ in push] == [int(enterprise_ids[i]) for i, _ in expected]
    assert [score for _, score in push] == pytest.approx([score for _, score in expected], abs=1e-7)
    assert push[0][0] == matching_enterprises[0].pk
    served = dict(patent_push_list(patent_id=pooled_patents[0].pk, k=5, served=True))
    assert all(0 < score <= served[pk] + 1e-7 for pk, score in push if pk in served)  # push score <= fused score


def test_recommendation_page_and_api_say_which_part_is_semantic(
    client, client_for, make_user, run, matching_enterprises
):
    # given
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    best = Recommendation.objects.filter(run=run, enterprise=matching_enterprises[0]).order_by("-final_score", "rank")[
        0
    ]
    client.force_login(member)

    # when
    html = client.get(reverse("matching:recommendations")).content.decode()
    body = client_for(member).get(reverse("matching-api:recommendations")).json()

    # then
    assert best.semantic > 0
    assert 'data-testid="semantic"' in html
    assert f"语义相似 {percent(best.semantic)}" in html
    assert body["results"][0]["semantic"] == best.semantic
    assert body["results"][0]["score"] == best.score
    assert body["results"][0]["terms"] == best.terms

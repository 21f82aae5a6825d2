"""Needs ranked with pseudo-relevance feedback (PLATFORM_MATCHING_NEED_FEEDBACK on): a run, a re-rank of one
enterprise and one need alone rank the same way; a stored score is the need's own lexical part plus the semantic
part of its expanded query, and the explaining terms are still the need's own words."""

import numpy as np
import pytest

from matching.engine import DEFAULT_PSEUDO_FEEDBACK, explain, rank_index
from matching.live.rerank import enterprise_rank_now
from matching.models import Recommendation
from matching.runs.artifacts import run_artifacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def need_feedback_on(settings) -> None:
    """Request it before `run`."""
    settings.MATCHING_NEED_FEEDBACK = True


def test_a_run_with_feedback_stores_its_scores_semantic_parts_and_own_terms(
    need_feedback_on, run, matching_enterprises, settings
):
    # given
    index, queries, enterprise_ids = run_artifacts(run)
    first = matching_enterprises[0]
    row = enterprise_ids.tolist().index(first.pk)

    # when
    recs = list(Recommendation.objects.filter(run=run, enterprise=first).order_by("rank"))
    ranked = rank_index(index=index, queries=queries[row], k=len(recs), feedback=DEFAULT_PSEUDO_FEEDBACK)

    # then: the stored list is the engine's ranking with feedback
    assert [r.patent_id for r in recs] == [int(index.patent_ids[j]) for j in ranked.indices[0]]
    for rec, score, semantic in zip(recs, ranked.scores[0], ranked.semantic[0], strict=True):
        why = explain(index=index, query=queries[row], patent_row=index.row_of(str(rec.patent_id)))
        assert rec.score == pytest.approx(float(score), abs=1e-6)
        assert rec.semantic == pytest.approx(float(semantic), abs=1e-6)
        assert rec.score == pytest.approx((1 - why.semantic_weight) * why.lexical + why.semantic_weight * rec.semantic)
        assert rec.terms == [t.term for t in why.terms[: settings.MATCHING_TERMS_SHOWN]]


def test_re_ranking_an_enterprise_with_feedback_gives_the_run_s_list(need_feedback_on, run, matching_enterprises):
    # given
    first = matching_enterprises[0]
    stored = {r.patent_id: (r.score, r.semantic) for r in Recommendation.objects.filter(run=run, enterprise=first)}

    # when
    ranked = enterprise_rank_now(enterprise=first)

    # then
    again = {r.patent_id: (r.score, r.semantic) for r in Recommendation.objects.filter(run=run, enterprise=first)}
    assert again.keys() == stored.keys()
    assert len(ranked) == len(stored)
    for patent_id, (score, semantic) in again.items():
        assert score == pytest.approx(stored[patent_id][0], abs=1e-6)
        assert semantic == pytest.approx(stored[patent_id][1], abs=1e-6)
    assert np.all(np.diff([r.score for r in ranked]) <= 0)

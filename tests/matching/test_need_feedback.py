"""Needs ranked with pseudo-relevance feedback (PLATFORM_MATCHING_NEED_FEEDBACK on): a run, a re-rank of one
enterprise and one need alone rank the same way; a stored score is the need's own lexical part plus the semantic
part of its expanded query, and the explaining terms are still the need's own words."""

import csv
from pathlib import Path

import numpy as np
import pytest

from matching.engine import DEFAULT_PSEUDO_FEEDBACK, explain, rank_index
from matching.live.rerank import enterprise_rank_now
from matching.models import Recommendation
from matching.runs.artifacts import run_artifacts

pytestmark = pytest.mark.django_db


KPPATENT = Path(__file__).resolve().parents[2] / "demo_data" / "kppatent-zh"


@pytest.fixture
def need_feedback_on(settings, pooled_patents) -> None:
    """Request it before `run`. The pooled patents get the IPC subclasses the demo gives them (demo_data's
    ipc_inferred.csv: each KPPatent-ZH patent's nearest labelled title's), so the run's index has a class prior for
    the feedback's vote to act on."""
    settings.MATCHING_NEED_FEEDBACK = True
    with (KPPATENT / "patents_full.csv").open(encoding="utf-8-sig", newline="") as fh:
        # demo.sources' key: the publication number, else the row ("full-<row>")
        key_of = {row["title"]: row["publication_number"] or f"full-{i}" for i, row in enumerate(csv.DictReader(fh))}
    with (KPPATENT / "ipc_inferred.csv").open(encoding="utf-8-sig", newline="") as fh:
        inferred = {row["key"]: row["ipc_subclasses"].split("|") for row in csv.DictReader(fh)}
    for patent in pooled_patents:
        subclasses = inferred[key_of[patent.title]]
        patent.ipc_main, patent.ipc_codes = f"{subclasses[0]}1/00", [f"{sub}1/00" for sub in subclasses[1:]]
        patent.save()


def test_a_run_with_feedback_stores_its_scores_semantic_parts_and_own_terms(
    need_feedback_on, run, matching_enterprises, settings
):
    # given
    index, queries, enterprise_ids = run_artifacts(run)
    assert index.semantic.classes is not None  # the feedback's class vote has classes to act on
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

"""Matching runs end to end on real patent texts: recommendations and the push list, idempotent chunks, feedback,
incremental, search."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import DockingRequest, TechNeed
from matching.live.rerank import enterprise_rank_now
from matching.models import EnterpriseTokens, MatchChunk, MatchRun, PatentTokens, Recommendation
from matching.reading.push_list import enterprises_for_patent
from matching.reading.recommendations import recommendations_for_enterprise
from matching.reading.search import patent_search
from matching.runs import tokens
from matching.runs.chunks import match_chunk_execute
from matching.runs.current import current_run
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent

pytestmark = pytest.mark.django_db


def _run() -> MatchRun:
    return match_run_execute_inline(run=MatchRun.objects.create())


def test_full_run_ranks_for_enterprises_and_patents_and_becomes_current(
    pooled_patents, matching_enterprises, officer, make_user
):
    # when
    run = _run()
    # then
    assert (run.status, run.is_current, run.progress) == ("done", True, 100)
    assert run.counts["patents"] == 40
    assert run.counts["enterprises"] == 5
    first = matching_enterprises[0]
    recs = list(recommendations_for_enterprise(user=make_user("m0", "enterprise", enterprise=first)))
    assert recs[0].patent == pooled_patents[0]  # its scope was written from patent 0's keyphrases
    assert [r.rank for r in Recommendation.objects.filter(run=run, enterprise=first)] == list(range(1, len(recs) + 1))
    assert recs[0].terms
    assert all(0 < r.score <= 1 for r in recs)
    push = enterprises_for_patent(user=officer, patent_id=pooled_patents[0].pk)
    assert push[0].enterprise == first
    assert [p.rank for p in push] == list(range(1, len(push) + 1))


def test_a_rerun_chunk_replaces_its_own_rows(pooled_patents, matching_enterprises):
    # given
    run = _run()
    before = sorted(Recommendation.objects.filter(run=run).values_list("enterprise_id", "patent_id", "rank"))
    # when: a duplicate delivery of every chunk
    for chunk in MatchChunk.objects.filter(run=run):
        match_chunk_execute(run=run, number=chunk.number)
    # then
    after = sorted(Recommendation.objects.filter(run=run).values_list("enterprise_id", "patent_id", "rank"))
    assert after == before


def test_readers_keep_the_previous_run_until_the_next_completes(pooled_patents, matching_enterprises):
    first = _run()
    second = MatchRun.objects.create()
    assert current_run() == first  # the new run is not complete
    match_run_execute_inline(run=second)
    assert current_run() == second
    assert MatchRun.objects.filter(is_current=True).count() == 1


def test_run_without_pooled_patents_fails_with_a_reason_and_keeps_nothing(matching_enterprises):
    run = _run()
    assert run.status == "failed"
    assert "没有可匹配" in run.error
    assert current_run() is None


def test_a_declined_docking_lowers_that_patent(pooled_patents, matching_enterprises, officer, make_user):
    # given
    enterprise = matching_enterprises[0]
    member = make_user("m0", "enterprise", enterprise=enterprise)
    _run()
    top = recommendations_for_enterprise(user=member).first().patent
    DockingRequest.objects.create(
        enterprise=enterprise,
        patent=top,
        institution=top.institution,
        status="declined",
        expires_at=timezone.now() + timedelta(days=60),
    )
    # when
    _run()
    # then
    recs = list(recommendations_for_enterprise(user=member))
    lowered = next(r for r in recs if r.patent_id == top.pk)
    assert lowered.final_score == pytest.approx(lowered.score * 0.2, rel=1e-4)  # "declined" keeps 20 %
    assert [r.final_score for r in recs] == sorted((r.final_score for r in recs), reverse=True)


def test_a_new_need_is_ranked_at_once(pooled_patents, matching_enterprises, make_user):
    # given
    _run()
    enterprise = matching_enterprises[1]
    member = make_user("m1", "enterprise", enterprise=enterprise)
    target = pooled_patents[30]
    TechNeed.objects.create(
        enterprise=enterprise, title=target.title, keywords=target.title, description=target.abstract
    )
    # when
    ranked = enterprise_rank_now(enterprise=enterprise)
    # then
    assert ranked[0].patent_id == target.pk
    assert recommendations_for_enterprise(user=member).first().patent == target


def test_search_ranks_with_the_engine_and_counts_facets(pooled_patents, matching_enterprises, bureau):
    # given: the odd patents of the fixture are offered for licence, the even ones for assignment
    _run()
    target = pooled_patents[7]
    licence = {p.pk for i, p in enumerate(pooled_patents) if i % 2}
    # when
    data = patent_search(user=bureau, text=target.title, filters={}, page_size=500)
    licence_only = patent_search(user=bureau, text=target.title, filters={"mode": "licence"}, page_size=500)
    # then
    assert data["results"][0].patent == target
    assert data["facets"]["institution"] == [{"institution__name": "华中科技大学", "n": data["total"]}]
    expected = [r.patent.pk for r in data["results"] if r.patent.pk in licence]
    assert len(expected) >= 2
    assert licence_only["total"] == len(expected)
    assert [r.patent.pk for r in licence_only["results"]] == expected
    assert [r.patent.transfer_modes for r in licence_only["results"]] == [["licence"]] * len(expected)


def test_push_list_is_hidden_from_other_institutions_and_enterprises(
    pooled_patents, matching_enterprises, officer, enterprise_member, other_officer
):
    _run()
    push = list(enterprises_for_patent(user=officer, patent_id=pooled_patents[0].pk))
    assert push[0].enterprise == matching_enterprises[0]
    assert all(r.score > 0 for r in push)  # only enterprises sharing at least one term are listed
    assert enterprises_for_patent(user=enterprise_member, patent_id=pooled_patents[0].pk) is None
    # pooled patents are readable by everyone with a role, but the push list is the owners' and the bureau's
    assert enterprises_for_patent(user=other_officer, patent_id=pooled_patents[0].pk) is None


def test_deleting_a_patent_or_an_enterprise_deletes_its_recommendations(pooled_patents, matching_enterprises):
    # recommendations have no database-level foreign keys (bulk writes): the ORM must still cascade
    run = _run()
    patent, enterprise = pooled_patents[0], matching_enterprises[1]
    assert Recommendation.objects.filter(run=run, patent=patent).exists()
    assert Recommendation.objects.filter(run=run, enterprise=enterprise).exists()
    patent.delete()
    enterprise.delete()
    assert not Recommendation.objects.filter(patent_id=patent.pk).exists()
    assert not Recommendation.objects.filter(enterprise_id=enterprise.pk).exists()
    assert Recommendation.objects.filter(run=run).exists()  # the others stay


def test_a_run_tokenizes_only_the_patents_and_enterprises_whose_text_changed(
    pooled_patents, matching_enterprises, monkeypatch
):
    # given: a first run fills both token caches; then one patent and one enterprise change
    _run()
    patent, enterprise = pooled_patents[3], matching_enterprises[2]
    patent.abstract += "。一种新的石墨烯复合材料"
    patent.save()
    enterprise.products = "石墨烯复合材料"
    enterprise.save()
    tokenized: list[str] = []
    real_patents, real_queries = tokens.patent_tokens_many, tokens.enterprise_query_tokens
    monkeypatch.setattr(
        tokens,
        "patent_tokens_many",
        lambda *, patents, weights: (
            tokenized.extend(p.title for p in patents) or real_patents(patents=patents, weights=weights)
        ),
    )
    monkeypatch.setattr(
        tokens,
        "enterprise_query_tokens",
        lambda **fields: tokenized.append(fields["products"]) or real_queries(**fields),
    )
    # when
    cached = _run()
    # then: only those two were tokenized, and the ranking equals one from empty caches
    assert tokenized == [patent.title, "石墨烯复合材料"]
    PatentTokens.objects.all().delete()
    EnterpriseTokens.objects.all().delete()
    fresh = _run()
    rows = ("enterprise_id", "patent_id", "rank", "score", "terms")
    assert list(Recommendation.objects.filter(run=cached).order_by(*rows[:3]).values_list(*rows)) == list(
        Recommendation.objects.filter(run=fresh).order_by(*rows[:3]).values_list(*rows)
    )
    assert PatentTokens.objects.count() == 40
    assert EnterpriseTokens.objects.count() == 5


def test_a_cold_cache_is_filled_a_batch_at_a_time_with_the_same_documents(pooled_patents, monkeypatch):
    # given: the documents of one pass over the 40 patents, then an empty cache and batches of 7
    whole = tokens.patent_documents(patents=Patent.objects.all())
    PatentTokens.objects.all().delete()
    monkeypatch.setattr(tokens, "TOKENIZE_BATCH", 7)
    batches: list[int] = []
    real = tokens.patent_tokens_many
    monkeypatch.setattr(
        tokens,
        "patent_tokens_many",
        lambda *, patents, weights: batches.append(len(patents)) or real(patents=patents, weights=weights),
    )
    # when
    batched = tokens.patent_documents(patents=Patent.objects.all())
    # then: six batches (7 × 5 + 5), every patent tokenized once, the same ids and documents in the same order
    assert batches == [7, 7, 7, 7, 7, 5]
    assert batched == whole
    assert PatentTokens.objects.count() == 40
    assert all(doc for doc in batched[1])

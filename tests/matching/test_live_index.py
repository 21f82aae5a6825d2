"""A patent pooled, edited or withdrawn after the run is searchable, recommendable per need and pushable at once (the
live index: matching.live.index), and enters the stored recommendation lists it beats (patents_recommend_now)."""

import pytest
from django.core.cache import cache

from enterprises.models import TechNeed
from matching.live.index import live_index, live_index_forget
from matching.live.ranking import patent_push_list
from matching.live.rerank import patents_recommend_now
from matching.models import Recommendation
from matching.reading.needs import need_recommendations
from matching.reading.search import patent_search
from matching.runs.current import current_run, current_run_forget
from patents.models import Patent
from patents.services import patent_update, patents_pool, patents_unpool

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    live_index_forget()
    current_run_forget()
    yield
    live_index_forget()
    current_run_forget()
    cache.clear()


def _twin(patent: Patent, number: str) -> Patent:
    """An inventoried patent with the same text as `patent` (so its words are in the run's vocabulary)."""
    return Patent.objects.create(
        application_number=number,
        title=patent.title,
        abstract=patent.abstract,
        claims=patent.claims,
        patent_type="invention",
        institution=patent.institution,
        inventory_status="inventoried",
        legal_status="valid",
        transfer_modes=["licence"],
    )


def _hits(user, text: str) -> list[int]:
    # the search cache stays on: a ranking cached before the change must not be served after it
    return [hit.patent.pk for hit in patent_search(user=user, text=text, filters={}, page_size=50)["results"]]


def test_a_patent_pooled_after_the_run_is_found_at_once_and_gone_once_withdrawn(
    run, officer, bureau, pooled_patents, settings
):
    # given: a run, the search cache on (as in production), then a new patent with the text of the first pooled one
    settings.MATCHING_SEARCH_CACHE_SECONDS = 60
    source = pooled_patents[0]
    twin = _twin(source, "2023108516489")
    assert twin.pk not in _hits(bureau, source.title)
    # when: the officer pools it
    patents_pool(patents=[twin], user=officer)
    # then: search ranks it as its twin, the push list knows it, the run's own index is untouched
    hits = _hits(bureau, source.title)
    assert twin.pk in hits
    assert abs(hits.index(twin.pk) - hits.index(source.pk)) == 1
    assert str(twin.pk) in live_index(current_run()).patent_ids
    assert patent_push_list(patent_id=twin.pk, k=5) == patent_push_list(patent_id=source.pk, k=5)
    # when: withdrawn
    patents_unpool(patents=[Patent.objects.get(pk=twin.pk)], user=officer, reason="已转让")
    # then
    assert twin.pk not in _hits(bureau, source.title)
    assert str(twin.pk) not in live_index(current_run()).patent_ids
    assert patent_push_list(patent_id=twin.pk, k=5) == []
    assert source.pk in _hits(bureau, source.title)


def test_an_edited_pooled_patent_is_found_by_its_new_text(run, officer, bureau, pooled_patents):
    # given: two pooled patents on different subjects
    edited, other = pooled_patents[1], pooled_patents[2]
    assert edited.pk not in _hits(bureau, other.title)[:2]
    # when: the officer rewrites the first with the second's text
    patent_update(
        patent=edited, user=officer, data={"title": other.title, "abstract": other.abstract, "claims": other.claims}
    )
    # then: both are the best two hits for the second's title
    assert set(_hits(bureau, other.title)[:2]) == {edited.pk, other.pk}


def test_a_need_sees_a_patent_pooled_after_the_run(run, officer, enterprise_member, pooled_patents):
    # given: a need written from a pooled patent's title
    source = pooled_patents[3]
    need = TechNeed.objects.create(
        enterprise=enterprise_member.enterprise, title=source.title, keywords="", description=source.abstract[:200]
    )
    twin = _twin(source, "2023108516490")
    before = [r.patent.pk for r in need_recommendations(user=enterprise_member, need=need)]
    # when
    patents_pool(patents=[twin], user=officer)
    # then
    after = [r.patent.pk for r in need_recommendations(user=enterprise_member, need=need)]
    assert twin.pk not in before
    assert twin.pk in after
    assert source.pk in after


def test_a_newly_pooled_patent_enters_the_stored_lists_it_beats(run, officer, pooled_patents, matching_enterprises):
    # given: the enterprise written from patent 0's keyphrases has patent 0 in its stored list
    source, enterprise = pooled_patents[0], matching_enterprises[0]
    stored = Recommendation.objects.filter(run=run, enterprise=enterprise)
    assert stored.filter(patent=source).exists()
    twin = _twin(source, "2023108516491")
    # when: pooled (the task runs eagerly here; after commit in production)
    patents_pool(patents=[twin], user=officer)
    refreshed = patents_recommend_now(patent_ids=[twin.pk])
    # then: re-ranked, and the twin sits right beside its source
    assert refreshed >= 1
    rows = {r.patent_id: r for r in Recommendation.objects.filter(run=run, enterprise=enterprise)}
    assert twin.pk in rows
    assert abs(rows[twin.pk].rank - rows[source.pk].rank) == 1
    assert rows[twin.pk].score == pytest.approx(rows[source.pk].score, rel=1e-4)
    # and: nothing for a patent that is not pooled
    assert patents_recommend_now(patent_ids=[]) == 0


def test_the_version_check_reads_what_the_orm_aggregate_reads(pooled_patents):
    # given: patents changed at three different times
    from datetime import timedelta

    from django.db.models import Count, Max
    from django.utils import timezone

    from matching.live.index import _changes_since

    now = timezone.now()
    for i, patent in enumerate(pooled_patents[:3]):
        Patent.objects.filter(pk=patent.pk).update(updated_at=now - timedelta(minutes=10 * i, microseconds=i))
    Patent.objects.filter(pk=pooled_patents[3].pk).update(updated_at=now.replace(microsecond=0) - timedelta(hours=1))
    # when / then: the same newest time (an aware datetime) and count as the ORM's aggregate, for every cut
    cuts = [
        now + timedelta(seconds=1),
        now,
        now - timedelta(minutes=15),
        now - timedelta(hours=1),
        now - timedelta(days=9),
    ]
    for since in cuts:
        orm = Patent.objects.filter(updated_at__gte=since).aggregate(latest=Max("updated_at"), n=Count("*"))
        assert _changes_since(since) == (orm["latest"], orm["n"]), since
    assert _changes_since(now) == (now, 1)
    assert _changes_since(now + timedelta(seconds=1)) == (None, 0)

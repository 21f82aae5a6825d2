"""A patent's demand (patents.PatentDemand): aggregated from the run's rows, equal to a direct query, kept current
when the live index re-ranks an enterprise whose needs changed."""

from collections import defaultdict

import pytest
from django.conf import settings

from enterprises.models import TechNeed
from matching.live.rerank import enterprise_rank_now, patents_recommend_now
from matching.models import EnterpriseSupply, Recommendation
from matching.runs.demand import supply_and_demand_rebuild
from patents.models import PatentDemand
from patents.services import patents_pool
from tests.matching.test_live_index import _twin


def _direct(run_id: int) -> dict[int, tuple[int, int, float]]:
    """The demand of every patent by a plain query over the run's rows."""
    out: dict[int, list] = defaultdict(lambda: [0, 0, 0.0])
    rows = Recommendation.objects.filter(
        run_id=run_id,
        score__gte=settings.SUPPLY_DEMAND_THRESHOLD,
        rank__lte=settings.MATCHING_TOP_K,
        patent__inventory_status="pooled",
    )
    for rec in rows:
        figures = out[rec.patent_id]
        figures[0] += 1
        figures[1] += TechNeed.objects.filter(enterprise_id=rec.enterprise_id, status="open").count()
        figures[2] = max(figures[2], rec.score)
    return {pk: (e, n, pytest.approx(s)) for pk, (e, n, s) in out.items()}


def _stored() -> dict[int, tuple[int, int, float]]:
    return {d.patent_id: (d.enterprises, d.needs, d.best_score) for d in PatentDemand.objects.all()}


@pytest.fixture
def demand_settings(settings):
    settings.SUPPLY_DEMAND_THRESHOLD = 0.1


@pytest.mark.django_db
def test_the_run_stores_each_patents_demand_equal_to_a_direct_query(demand_settings, matching_enterprises, run):
    # given a finished run over the shared patents and enterprises (one of them with two open needs, one closed)
    # when it finalised
    stored = _stored()
    # then every patent's figures equal the direct query, and some patents have demand and some have none
    assert stored == _direct(run.pk)
    assert 0 < len(stored) < 40
    assert run.counts["patents_in_demand"] == len(stored)


@pytest.mark.django_db
def test_a_need_published_refreshes_the_demand_of_the_enterprises_patents(demand_settings, matching_enterprises, run):
    # given an enterprise whose list holds patents with demand
    enterprise = matching_enterprises[0]
    TechNeed.objects.create(enterprise=enterprise, title="锂电池 正极材料", keywords="锂电池", status="open")
    TechNeed.objects.create(enterprise=enterprise, title="已关闭的需求", status="closed")
    # when it is re-ranked by the live index (what a need published does)
    enterprise_rank_now(enterprise=enterprise)
    # then the stored demand equals the direct query again, its patents counting its one open need
    stored = _stored()
    assert stored == _direct(run.pk)
    mine = Recommendation.objects.filter(run=run, enterprise=enterprise, score__gte=0.1)
    assert mine.exists()
    assert all(stored[pk][1] >= 1 for pk in mine.values_list("patent_id", flat=True))


def _direct_supply(run_id: int) -> dict[int, tuple[float, int]]:
    """Each enterprise's best pooled score and patent by a plain query over the run's rows."""
    out: dict[int, tuple[float, int]] = {}
    rows = Recommendation.objects.filter(run_id=run_id, patent__inventory_status="pooled").order_by(
        "-score", "patent_id"
    )
    for rec in rows:
        out.setdefault(rec.enterprise_id, (pytest.approx(rec.score), rec.patent_id))
    return out


@pytest.mark.django_db
def test_each_enterprises_closest_supply_equals_a_direct_query(demand_settings, matching_enterprises, run):
    # given a finished run; when one of its enterprises is re-ranked after a need
    TechNeed.objects.create(enterprise=matching_enterprises[1], title="锂电池 正极材料", keywords="锂电池")
    enterprise_rank_now(enterprise=matching_enterprises[1])
    # then every enterprise's stored best score and patent equal the direct query
    stored = {s.enterprise_id: (s.best_score, s.best_patent_id) for s in EnterpriseSupply.objects.all()}
    assert stored == _direct_supply(run.pk)
    assert len(stored) == len(matching_enterprises)


@pytest.mark.django_db
def test_the_finalise_rebuild_breaks_a_tie_at_the_best_score_by_the_smallest_patent_id(
    demand_settings, matching_enterprises, run
):
    # given a finished run where one enterprise's two best pooled rows now tie at its best score (the larger patent
    # id first), and another patent's row rises above the demand threshold
    enterprise = matching_enterprises[0]
    rows = list(
        Recommendation.objects.filter(run=run, enterprise=enterprise, patent__inventory_status="pooled").order_by(
            "patent_id"
        )
    )
    assert len(rows) >= 2
    Recommendation.objects.filter(pk=rows[0].pk).update(score=0.875)
    Recommendation.objects.filter(pk=rows[-1].pk).update(score=0.875)
    # when the finalise's rebuild runs again over the run's rows
    patents = supply_and_demand_rebuild(run_id=run.pk)
    # then the enterprise's closest supply is the smaller patent id at that score, and every stored figure equals
    # the direct queries
    best = EnterpriseSupply.objects.get(enterprise=enterprise)
    assert (best.best_score, best.best_patent_id) == (0.875, rows[0].patent_id)
    stored_supply = {s.enterprise_id: (s.best_score, s.best_patent_id) for s in EnterpriseSupply.objects.all()}
    assert stored_supply == _direct_supply(run.pk)
    assert _stored() == _direct(run.pk)
    assert patents == PatentDemand.objects.count()


@pytest.mark.django_db
def test_a_patent_pooled_between_runs_gets_its_demand_with_the_lists_it_enters(
    demand_settings, run, officer, pooled_patents, matching_enterprises
):
    # given a finished run, and an inventoried twin of a patent that enterprises rank at the threshold or above
    source = pooled_patents[0]
    assert PatentDemand.objects.filter(patent=source).exists()
    twin = _twin(source, "2023108516492")
    # when it is pooled and enters the lists it beats (several enterprises re-ranked, their patents refreshed once)
    patents_pool(patents=[twin], user=officer)
    refreshed = patents_recommend_now(patent_ids=[twin.pk])
    # then the twin has demand, and every stored figure equals the direct query again
    assert refreshed >= 1
    assert PatentDemand.objects.filter(patent=twin).exists()
    assert _stored() == _direct(run.pk)

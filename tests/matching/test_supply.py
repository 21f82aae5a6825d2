"""建议入库 (patents not pooled scored through the live index, never shown to an enterprise) and 冷门 (pooled
patents with no demand after SUPPLY_COLD_DAYS days)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import TechNeed
from matching.live.index import live_index
from matching.live.rerank import enterprise_rank_now
from matching.live.suggest import pool_suggestions
from matching.models import Recommendation
from matching.reading.search import patent_search
from matching.reading.supply import institution_cold_patents
from patents.models import Patent, PatentDemand, PatentStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand_settings(settings):
    settings.SUPPLY_DEMAND_THRESHOLD = 0.1
    settings.SUPPLY_COLD_DAYS = 30


@pytest.fixture
def withheld(demand_settings, pooled_patents, matching_enterprises, run) -> Patent:
    """After the run, the patent the first enterprise was built from is withdrawn to 已盘点 (not pooled)."""
    patent = pooled_patents[0]
    patent.inventory_status = "inventoried"
    patent.save()
    TechNeed.objects.create(enterprise=matching_enterprises[0], title="需要这项技术", status="open")
    return patent


def test_a_patent_not_pooled_that_enterprises_would_rank_is_suggested_with_its_needs(withheld, institution):
    # when
    found = {s.patent_id: s for s in pool_suggestions(institution_id=institution.pk)}
    # then it is suggested, with the enterprise it was written for, its open need, a score above the threshold
    assert list(found) == [withheld.pk]
    suggestion = found[withheld.pk]
    assert suggestion.enterprises >= 1
    assert suggestion.best_score >= 0.1
    assert "需要这项技术" in suggestion.need_titles


def test_a_suggested_patent_is_never_shown_to_an_enterprise(
    withheld, institution, enterprise_member, matching_enterprises, run
):
    # given its suggestion was computed (an index extended with it)
    assert [s.patent_id for s in pool_suggestions(institution_id=institution.pk)] == [withheld.pk]
    # when an enterprise searches for its title, and the enterprise it was written for is re-ranked now
    hits = patent_search(user=enterprise_member, text=withheld.title, filters={}, page=1)
    ranked = enterprise_rank_now(enterprise=matching_enterprises[0])
    # then it is not in the live index, not found, not in the new list (which is not empty)
    assert str(withheld.pk) not in set(live_index(run).patent_ids)
    assert withheld.pk not in [h.patent.pk for h in hits["results"]]
    assert ranked
    assert withheld.pk not in [r.patent_id for r in ranked]
    assert not Recommendation.objects.filter(run=run, enterprise=matching_enterprises[0], patent=withheld).exists()


def test_cold_patents_are_pooled_long_enough_without_demand(demand_settings, pooled_patents, run, institution):
    # given one patent with demand, one without pooled 31 days ago, one without pooled 5 days ago
    has_demand = PatentDemand.objects.values_list("patent_id", flat=True)
    without = [p for p in pooled_patents if p.pk not in set(has_demand)]
    old, recent = without[0], without[1]
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents]).update(created_at=timezone.now() - timedelta(days=2))
    PatentStatusChange.objects.create(patent=old, to_status="pooled")
    PatentStatusChange.objects.filter(patent=old).update(created_at=timezone.now() - timedelta(days=31))
    # when
    cold = list(institution_cold_patents(institution_id=institution.pk))
    # then only the old one without demand, equal to the direct query
    assert cold == [old]
    assert recent not in cold


def test_supply_page_lists_suggestions_and_cold(client, officer, withheld):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("matching:supply")).content.decode()
    # then
    assert 'data-testid="pool-suggestions"' in html
    assert withheld.title in html
    assert "需要这项技术" in html

"""The province's supply and demand: every figure by industry, IPC section and city equals a direct computation
from the run's rows, needs and patents; the drill-down lists, the page, the export and the API."""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.models import City
from core.supply import cold_days
from dashboards.concordance import patent_industry
from dashboards.models import UNCLASSIFIED
from dashboards.scope import DashboardScope
from dashboards.supply import cold_supply, supply_demand_figures, unmet_needs
from enterprises.models import Enterprise, TechNeed
from matching.models import MatchRun, Recommendation
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent

pytestmark = pytest.mark.django_db
PROVINCE = DashboardScope(level="province", label="全省")


@pytest.fixture
def world(settings, concordance, pooled_patents, matching_enterprises):
    """Half the patents under H01M (新能源汽车/新能源), a quarter under G06F; every enterprise with an open need, one
    more in 宜昌 with a need nothing meets; a run; ten patents pooled 60 days ago."""
    settings.SUPPLY_DEMAND_THRESHOLD = 0.3
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[:20]]).update(ipc_main="H01M10/0525", ipc_section="H")
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[20:30]]).update(ipc_main="G06F16/33", ipc_section="G")
    yichang = City.objects.get(code="4205")
    far = Enterprise.objects.create(name="宜昌古籍修复有限公司", uscc="91420500MA4K99999X", city=yichang)
    for enterprise in [*matching_enterprises, far]:
        TechNeed.objects.create(
            enterprise=enterprise, title=f"{enterprise.name}的需求", keywords=enterprise.business_scope[:50]
        )
    TechNeed.objects.create(enterprise=far, title="古籍 宣纸 修复", keywords="宣纸")
    TechNeed.objects.create(enterprise=far, title="已关闭", status="closed")
    cache.clear()
    run = match_run_execute_inline(run=MatchRun.objects.create())
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[30:]]).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    return run


def _direct(run: MatchRun, dimension: str) -> dict[str, Counter]:
    """The five measures per group, from plain queries and Python."""
    threshold, out = settings.SUPPLY_DEMAND_THRESHOLD, {}
    rows = list(Recommendation.objects.filter(run=run, patent__inventory_status="pooled").select_related("patent"))
    best: dict[int, Recommendation] = {}
    for rec in sorted(rows, key=lambda r: (-r.score, r.patent_id)):
        best.setdefault(rec.enterprise_id, rec)
    in_demand = {r.patent_id for r in rows if r.score >= threshold}

    def need_key(need: TechNeed) -> str:
        rec = best.get(need.enterprise_id)
        if dimension == "city":
            return need.enterprise.city_id
        if rec is None:
            return "" if dimension == "ipc_section" else UNCLASSIFIED
        return rec.patent.ipc_section if dimension == "ipc_section" else patent_industry(patent=rec.patent)

    def patent_key(patent: Patent) -> str:
        if dimension == "city":
            return patent.institution.city_id
        return patent.ipc_section if dimension == "ipc_section" else patent_industry(patent=patent)

    counts: dict[str, Counter] = {}
    for need in TechNeed.objects.filter(status="open").select_related("enterprise"):
        group = counts.setdefault(need_key(need), Counter())
        group["open_needs"] += 1
        met = need.enterprise_id in best and best[need.enterprise_id].score >= threshold
        group["satisfiable" if met else "unmet"] += 1
    cutoff = timezone.now() - timedelta(days=cold_days())
    for patent in Patent.objects.filter(inventory_status="pooled").select_related("institution"):
        group = counts.setdefault(patent_key(patent), Counter())
        if patent.pk in in_demand:
            group["patents_in_demand"] += 1
        elif patent.created_at <= cutoff:
            group["cold"] += 1
    out.update(counts)
    return out


@pytest.mark.parametrize("dimension", ["industry", "ipc_section", "city"])
def test_each_figure_equals_a_direct_computation(world, dimension):
    # when
    figures = supply_demand_figures(scope=PROVINCE)
    # then
    shown = {
        row["key"]: Counter({k: v for k, v in row.items() if k not in ("key", "label") and v})
        for row in figures[f"by_{dimension}"]
    }
    shown = {k: v for k, v in shown.items() if v}
    assert shown == {k: v for k, v in _direct(world, dimension).items() if v}
    assert figures["totals"]["open_needs"] == TechNeed.objects.filter(status="open").count() == 7
    assert 0 < figures["totals"]["unmet"] < 7
    assert figures["totals"]["cold"] > 0


def test_drill_down_lists_the_unmet_needs_and_cold_patents_of_a_group(world):
    # given
    figures = supply_demand_figures(scope=PROVINCE)
    yichang = next(row for row in figures["by_city"] if row["key"] == "4205")
    # when
    needs = list(unmet_needs(scope=PROVINCE, dimension="city", key="4205"))
    cold = list(cold_supply(scope=PROVINCE, dimension="city", key="4201"))
    # then the 宜昌 enterprise's two open needs are unmet; Wuhan's cold patents are the cold ones
    assert {n.title for n in needs} == {"宜昌古籍修复有限公司的需求", "古籍 宣纸 修复"}
    assert yichang["unmet"] == 2
    wuhan = next(row for row in figures["by_city"] if row["key"] == "4201")
    assert len(cold) == wuhan["cold"]
    for dimension in ("industry", "ipc_section"):
        for row in figures[f"by_{dimension}"]:
            assert unmet_needs(scope=PROVINCE, dimension=dimension, key=row["key"]).count() == row["unmet"]
            assert cold_supply(scope=PROVINCE, dimension=dimension, key=row["key"]).count() == row["cold"]


def test_page_export_and_api_show_the_same_figures(world, client, api_client, bureau, enterprise_member):
    # given
    client.force_login(bureau)
    api_client.force_authenticate(bureau)
    figures = supply_demand_figures(scope=PROVINCE)
    # when
    page = client.get(reverse("dashboards:supply"), {"dim": "city"})
    drill = client.get(reverse("dashboards:supply_unmet"), {"dim": "city", "key": "4205"})
    export = client.get(reverse("dashboards:supply_export"))
    api = api_client.get("/api/v1/dashboard/").json()
    client.force_login(enterprise_member)
    refused = client.get(reverse("dashboards:supply"))
    # then
    assert page.status_code == 200
    assert "“匹配”指" in page.content.decode()
    assert "古籍 宣纸 修复" in drill.content.decode()
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api["supply_demand"]["totals"] == figures["totals"]
    assert api["supply_demand"]["by_city"] == figures["by_city"]
    assert refused.status_code == 404

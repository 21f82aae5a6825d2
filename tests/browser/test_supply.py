"""In a real headless Chromium: the officer's 建议入库 and 冷门 lists, and the bureau's supply-and-demand chart whose
bars drill down to the unmet needs and the cold patents."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enterprises.models import Enterprise, TechNeed
from matching.models import Recommendation
from matching.runs.current import current_run
from matching.runs.demand import enterprise_supply_rebuild, patent_demand_rebuild
from patents.models import Patent, PatentDemand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def supply(settings, demo):
    """The demo's run with the threshold at the median score (some patents with demand, some without); HUST's
    patents pooled 60 days ago; HUST's patent with the most demand withdrawn to 已盘点 after the run; an enterprise
    in 宜昌 whose need nothing meets."""
    scores = sorted(Recommendation.objects.values_list("score", flat=True))
    settings.SUPPLY_DEMAND_THRESHOLD = scores[len(scores) // 2]
    run = current_run()
    patent_demand_rebuild(run_id=run.pk)
    enterprise_supply_rebuild(run_id=run.pk)
    hust = demo.institutions["华中科技大学"]
    Patent.objects.filter(institution=hust).update(created_at=timezone.now() - timedelta(days=60))
    best = PatentDemand.objects.filter(patent__institution=hust).order_by("-enterprises", "-best_score").first()
    withdrawn = Patent.objects.get(pk=best.patent_id)
    withdrawn.inventory_status = "inventoried"
    withdrawn.save()
    cold = Patent.objects.filter(institution=hust, inventory_status="pooled", demand__isnull=True).order_by("pk")
    far = Enterprise.objects.create(name="宜昌古籍修复有限公司", uscc="91420500MA4K99999X", city_id="4205")
    TechNeed.objects.create(enterprise=far, title="古籍宣纸修复工艺")
    return {"withdrawn": withdrawn, "cold": list(cold)}


def test_the_officer_sees_what_to_pool_next_and_what_is_cold(page, login, live_server, supply):
    # given
    assert supply["cold"]
    login("officer_hust")
    # when
    page.goto(f"{live_server.url}/patents/inventory/")
    page.get_by_test_id("supply-link").click()
    # then the withdrawn patent is suggested, with its demand; the cold ones are listed with a link to revise them
    suggested = page.get_by_test_id("pool-suggestions").locator(f"tbody tr[data-pk='{supply['withdrawn'].pk}']")
    expect(suggested).to_contain_text(supply["withdrawn"].title)
    cold = page.get_by_test_id("cold-patents").locator("tbody tr")
    expect(cold).to_have_count(len(supply["cold"]))
    expect(cold.first).to_contain_text(supply["cold"][0].title)
    cold.first.get_by_role("link", name="修改").click()
    expect(page).to_have_url(f"{live_server.url}/patents/inventory/{supply['cold'][0].pk}/")


def test_the_bureau_drills_from_the_gap_chart_to_unmet_needs_and_cold_patents(page, login, live_server, supply):
    # given
    login("bureau")
    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_test_id("nav-supply").click()
    # when: by city, click 宜昌's unmet bar in the chart
    page.get_by_test_id("supply-dimensions").get_by_role("link", name="按城市").click()
    chart = page.get_by_test_id("supply-chart")
    expect(chart.locator("svg")).to_be_visible()
    bars = chart.locator("svg path[fill='#f79d84']")
    expect(bars.first).to_be_attached()
    drawn = [bar for bar in bars.all() if (box := bar.bounding_box()) is not None and box["width"] > 1]
    assert drawn  # a city with unmet needs (宜昌 at least) has a visible bar
    drawn[0].click()
    # then its unmet needs are listed
    expect(page.get_by_test_id("drill-title")).to_contain_text("未满足需求")
    expect(page.get_by_test_id("drill-table")).to_be_visible()
    # when: back, the table's cold link for 武汉
    page.goto(f"{live_server.url}/dashboards/supply/?dim=city")
    page.locator("tr[data-key='4205']").get_by_test_id("unmet-link").click()
    expect(page.get_by_test_id("drill-table")).to_contain_text("古籍宣纸修复工艺")
    page.goto(f"{live_server.url}/dashboards/supply/?dim=city")
    page.locator("tr[data-key='4201']").get_by_test_id("cold-link").click()
    # then
    expect(page.get_by_test_id("drill-title")).to_contain_text("冷门专利")
    expect(page.get_by_test_id("drill-table")).to_contain_text(supply["cold"][0].title)

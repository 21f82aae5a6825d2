"""The bureau's map in Chromium: the province map renders its 17 outlines with the per-city figures and no console
error, the measure selector re-shades it, a click on a city opens that city's list; a city bureau sees its districts;
the printable report carries the charts as SVG in print media, prints to PDF, and lists no empty month."""

import pytest

from patents.models import Institution, InventoryStatus, Patent
from tests.dashboards.demo import demo_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP_STATE = """() => {
  const chart = window.dashboardMap;
  const option = chart.getOption();
  const el = document.querySelector('[data-map]');
  return {
    series: option.series[0].type,
    data: option.series[0].data.map(d => [d.name, d.value]),
    surfaces: el.querySelectorAll('canvas, svg').length,
  };
}"""


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_the_map_renders_switches_measure_and_drills_into_a_city(page, login, live_server, bureau):
    # given
    from dashboards.services import concordance_seed

    concordance_seed()
    demo_build()
    pooled_in_wuhan = Patent.objects.filter(
        inventory_status=InventoryStatus.POOLED, institution__city_id="4201"
    ).count()
    errors = _console_errors(page)
    login("bureau")

    # when
    page.goto(f"{live_server.url}/dashboards/")
    page.wait_for_function("window.dashboardMap !== undefined")
    state = page.evaluate(MAP_STATE)

    # then: 17 outlines, each city's pooled patents (仙桃 … 神农架 carry the 省直辖 group's)
    assert state["series"] == "map"
    assert state["surfaces"] == 1
    values = dict(state["data"])
    assert len(values) == 17
    assert values["武汉市"] == pooled_in_wuhan == 7
    assert values["宜昌市"] == 2
    assert values["襄阳市"] == 1
    assert values["仙桃市"] == values["黄石市"] == 0

    # when: the measure switches to docking requests (no reload)
    page.select_option("[data-map-measure]", "dockings")
    dockings = dict(page.evaluate(MAP_STATE)["data"])

    # then
    from enterprises.models import DockingRequest

    assert dockings["武汉市"] == DockingRequest.objects.filter(institution__city_id="4201").count()
    assert page.locator("[data-map-apply]").is_hidden()

    # when: back to pooled patents, 武汉市 is clicked where its outline is
    page.select_option("[data-map-measure]", "pooled")
    page.locator("[data-map]").scroll_into_view_if_needed()
    box = page.locator("[data-map]").bounding_box()
    x, y = page.evaluate("() => window.dashboardMap.convertToPixel({seriesIndex: 0}, [114.30, 30.58])")
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/dashboards/list/patents/?city=4201&stage=pooled")

    # then
    assert page.locator("[data-testid=drill-count]").inner_text() == "共 7 条"
    assert errors == []


def test_choosing_a_city_narrows_the_institution_filter(page, login, live_server, bureau):
    # given
    demo_build()
    login("bureau")
    page.goto(f"{live_server.url}/dashboards/")

    # when
    page.select_option("#id_city", "4205")
    options = page.locator("#id_institution option").all_inner_texts()

    # then
    assert options == ["全部高校/院所", "三峡大学"]

    # when: no city again
    page.select_option("#id_city", "")

    # then
    assert page.locator("#id_institution option").count() == 5


def test_a_city_bureau_sees_its_districts(page, login, live_server, make_user):
    # given
    from accounts.models import Role
    from core.models import City

    demo_build()
    Institution.objects.filter(name="华中科技大学").update(district_code="420111")
    Institution.objects.filter(name="武汉大学").update(district_code="420106")
    make_user("bureau_wuhan", Role.BUREAU_CITY, city=City.objects.get(code="4201"))
    errors = _console_errors(page)
    login("bureau_wuhan")

    # when
    page.goto(f"{live_server.url}/dashboards/")
    page.wait_for_function("window.dashboardMap !== undefined")
    bars = page.evaluate(
        "() => { const o = window.dashboardMap.getOption();"
        " return o.yAxis[0].data.map((name, i) => [name, o.series[0].data[i].value]); }"
    )

    # then: every district of 武汉市, 洪山区 with 华中科技大学's 4 pooled patents, 武昌区 with 武汉大学's 3
    assert len(bars) == 13
    assert dict(bars)["洪山区"] == 4
    assert dict(bars)["武昌区"] == 3
    assert page.locator("[data-testid=map-table] tr[data-area='420111'] td").nth(1).inner_text() == "4"

    # when
    page.locator("[data-testid=map-table] tr[data-area='420111'] td a").first.click()
    page.wait_for_url("**/dashboards/list/patents/?stage=pooled&district=420111")

    # then
    assert page.locator("[data-testid=drill-count]").inner_text() == "共 4 条"
    assert errors == []


def test_the_report_prints_with_its_charts_and_no_empty_month(page, login, live_server, bureau):
    # given
    from dashboards.services import concordance_seed

    concordance_seed()
    demo_build()
    errors = _console_errors(page)
    login("bureau")

    # when
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/dashboards/report/")
    page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length === 8 && window.dashboardMap")
    charts = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-chart], [data-map]')).map(el => {"
        " const svg = el.querySelector('svg'); const box = svg ? svg.getBoundingClientRect() : {width: 0};"
        " return [el.dataset.chart || 'map', !!svg, box.width > 0, svg ? svg.querySelectorAll('path').length : 0]; })"
    )
    months = page.locator("[data-testid=report-trends] tbody tr").all_inner_texts()
    pdf = page.pdf(format="A4")

    # then: every chart and the map are SVG, visible in print, with drawn paths
    assert [c[0] for c in charts] == [
        "map",
        "cities",
        "institutions",
        "types",
        "industries",
        "funnel",
        "trends",
        "response_times",
        "decline_reasons",
    ]
    assert all(has_svg and visible and paths > 0 for _, has_svg, visible, paths in charts), charts
    assert months  # some months had activity
    assert all(any(cell.strip() not in ("0", "") for cell in row.split("\t")[1:]) for row in months), months
    figures_months = page.evaluate("() => JSON.parse(document.getElementById('dashboard-figures').textContent).trends")
    empty = [m["month"] for m in figures_months if not any(m[k] for k in ("patents", "follows", "dockings", "signed"))]
    assert empty  # the demo has months with nothing, and the report lists none of them
    assert not any(row.startswith(month) for row in months for month in empty)
    assert pdf[:5] == b"%PDF-"
    assert len(pdf) > 50_000
    assert errors == []

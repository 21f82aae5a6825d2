"""The bureau dashboard in Chromium: every chart renders, a click drills down, and a screenshot for the README."""

import os
from pathlib import Path

import pytest

from tests.dashboards.demo import demo_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The README's screenshot is refreshed only on request (SCREENSHOT_DIR=docs); tests must not dirty the tree.
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/tmp"))  # noqa: S108
SCREENSHOT = SCREENSHOT_DIR / "dashboard.png"
CHARTS = ["cities", "institutions", "types", "industries", "funnel", "trends", "response_times", "decline_reasons"]
CHART_STATE = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const chart = echarts.getInstanceByDom(el);
  const surface = el.querySelector('canvas, svg');
  const box = surface ? surface.getBoundingClientRect() : {width: 0, height: 0};
  return {key: el.dataset.chart, instance: !!chart, width: box.width, height: box.height};
})"""


def test_every_chart_renders_and_drills_down(page, login, live_server, bureau):
    # given
    from dashboards.services import concordance_seed

    concordance_seed()
    demo_build()
    login("bureau")

    # when
    page.goto(f"{live_server.url}/dashboards/")
    page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length === 8")
    page.wait_for_timeout(800)  # let the entry animations finish before the screenshot
    states = page.evaluate(CHART_STATE)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # then
    assert [s["key"] for s in states] == CHARTS
    assert all(s["instance"] and s["width"] > 0 and s["height"] > 0 for s in states), states
    assert page.locator("[data-kpi=inventoried] strong").inner_text() == "15"
    assert page.locator("[data-kpi=signed] strong").inner_text() == "2"
    assert SCREENSHOT.stat().st_size > 10_000

    # when: the 已盘点 bar of 武汉市 in the city chart is clicked (scrolled into the window first: the notes above
    # the charts may push it below the fold)
    page.locator("[data-chart=cities]").scroll_into_view_if_needed()
    box = page.locator("[data-chart=cities]").bounding_box()
    x, y = page.evaluate(
        "() => echarts.getInstanceByDom(document.querySelector('[data-chart=cities]'))"
        ".convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, ['武汉市', 2])"
    )
    page.mouse.click(box["x"] + x - 8, box["y"] + y)
    page.wait_for_url("**/dashboards/list/patents/?city=4201")

    # then
    assert page.locator("[data-testid=drill-count]").inner_text() == "共 10 条"

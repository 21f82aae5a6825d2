"""The dashboard in English in Chromium, at desktop and phone width: the industry pie and the decline-reason bars
keep every label inside the chart (long names cut or wrapped, whole in the tooltip), and numbers carry separators.
SCREENSHOT_DIR=docs refreshes docs/dashboard_en.png (1280 px) and docs/dashboard.png (Chinese, 1280 px)."""

import os
from pathlib import Path

import pytest

from dashboards.services import concordance_seed
from tests.dashboards.demo import demo_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/tmp"))  # noqa: S108
LEGIBLE = ["industries", "decline_reasons"]
# Every drawn piece of text of a chart (zrender's display list) whose visible box leaves the chart's box; the part
# of a text outside its clip (a scrolling legend's other pages) is not drawn, so it is not counted.
OVERFLOWING_TEXT = """(key) => {
  const chart = echarts.getInstanceByDom(document.querySelector(`[data-chart="${key}"]`));
  const width = chart.getWidth(), height = chart.getHeight();
  const rect = el => {
    const box = el.getBoundingRect().clone();
    box.applyTransform(el.getComputedTransform());
    return box;
  };
  const texts = chart.getZr().storage.getDisplayList(true)
    .filter(el => (el.type === "tspan" || el.type === "text") && el.style.text);
  const outside = [];
  texts.forEach(el => {
    let [x1, y1, x2, y2] = (b => [b.x, b.y, b.x + b.width, b.y + b.height])(rect(el));
    (el.__clipPaths || []).forEach(clip => {
      const c = rect(clip);
      [x1, y1] = [Math.max(x1, c.x), Math.max(y1, c.y)];
      [x2, y2] = [Math.min(x2, c.x + c.width), Math.min(y2, c.y + c.height)];
    });
    if (x2 <= x1 || y2 <= y1) { return; }  // clipped away entirely
    if (x1 < -1 || y1 < -1 || x2 > width + 1 || y2 > height + 1) {
      outside.push(el.style.text + " @ " + [x1, y1, x2, y2].map(Math.round).join(","));
    }
  });
  return {texts: texts.length, outside: outside};
}"""
TOOLTIP_OF_FIRST = """(key) => {
  const el = document.querySelector(`[data-chart="${key}"]`);
  const chart = echarts.getInstanceByDom(el);
  chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0});
  const tip = el.querySelector("div[style*='z-index']");
  return tip ? tip.innerText : "";
}"""


@pytest.fixture
def english(browser, live_server):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared machine can be slow
    yield page
    context.close()


def _open_dashboard(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "bureau")
    page.fill("#id_password", "Test-pass-2026")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/dashboards/")
    page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length === 8")
    page.wait_for_timeout(900)  # entry animations place the labels


def test_english_pie_and_decline_labels_stay_inside_their_charts(english, live_server, bureau):
    # given
    concordance_seed()
    demo_build()
    page = english

    # when: at desktop width
    _open_dashboard(page, live_server.url)
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "dashboard_en.png"), full_page=True)
    wide = {key: page.evaluate(OVERFLOWING_TEXT, key) for key in LEGIBLE}
    tooltip = page.evaluate(TOOLTIP_OF_FIRST, "decline_reasons")
    # when: at phone width (the layout follows the resize)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1200)
    narrow = {key: page.evaluate(OVERFLOWING_TEXT, key) for key in LEGIBLE}

    # then
    assert page.evaluate("document.documentElement.lang") == "en"
    for key in LEGIBLE:
        assert (key, wide[key]["outside"], wide[key]["texts"] > 3) == (key, [], True)
        assert (key, narrow[key]["outside"], narrow[key]["texts"] > 3) == (key, [], True)
    assert tooltip.splitlines()[0] == page.evaluate(
        "JSON.parse(document.getElementById('dashboard-figures').textContent).decline_reasons[0].label"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth") == 390

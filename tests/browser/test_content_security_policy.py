"""In Chromium, under the platform's Content-Security-Policy (no 'unsafe-inline' anywhere): every role's main pages,
the import wizard, the dashboard with its tooltips and the Swagger UI at /api/docs/ load with no violation — no
inline style or script refused — and their style sheets apply. Violations are caught as the browser reports them:
`securitypolicyviolation` events (listened for before any page script runs) and its console messages. The data: the
`demo` fixture of tests/browser/conftest.py."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from enterprises.models import DockingRequest
from tests.patents.pages.helpers import CAMERA, DRONE_BOX, sample_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""
COMPUTED = "(el, name) => getComputedStyle(el).getPropertyValue(name)"


class Visitor:
    """A signed-in browser tab that records every policy violation of every page it visits."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.violations: list[str] = []
        self.visited: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.violations.append(f"{self.page.url} console: {text[:160]}")

    def collect(self) -> None:
        url = self.page.url
        self.violations += [f"{url} {v}" for v in self.page.evaluate("window.__cspViolations || []")]
        self.visited.append(url.removeprefix(self.base))

    def visit(self, path: str, ready: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None, path
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        self.page.wait_for_load_state("networkidle")
        expect(self.page.locator(ready).first).to_be_visible()
        self.collect()

    def sign_in(self, username: str) -> None:
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "Test-pass-2026")
        self.page.click("button[type=submit].primary")
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def style(self, selector: str, name: str) -> str:
        return self.page.locator(selector).first.evaluate(COMPUTED, name)


@pytest.fixture
def visitor(browser, live_server) -> Iterator[Visitor]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared CI machine can be slow
    yield Visitor(page, live_server.url)
    context.close()


def test_anonymous_pages_have_no_policy_violation(visitor, demo):
    # when
    visitor.visit("/accounts/login/", "#id_username")
    visitor.visit("/enterprises/signup/", "#id_uscc")
    # then
    assert visitor.violations == []


def test_officer_pages_and_the_import_wizard_have_no_policy_violation(visitor, demo, tmp_path):
    # given
    patent = demo.patents["一种基于深度学习的图像识别方法"]
    docking = DockingRequest.objects.get(patent=demo.patents["一种工业机器人关节减速器"])
    upload = tmp_path / "盘点清单.csv"
    upload.write_bytes(sample_csv([DRONE_BOX, CAMERA]))
    visitor.sign_in("officer_hust")
    # when: the main pages
    visitor.visit("/", "[data-testid=home-title]")
    visitor.visit("/patents/inventory/", "[data-testid=inventory-table]")
    inventory = {
        "kpis": visitor.style(".kpis", "display"),
        "actions": visitor.style(".actions.flush-top", "margin-top"),
        "year": visitor.style("input.year-input", "width"),
        "bulk": visitor.style(".bulk button.primary", "margin-top"),
    }
    visitor.visit(f"/patents/inventory/{patent.pk}/", "[data-testid=inventory-status]")
    visitor.visit(f"/patents/{patent.pk}/", "h1")
    visitor.visit("/enterprises/docking/inbox/", "[data-testid=docking-row]")
    visitor.visit(f"/enterprises/docking/{docking.pk}/", "[data-testid=docking-title]")
    visitor.visit("/enterprises/followers/", "[data-testid=follower-row]")
    visitor.visit("/enterprises/notifications/", "[data-testid=notification]")
    # when: the import wizard, upload → preview → confirm → result, and the list of imports
    visitor.visit("/patents/import/", "[data-testid=upload-form]")
    wizard = {"steps": visitor.style(".wizard-steps", "display"), "label": visitor.style("label.inline", "display")}
    visitor.page.set_input_files("input[name=file]", str(upload))
    visitor.page.get_by_role("button", name="上传并校验").click()
    expect(visitor.page.get_by_test_id("preview-counts").locator("[data-count=valid]")).to_have_text("2")
    visitor.collect()
    visitor.page.get_by_test_id("confirm-import").click()
    expect(visitor.page.get_by_test_id("import-summary").locator("[data-count=created]")).to_have_text("2")
    visitor.collect()
    visitor.visit("/patents/import/jobs/", "[data-testid=import-jobs]")
    # then: no violation, and the styles that were <style> elements and style attributes apply from static/css
    assert visitor.violations == []
    assert len(visitor.visited) == 13  # the sign-in, 8 pages, 4 steps of the wizard
    assert inventory == {"kpis": "grid", "actions": "0px", "year": "112px", "bulk": "0px"}
    assert wizard == {"steps": "flex", "label": "inline"}


def test_enterprise_pages_have_no_policy_violation(visitor, demo):
    # given
    patent = demo.patents["一种工业机器人关节减速器"]
    docking = DockingRequest.objects.get(patent=patent)
    visitor.sign_in("sme")
    # when
    visitor.visit("/", "[data-testid=home-title]")
    visitor.visit("/matching/recommendations/", "[data-testid=recommendation]")
    visitor.visit("/matching/search/?q=图像识别 减速器", "[data-testid=search-hit]")
    actions_bar = [visitor.style("[data-testid=search-hit] .actions-bar", p) for p in ("display", "gap", "align-items")]
    visitor.visit(f"/patents/{patent.pk}/", "[data-testid=patent-actions]")
    visitor.visit("/enterprises/needs/", "[data-testid=need-row]")
    visitor.visit("/enterprises/follows/", "[data-testid=follow-row]")
    visitor.visit("/enterprises/docking/", "[data-testid=docking-row]")
    visitor.visit(f"/enterprises/docking/{docking.pk}/", "[data-testid=docking-title]")
    visitor.visit("/enterprises/notifications/", "[data-testid=notification]")
    visitor.visit("/enterprises/profile/", "[data-testid=profile-title]")
    # then
    assert visitor.violations == []
    assert len(visitor.visited) == 11  # the sign-in, 10 pages
    assert actions_bar == ["flex", "9.6px", "center"]


def test_bureau_pages_and_the_dashboard_tooltips_have_no_policy_violation(visitor, demo):
    # given
    patent = demo.patents["一种基于深度学习的图像识别方法"]
    visitor.sign_in("bureau")
    # when: the main pages
    visitor.visit("/", "[data-testid=home-title]")
    visitor.visit("/patents/", "table")
    visitor.visit("/dashboards/report/", "[data-testid=report]")
    visitor.visit("/dashboards/list/patents/", "[data-testid=drill-count]")
    visitor.visit("/matching/runs/", "[data-testid=start-run]")
    visitor.visit(f"/matching/patents/{patent.pk}/enterprises/", "h1")
    visitor.visit("/enterprises/review/", "h1")
    visitor.visit("/enterprises/notifications/", "[data-testid=notification]")
    # when: the dashboard, and the pointer on the 武汉市 bars of the city chart (an HTML tooltip with markers)
    visitor.visit("/dashboards/", "[data-chart=cities] canvas")
    page = visitor.page
    page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length === 8")
    chart_height = visitor.style("[data-chart=cities]", "height")
    page.locator("[data-chart=cities]").scroll_into_view_if_needed()
    box = page.locator("[data-chart=cities]").bounding_box()
    x, y = page.evaluate(
        "() => echarts.getInstanceByDom(document.querySelector('[data-chart=cities]'))"
        ".convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, ['武汉市', 2])"
    )
    page.mouse.move(box["x"] + x, box["y"] + y - 2)
    marker = page.locator("[data-chart=cities] .chart-marker").first
    expect(marker).to_be_visible()
    tooltip = marker.evaluate("m => m.parentElement.innerText")
    markers = page.locator("[data-chart=cities] .chart-marker").evaluate_all(
        "ms => ms.map(m => [getComputedStyle(m).width, getComputedStyle(m).backgroundColor])"
    )
    visitor.collect()
    # then: no violation; the charts have their height from dashboards.css; the tooltip names the city and shows
    # each series with its coloured dot
    assert visitor.violations == []
    assert len(visitor.visited) == 11  # the sign-in, 9 pages, the tooltip
    assert chart_height == "320px"
    assert tooltip.splitlines()[0] == "武汉市"
    assert markers == [["10px", "rgb(31, 95, 168)"], ["10px", "rgb(63, 167, 214)"]]


def test_city_bureau_and_admin_pages_and_the_api_docs_have_no_policy_violation(visitor, demo):
    # given
    visitor.sign_in("bureau_wuhan")
    visitor.visit("/", "[data-testid=home-title]")
    visitor.page.get_by_role("button", name="退出").click()
    # when: the admin's home, the Django admin and the Swagger UI with an operation opened
    visitor.sign_in("admin")
    visitor.visit("/", "[data-testid=home-title]")
    visitor.visit("/admin/", "#content")
    visitor.visit("/api/docs/", ".swagger-ui .opblock")
    page = visitor.page
    operations = page.locator(".swagger-ui .opblock").count()
    page.locator(".swagger-ui .opblock-summary").first.click()
    expect(page.locator(".swagger-ui .opblock-body").first).to_be_visible()
    background = visitor.style("body", "background-color")
    visitor.collect()
    # then
    assert visitor.violations == []
    assert operations > 30
    assert background == "rgb(250, 250, 250)"

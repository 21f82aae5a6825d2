"""At phone width (390 × 844) in Chromium: the menu collapses behind a toggle that opens and closes it, and the
inventory, dashboard, docking inbox and patent list fit the screen (wide tables scroll in their own box); the
dashboard's charts follow the window when it shrinks; search with hits gives the hits the width and keeps its facets
behind a 筛选 toggle (the desktop keeps its two columns). And every main page of every role (tests/browser/tour.py)
fits 390 px: nothing sticks out of the window, and what the page is for is on screen with the menu toggle."""

import os
from pathlib import Path

import pytest

from accounts.models import Role
from dashboards.services import concordance_seed
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from tests.browser.tour import OUTSIDE_THE_WINDOW, USERS, arrive, import_preview, sign_in, tours
from tests.dashboards.demo import demo_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/tmp"))  # noqa: S108
PAGE_WIDTH = "() => document.scrollingElement.scrollWidth"
DESKTOP = {"width": 1366, "height": 900}
BOX = "el => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.width]; }"
CHART_WIDTHS = """() => Array.from(document.querySelectorAll('[data-chart]'))
  .map(el => Math.round(el.querySelector('canvas').getBoundingClientRect().width))"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared CI machine can be slow
    yield page
    context.close()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Test-pass-2026")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_pages_fit_a_phone_and_the_menu_toggles(phone, live_server, make_user):
    # given: the dashboards' demo set, an officer of its first institution and a bureau user
    concordance_seed()
    demo = demo_build()
    make_user("officer_hust", Role.OFFICER, institution=demo.institutions["华中科技大学"])
    make_user("bureau", Role.BUREAU_PROVINCE)
    base = live_server.url
    page = phone
    _login(page, base, "officer_hust")

    # the menu is collapsed; the toggle opens and closes it
    nav, toggle = page.locator("#mainnav"), page.get_by_test_id("menu-toggle")
    assert (nav.is_visible(), toggle.get_attribute("aria-expanded")) == (False, "false")
    toggle.click()
    assert (nav.is_visible(), toggle.get_attribute("aria-expanded")) == (True, "true")
    assert page.get_by_test_id("nav-inbox").is_visible()
    toggle.click()
    assert (nav.is_visible(), toggle.get_attribute("aria-expanded")) == (False, "false")

    # the officer's pages fit 390 px
    widths = {}
    for name, path in (("inventory", "/patents/inventory/"), ("inbox", "/enterprises/docking/inbox/")):
        page.goto(f"{base}{path}")
        widths[name] = page.evaluate(PAGE_WIDTH)
        page.screenshot(path=str(SCREENSHOT_DIR / f"phone_{name}.png"))
    table = page.get_by_test_id("docking-table")
    assert table.evaluate("t => t.scrollWidth >= t.clientWidth && getComputedStyle(t).overflowX") == "auto"
    page.get_by_role("button", name="退出").click()

    # the bureau's pages too
    _login(page, base, "bureau")
    for name, path in (("dashboard", "/dashboards/"), ("patents", "/patents/")):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        widths[name] = page.evaluate(PAGE_WIDTH)
    assert widths == {"inventory": 390, "inbox": 390, "dashboard": 390, "patents": 390}


def test_dashboard_charts_resize_with_the_window(page, login, live_server, bureau):
    # given: the dashboard at desktop width
    concordance_seed()
    demo_build()
    page.set_default_timeout(60_000)
    login("bureau")
    page.goto(f"{live_server.url}/dashboards/")
    page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length === 8")
    wide = page.evaluate(CHART_WIDTHS)
    # when: the window shrinks to a phone's width
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(500)
    narrow = page.evaluate(CHART_WIDTHS)
    # then: every chart is narrower than the screen, and the page does not scroll sideways
    assert min(wide) > 390, wide
    assert max(narrow) <= 390 - 2 * 16, narrow
    assert page.evaluate(PAGE_WIDTH) == 390


def test_search_with_hits_gives_the_hits_the_width_and_the_facets_a_toggle(
    phone, live_server, make_user, matching_enterprises, pooled_patents
):
    # given: an enterprise member and a current run over 40 pooled patents
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("sme", Role.ENTERPRISE, enterprise=matching_enterprises[0])
    base, page = live_server.url, phone
    _login(page, base, "sme")
    words = " ".join(p.title for p in pooled_patents[:8])
    # when: a search with hits at 390 × 844
    page.goto(f"{base}/matching/search/?q={words}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOT_DIR / "phone_search.png"))
    # then: the hits take the width, the search box is inside the screen, nothing scrolls sideways
    assert page.get_by_test_id("search-hit").count() >= 2
    _, _, hit_width = page.get_by_test_id("search-hit").first.evaluate(BOX)
    assert hit_width >= 0.8 * PHONE["width"], hit_width
    left, right, _ = page.locator("input[name=q]").evaluate(BOX)
    assert 0 <= left < right <= PHONE["width"], (left, right)
    assert page.evaluate(PAGE_WIDTH) == PHONE["width"]
    # the facets are hidden until 筛选 is tapped, then shown (and hidden again)
    facets, toggle = page.get_by_test_id("facets"), page.get_by_test_id("facets-toggle")
    assert (facets.is_visible(), toggle.inner_text(), toggle.get_attribute("aria-expanded")) == (False, "筛选", "false")
    toggle.click()
    assert (facets.is_visible(), toggle.get_attribute("aria-expanded")) == (True, "true")
    assert facets.get_by_test_id("facet-link").first.is_visible()
    _, _, facets_width = facets.evaluate(BOX)
    assert facets_width >= 0.8 * PHONE["width"], facets_width
    page.screenshot(path=str(SCREENSHOT_DIR / "phone_search_facets.png"))
    toggle.click()
    assert facets.is_visible() is False

    # at desktop width: no toggle, the facet column (14rem) beside the hits, as before
    page.set_viewport_size(DESKTOP)
    page.reload()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOT_DIR / "desktop_search.png"))
    assert (facets.is_visible(), toggle.is_visible()) == (True, False)
    facet_left, facet_right, facet_width = facets.evaluate(BOX)
    hit_left, _, _ = page.get_by_test_id("search-hit").first.evaluate(BOX)
    assert facet_width == 14 * 16, facet_width
    assert hit_left >= facet_right + 16, (facet_right, hit_left)


@pytest.mark.parametrize("username", USERS)
def test_every_main_page_fits_a_phone(phone, live_server, demo, tmp_path, username):
    # given: a demo user signed in on a 390 × 844 phone
    page, base = phone, live_server.url
    sign_in(page, base, username)
    # when: the user opens each of their main pages
    seen = {}
    for stop in tours(demo)[username]:
        arrive(page, base, stop)
        seen[stop.name] = _fit(page, stop.ready)
    if username == "officer_hust":  # the import wizard's preview, with its table of rows
        import_preview(page, base, tmp_path)
        seen["import_preview"] = _fit(page, "[data-testid=confirm-import]")
    # then: no page is wider than the screen or has an element out of it; the page's own content, the menu toggle
    # and the first heading are visible
    fitting = {"width": 390, "outside": [], "ready": True, "toggle": True, "h1": True}
    assert {name: fit for name, fit in seen.items() if fit != fitting} == {}
    assert len(seen) == len(tours(demo)[username]) + (1 if username == "officer_hust" else 0)


def _fit(page, ready: str) -> dict:
    return {
        "width": page.evaluate(PAGE_WIDTH),
        "outside": page.evaluate(OUTSIDE_THE_WINDOW),
        "ready": page.locator(ready).first.is_visible(),
        "toggle": page.get_by_test_id("menu-toggle").is_visible(),
        "h1": page.locator("h1").first.is_visible(),
    }

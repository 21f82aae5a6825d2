"""axe-core in Chromium at 1366 × 900 (the copy axe-playwright-python ships; nothing downloaded): no serious or
critical violation — unlabelled controls, contrast below AA, unnamed buttons or links, … — on the main pages of
every role (tests/browser/tour.py), the import wizard's preview and result included; and the keyboard focus is
visible (an outline) on the controls of the design system."""

import pytest

from tests.browser.chromium import DESKTOP
from tests.browser.tour import USERS, arrive, import_preview, serious_violations, sign_in, tours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "() => document.activeElement.tagName.toLowerCase() + ':' + (document.activeElement.type || '')"
FOCUS_RING = "el => { const s = getComputedStyle(el); return [s.outlineStyle, parseFloat(s.outlineWidth) >= 2]; }"


@pytest.fixture
def desk(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared machine can be slow
    yield page
    context.close()


@pytest.mark.parametrize("username", USERS)
def test_main_pages_have_no_serious_accessibility_violation(desk, live_server, demo, tmp_path, username):
    # given: a demo user signed in
    page, base = desk, live_server.url
    sign_in(page, base, username)
    # when: axe checks each of the user's main pages
    found = {}
    for stop in tours(demo)[username]:
        arrive(page, base, stop)
        found[stop.name] = serious_violations(page)
    if username == "officer_hust":  # the import wizard's preview (a bad row) and its result
        import_preview(page, base, tmp_path)
        found["import_preview"] = serious_violations(page)
        page.get_by_test_id("confirm-import").click()
        page.get_by_test_id("import-summary").wait_for(state="visible")
        found["import_result"] = serious_violations(page)
    # then: none
    assert {name: v for name, v in found.items() if v} == {}
    assert len(found) == len(tours(demo)[username]) + (2 if username == "officer_hust" else 0)


def test_keyboard_focus_is_visible(desk, live_server, demo):
    # given: the officer on the inventory (links, a search box, selects, buttons, checkboxes)
    page, base = desk, live_server.url
    sign_in(page, base, "officer_hust")
    arrive(page, base, tours(demo)["officer_hust"][1])
    # when: the keyboard moves through the page
    rings = {}
    for _ in range(40):
        page.keyboard.press("Tab")
        tag = page.evaluate(ACTIVE)
        rings.setdefault(tag, page.evaluate(f"() => ({FOCUS_RING})(document.activeElement)"))
    # then: every kind of control it reached shows a solid outline at least 2 px wide
    assert {"a:", "select:select-one", "input:search", "button:submit", "input:checkbox"} <= set(rings), rings
    assert {tag: ring for tag, ring in rings.items() if ring != ["solid", True]} == {}

"""At 1366 × 900 in Chromium (the common office screen): every role's menu stays on one line, in Chinese and in
English, and the tables keep short words whole — the matched enterprises' 城市 column, the inventory's type, legal
status and dates — instead of breaking them a character a line. The data: the `demo` fixture of
tests/browser/conftest.py."""

import pytest

from accounts.models import User
from enterprises.models import TechNeed
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from tests.browser.chromium import DESKTOP
from tests.browser.tour import USERS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the distinct tops of the menu's links: one value when the menu is one line
MENU_ROWS = "() => [...new Set([...document.querySelectorAll('.mainnav a')].map(a => Math.round(a.offsetTop)))]"
# for each cell of a column: the number of lines its text takes (the distinct tops of the text's line boxes)
LINES = """cells => cells.map(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
})"""


# a need described at length, as the demo's are: the 匹配依据 column then takes what width it can get
NEED_TEXT = "寻求工业机器人关节减速器、谐波减速器、RV减速器、精密齿轮传动、伺服电机驱动相关的专利技术。" * 4


@pytest.fixture
def desk(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared machine can be slow
    yield page
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_roles_menu_is_one_line_at_1366(browser, live_server, demo, language):
    # given: the UI in the language; every user named as long as the demo's officer (load_demo), as the top bar shows
    base = live_server.url
    User.objects.update(first_name="技术转移人员（华中科技大学）")
    rows, links = {}, {}
    for username in USERS:
        context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        page.set_default_timeout(60_000)
        # when: each demo user opens the home page
        sign_in(page, base, username)
        page.goto(f"{base}/")
        rows[username] = len(page.evaluate(MENU_ROWS))
        links[username] = page.locator(".mainnav a").count()
        context.close()
    # then: one line of menu each, the officer's (the long one) included
    assert rows == dict.fromkeys(USERS, 1)
    assert links["officer_hust"] == 9, links


def test_table_columns_keep_short_words_whole(desk, live_server, demo):
    # given: every demo enterprise needs a robot joint reducer (described at length), matched again; the officer of
    # 华中科技大学, whose reducer patent it is
    for enterprise in demo.enterprises.values():
        TechNeed.objects.create(enterprise=enterprise, title="工业机器人关节减速器", description=NEED_TEXT)
    match_run_execute_inline(run=MatchRun.objects.create())
    page, base = desk, live_server.url
    sign_in(page, base, "officer_hust")
    reducer = demo.patents["一种工业机器人关节减速器"]
    # when: the patent's matched enterprises and the inventory are opened
    page.goto(f"{base}/matching/patents/{reducer.pk}/enterprises/")
    cities = page.get_by_test_id("matched-enterprise-city")
    city_names = cities.all_inner_texts()
    city_lines = cities.evaluate_all(LINES)
    page.goto(f"{base}/patents/inventory/")
    rows = page.locator("[data-testid=inventory-table] tbody tr")
    inventory_lines = {
        column: rows.locator(f"td:nth-child({n})").evaluate_all(LINES)
        for column, n in (("type", 4), ("application_date", 5), ("updated", 10))
    }
    # then: every city on one line (there are cities), every type and date too
    assert len(city_names) >= 3, city_names
    assert "—" not in city_names[:3], city_names
    assert set(city_lines) == {1}, dict(zip(city_names, city_lines, strict=True))
    assert {column: set(lines) for column, lines in inventory_lines.items()} == dict.fromkeys(inventory_lines, {1})

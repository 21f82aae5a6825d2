"""Playwright driving Debian's chromium (no browser download; tests/browser/chromium.py): one browser per session."""

import os
import shutil
from collections.abc import Iterator

import pytest

from accounts.models import Role
from dashboards.services import concordance_seed
from enterprises.models import Notification
from enterprises.services.notifications import notification_send
from enterprises.services.saved_searches import saved_search_create
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from tests.browser.chromium import CHROMIUM, chromium_launch
from tests.browser.tour import review_users
from tests.conftest import service_missing
from tests.dashboards.demo import Demo, demo_build

# Playwright's sync API runs an event loop in this thread; Django's ORM guard would refuse the test's own queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        service_missing(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    def _login(username: str, password: str = "Test-pass-2026") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_load_state("networkidle")

    return _login


@pytest.fixture
def logout(page):
    def _logout() -> None:
        page.get_by_role("button", name="退出").click()
        page.wait_for_load_state("networkidle")

    return _logout


@pytest.fixture
def demo(make_user) -> Demo:
    """The dashboards' demo set and a current matching run, a user of every role (officer_hust of 华中科技大学, sme of
    武汉光谷智能装备有限公司, bureau, bureau_wuhan, admin; college_hust and inventor_hust of a HUST college),
    a notification each."""
    concordance_seed()
    demo = demo_build()
    match_run_execute_inline(run=MatchRun.objects.create())
    users = [
        make_user("officer_hust", Role.OFFICER, institution=demo.institutions["华中科技大学"]),
        make_user("sme", Role.ENTERPRISE, enterprise=next(iter(demo.enterprises.values()))),
        make_user("bureau", Role.BUREAU_PROVINCE),
        make_user("bureau_wuhan", Role.BUREAU_CITY, city=demo.institutions["华中科技大学"].city),
        make_user("admin", Role.ADMIN),
        *review_users(make_user, demo),
    ]
    notification_send(recipients=users, kind=Notification.Kind.DOCKING, title="对接请求有新进展", body="请查看。")
    saved_search_create(user=users[1], name="图像识别", text="图像识别 减速器", filters={"patent_type": "invention"})
    return demo

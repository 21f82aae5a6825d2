"""The main pages of every role on the `demo` fixture's data (tests/browser/conftest.py), for the tests that walk all
of them: the accessibility check (test_accessibility.py) and the phone-width check (test_phone_width.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from enterprises.models import DockingRequest
from tests.dashboards.demo import Demo
from tests.patents.pages.helpers import AIR_QUALITY_TYPO, CAMERA, DRONE_BOX, sample_csv

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "Test-pass-2026"
# every user the demo fixture makes, with the pages that user works on
USERS = ["officer_hust", "sme", "bureau", "bureau_wuhan", "admin", "college_hust", "inventor_hust"]


def review_users(make_user: Any, demo: Demo) -> list[Any]:
    """The review chain's users of the demo: a college admin of 华中科技大学's 计算机科学与技术学院 and an inventor of
    its 数控机床夹具 (a draft); its 智能手环 waits in the college's queue."""
    from accounts.models import Role
    from patents.models import College, PatentInventor, ReviewStatus

    hust = demo.institutions["华中科技大学"]
    college = College.objects.create(institution=hust, name="计算机科学与技术学院")
    draft, submitted = demo.patents["一种数控机床夹具"], demo.patents["智能手环"]
    type(draft).objects.filter(pk__in=[draft.pk, submitted.pk]).update(college=college)
    type(draft).objects.filter(pk=submitted.pk).update(review_status=ReviewStatus.SUBMITTED)
    admin = make_user("college_hust", Role.COLLEGE_ADMIN, institution=hust, college=college)
    inventor = make_user("inventor_hust", Role.INVENTOR, institution=hust, college=college)
    PatentInventor.objects.create(patent=draft, user=inventor)
    return [admin, inventor]


@dataclass(frozen=True)
class Stop:
    name: str
    path: str
    ready: str  # a selector that is visible once the page has what it should show


def tours(demo: Demo) -> dict[str, list[Stop]]:
    """Each demo user's main pages: home first, then search, recommendations, a patent, the inventory, the import, the
    docking pages, the dashboard and its report, the matched enterprises of a patent and the needs hall."""
    vision = demo.patents["一种基于深度学习的图像识别方法"]
    reducer = demo.patents["一种工业机器人关节减速器"]
    docking = DockingRequest.objects.get(patent=reducer)
    fixture = demo.patents["一种数控机床夹具"]
    home = Stop("home", "/", "[data-testid=home-title]")
    return {
        "officer_hust": [
            home,
            Stop("inventory", "/patents/inventory/", "[data-testid=inventory-table]"),
            Stop("stock", "/patents/inventory/stock/", "[data-testid=stock-form]"),
            Stop("supply", "/matching/supply/", "[data-testid=pool-suggestions]"),
            Stop("assessment", f"/patents/inventory/{vision.pk}/assessment/", "[data-testid=assessment-form]"),
            Stop("import", "/patents/import/", "[data-testid=upload-form]"),
            Stop("import_jobs", "/patents/import/jobs/", "h1"),
            Stop("review_queue", "/patents/review/", "[data-testid=review-table]"),
            Stop("inbox", "/enterprises/docking/inbox/", "[data-testid=docking-row]"),
            Stop("docking", f"/enterprises/docking/{docking.pk}/", "[data-testid=docking-title]"),
            Stop("patent", f"/patents/{vision.pk}/", "[data-testid=published-terms]"),
            Stop(
                "matched_enterprises",
                f"/matching/patents/{reducer.pk}/enterprises/",
                "[data-testid=matched-enterprise]",
            ),
            Stop("needs_hall", "/matching/needs/hall/", "[data-testid=hall-need]"),
        ],
        "sme": [
            home,
            Stop("recommendations", "/matching/recommendations/", "[data-testid=recommendation]"),
            Stop("search", "/matching/search/?q=图像识别 减速器", "[data-testid=search-hit]"),
            Stop("patent", f"/patents/{reducer.pk}/", "[data-testid=patent-actions]"),
            Stop("docking_mine", "/enterprises/docking/", "[data-testid=docking-row]"),
            Stop("docking", f"/enterprises/docking/{docking.pk}/", "[data-testid=docking-title]"),
            Stop("needs", "/enterprises/needs/", "[data-testid=need-row]"),
            Stop("saved_searches", "/enterprises/subscriptions/", "[data-testid=saved-search-row]"),
        ],
        "bureau": [
            home,
            Stop("dashboard", "/dashboards/", "[data-chart=cities] canvas"),
            Stop("report", "/dashboards/report/", "[data-testid=report]"),
            Stop("patents", "/patents/", "table"),
            Stop("drill", "/dashboards/list/patents/", "[data-testid=drill-table]"),
            Stop("inventory_rate", "/dashboards/inventory-rate/", "[data-testid=rate-table]"),
            Stop("supply", "/dashboards/supply/", "[data-testid=supply-chart] svg"),
            Stop("review", "/enterprises/review/", "h1"),
            Stop("needs_hall", "/matching/needs/hall/", "[data-testid=hall-need]"),
        ],
        "bureau_wuhan": [home, Stop("dashboard", "/dashboards/", "[data-chart=cities] canvas")],
        "admin": [home],
        "college_hust": [
            home,
            Stop("review_queue", "/patents/review/", "[data-testid=review-table]"),
            Stop("patents", "/patents/", "table"),
            Stop("invite", "/patents/inventors/invite/", "[data-testid=invite-form]"),
        ],
        "inventor_hust": [
            home,
            Stop("my_patents", "/patents/mine/", "[data-testid=my-patents]"),
            Stop("my_patent", f"/patents/mine/{fixture.pk}/", "[data-testid=describe-form]"),
        ],
    }


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def arrive(page: Page, base: str, stop: Stop) -> None:
    """Open the stop's page and wait until it shows what it should (and the dashboard's charts are drawn)."""
    response = page.goto(f"{base}{stop.path}")
    assert response is not None
    assert (stop.path, response.status) == (stop.path, 200)
    page.wait_for_load_state("networkidle")
    page.locator(stop.ready).first.wait_for(state="visible")
    if stop.name == "dashboard":
        page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length === 8")


def import_preview(page: Page, base: str, folder: Path) -> None:
    """As the officer: upload a three-row inventory with one bad row and stop at the preview (step 2)."""
    upload = folder / "盘点清单.csv"
    upload.write_bytes(sample_csv([DRONE_BOX, CAMERA, AIR_QUALITY_TYPO]))
    page.goto(f"{base}/patents/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="上传并校验").click()
    page.get_by_test_id("preview-counts").wait_for(state="visible")


# Elements that stick out of the window to the right (or left) without a scrolling box around them to hold them:
# what a phone user would have to scroll sideways for. Hidden elements and the inside of scrolling boxes don't count.
OUTSIDE_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") { return true; }
    }
    return false;
  };
  const out = [];
  document.querySelectorAll("body *").forEach(el => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") { return; }
    if ((box.right > width + 0.5 || box.left < -0.5) && !clipped(el)) {
      out.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
        ? "." + String(el.className).trim().split(/\\s+/).join(".") : "") + " " + Math.round(box.left) + "…"
        + Math.round(box.right));
    }
  });
  return out.slice(0, 8);
}"""


def serious_violations(page: Page) -> list[str]:
    """axe-core (shipped by axe-playwright-python, injected into the page) on the page as it is: every serious or
    critical violation as 'rule: target', the rule's id first."""
    from axe_playwright_python.sync_playwright import Axe

    results: dict[str, Any] = Axe().run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {json.dumps(node['target'], ensure_ascii=False)}"
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]

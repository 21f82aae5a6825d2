"""Refresh the screenshots in docs/ from a running demo (`make run`), in Debian's Chromium.

    make run                                   # in one terminal: demo data on http://127.0.0.1:8000/
    .venv/bin/python docs/screenshots.py       # in another: rewrites docs/*.png

Every main page of every role is opened as the demo user who uses it (password of `load_demo`) and saved twice: at
1366 × 900 as docs/NAME.png and at 390 × 844 as docs/phone_NAME.png (the first screen; the dashboard whole at 1366).
Chromium starts as the browser tests start it (tests/browser/chromium.py); nothing is downloaded. When `pngquant` is
installed (apt-get install pngquant) each picture is quantised to 256 colours, a third of its size or less.

    --only search,inventory    just those pages      --out /tmp/shots    somewhere else than docs/
    --lang en                  the English UI, saved as NAME_en.png / phone_NAME_en.png

The import preview uploads a three-row inventory (one row with a wrong check digit) as the officer and stops at the
preview: nothing is written, and the unconfirmed upload expires on its own (PLATFORM_IMPORT_CONFIRM_HOURS).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))
from tests.browser.chromium import DESKTOP, PHONE, chromium_launch  # noqa: E402

PASSWORD = "Demo-2026!"
LITHIUM = "/matching/search/?q=%E9%94%82%E7%94%B5%E6%B1%A0"  # 锂电池
INVENTORY_CSV = (
    "申请日,申请人,申请号,专利类型,专利名称,法律状态,主分类号\n"
    "20221202,华中科技大学,CN202223220665.2,实用新型,一种无人机机载多功能盒,有权-审定授权,B64U20/80\n"
    "20211130,华中科技大学,CN202122975192.6,实用新型,一种可拍照便携式实时语音播报端测摄像头,有权-审定授权,H04N5/225\n"
    "20210715,华中科技大学,CN202121635426.7,实用新型,大气质量监测系统,有权-审定授权,G01N33/00\n"
)


def _first_link(page: Page, base: str, path: str, pattern: str) -> str:
    """The first link on `path` whose href matches `pattern` (e.g. the first patent of a search)."""
    page.goto(f"{base}{path}")
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        if href and re.search(pattern, href):
            return str(href)
    raise SystemExit(f"no link matching {pattern} on {path}")


def _patent(page: Page, base: str) -> str:
    return _first_link(page, base, LITHIUM, r"^/patents/\d+/$")


def _matched_enterprises(page: Page, base: str) -> str:
    managed = _first_link(page, base, "/patents/inventory/?inventory_status=pooled", r"^/patents/inventory/\d+/$")
    return "/matching/patents/{}/enterprises/".format(re.findall(r"\d+", managed)[0])


def _docking(page: Page, base: str) -> str:
    return _first_link(page, base, "/enterprises/docking/inbox/", r"^/enterprises/docking/\d+/$")


def _import_preview(page: Page, base: str) -> str:
    page.goto(f"{base}/patents/import/")
    page.set_input_files(
        "input[name=file]", files=[{"name": "盘点清单.csv", "mimeType": "text/csv", "buffer": INVENTORY_CSV.encode()}]
    )
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/patents/import/\d+/"))
    page.wait_for_load_state("networkidle")
    return page.url.removeprefix(base)


@dataclass(frozen=True)
class Shot:
    name: str
    user: str | None  # None: signed out
    path: str | Callable[[Page, str], str]  # a path, or how to find it on the demo
    full: bool = False  # the whole page, not only the first screen
    settle_ms: int = 300  # ECharts' entry animations want more


SHOTS = [
    Shot("login", None, "/accounts/login/"),
    Shot("officer_home", "officer", "/"),
    Shot("inventory", "officer", "/patents/inventory/"),
    Shot("import_upload", "officer", "/patents/import/"),
    Shot("import_preview", "officer", _import_preview),
    Shot("inbox", "officer", "/enterprises/docking/inbox/"),
    Shot("docking_detail", "officer", _docking),
    Shot("matched_enterprises", "officer", _matched_enterprises),
    Shot("enterprise_home", "enterprise", "/"),
    Shot("recommendations", "enterprise", "/matching/recommendations/"),
    Shot("search", "enterprise", LITHIUM),
    Shot("patent_detail", "enterprise", _patent),
    Shot("docking_mine", "enterprise", "/enterprises/docking/"),
    Shot("notifications", "enterprise", "/enterprises/notifications/"),
    Shot("bureau_home", "bureau", "/"),
    Shot("dashboard", "bureau", "/dashboards/", full=True, settle_ms=1500),
    Shot("report", "bureau", "/dashboards/report/"),
    Shot("runs", "bureau", "/matching/runs/"),
    Shot("review", "bureau", "/enterprises/review/"),
    Shot("bureau_wuhan_home", "bureau_wuhan", "/"),
    Shot("admin_home", "admin", "/"),
]


@contextmanager
def _tab(browser: Browser, base: str, user: str | None, *, phone: bool, lang: str) -> Iterator[Page]:
    context = browser.new_context(
        locale="en-US" if lang == "en" else "zh-CN", viewport=PHONE if phone else DESKTOP, is_mobile=phone
    )
    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    if user:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_load_state("networkidle")
    try:
        yield page
    finally:
        context.close()


def _save(page: Page, out: Path, name: str, *, full: bool) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    pngquant = shutil.which("pngquant")
    if pngquant:  # 256 colours: the flat UI loses nothing visible
        quantise = [pngquant, "--force", "--skip-if-larger", "--strip", "--output", str(path), str(path)]
        subprocess.run(quantise, check=False)
    print(f"{path}  ←  {page.url}  ({path.stat().st_size // 1024} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the running demo (make run)")
    parser.add_argument("--out", type=Path, default=DOCS, help="where the pictures go (docs/)")
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"], help="the UI's language")
    args = parser.parse_args()
    base, out = args.base.rstrip("/"), args.out
    out.mkdir(parents=True, exist_ok=True)
    wanted = {name for name in args.only.split(",") if name}
    suffix = "_en" if args.lang == "en" else ""
    shots = [shot for shot in SHOTS if not wanted or shot.name in wanted]
    users = list(dict.fromkeys(shot.user for shot in shots))
    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        for phone in (False, True):
            prefix = "phone_" if phone else ""
            for user in users:
                with _tab(browser, base, user, phone=phone, lang=args.lang) as page:
                    for shot in (shot for shot in shots if shot.user == user):
                        path = shot.path if isinstance(shot.path, str) else shot.path(page, base)
                        page.goto(f"{base}{path}")
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(shot.settle_ms)
                        _save(page, out, f"{prefix}{shot.name}{suffix}", full=shot.full and not phone)
                    if phone and user == "officer" and (not wanted or "menu" in wanted or "officer_home" in wanted):
                        page.goto(f"{base}/")
                        page.get_by_test_id("menu-toggle").click()
                        page.wait_for_timeout(300)
                        _save(page, out, f"phone_menu{suffix}", full=False)
        browser.close()


if __name__ == "__main__":
    main()

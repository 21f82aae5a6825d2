"""Refresh the README's screenshots in docs/ from a running demo (`make run`), in Debian's Chromium.

    make run                                   # in one terminal: demo data on http://127.0.0.1:8000/
    .venv/bin/python docs/screenshots.py       # in another: rewrites docs/*.png

Each page is opened as the demo user who uses it (password of `load_demo`), at 1280 px, and the phone pages at
390 px. Nothing is downloaded: Playwright drives /usr/bin/chromium (CHROMIUM_PATH to change it).
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

DOCS = Path(__file__).resolve().parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Demo-2026!"


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def _shot(page: Page, base: str, path: str, name: str, *, full: bool = True, settle_ms: int = 600) -> None:
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(settle_ms)  # chart entry animations
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full)
    print(f"docs/{name}.png  ←  {path}")


def _first_link(page: Page, base: str, path: str, pattern: str) -> str:
    """The first link on `path` whose href matches `pattern` (e.g. the first patent of a search)."""
    page.goto(f"{base}{path}")
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        if href and re.search(pattern, href):
            return href
    raise SystemExit(f"no link matching {pattern} on {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the running demo (make run)")
    base = parser.parse_args().base.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), headless=True, args=ARGS
        )

        def context(width: int, height: int, locale: str = "zh-CN"):
            ctx = browser.new_context(locale=locale, viewport={"width": width, "height": height})
            return ctx, ctx.new_page()

        ctx, page = context(1280, 900)
        _shot(page, base, "/accounts/login/", "login", full=False)
        ctx.close()

        ctx, page = context(1280, 900)
        _login(page, base, "enterprise")
        # long lists: the first screen shows what a card holds
        _shot(page, base, "/matching/recommendations/", "recommendations", full=False)
        _shot(page, base, "/matching/search/?q=%E9%94%82%E7%94%B5%E6%B1%A0", "search", full=False)  # 锂电池
        patent = _first_link(page, base, "/matching/search/?q=%E9%94%82%E7%94%B5%E6%B1%A0", r"^/patents/\d+/$")
        _shot(page, base, patent, "patent_detail")
        _shot(page, base, "/enterprises/notifications/", "notifications")
        ctx.close()

        ctx, page = context(1280, 900)
        _login(page, base, "officer")
        _shot(page, base, "/", "officer_home")
        _shot(page, base, "/patents/inventory/", "inventory")
        _shot(page, base, "/enterprises/docking/inbox/", "inbox")
        managed = _first_link(page, base, "/patents/inventory/?inventory_status=pooled", r"^/patents/inventory/\d+/$")
        pk = re.search(r"\d+", managed)
        if pk:
            _shot(page, base, f"/matching/patents/{pk.group(0)}/enterprises/", "matched_enterprises")
        ctx.close()

        ctx, page = context(1280, 900)
        _login(page, base, "bureau")
        _shot(page, base, "/dashboards/", "dashboard", settle_ms=1200)
        _shot(page, base, "/matching/runs/", "runs")
        ctx.close()

        ctx, page = context(1280, 900, locale="en-US")
        _login(page, base, "bureau")
        page.goto(f"{base}/")
        page.evaluate("""() => { const f = document.querySelector('form.langswitch');
                                 f.querySelector('[name=language]').value = 'en'; f.submit(); }""")
        page.wait_for_load_state("networkidle")
        _shot(page, base, "/dashboards/", "dashboard_en", settle_ms=1200)
        ctx.close()

        for user, path, name in (
            ("officer", "/enterprises/docking/inbox/", "phone_inbox"),
            ("officer", "/patents/inventory/", "phone_inventory"),
        ):
            ctx, page = context(390, 844)
            _login(page, base, user)
            _shot(page, base, path, name, full=False)
            ctx.close()
        ctx, page = context(390, 844)
        _login(page, base, "officer")
        page.goto(f"{base}/")
        toggle = page.get_by_test_id("menu-toggle")
        if toggle.count():
            toggle.click()
            page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS / "phone_menu.png"))
        print("docs/phone_menu.png  ←  / (menu open)")
        ctx.close()
        browser.close()


if __name__ == "__main__":
    main()

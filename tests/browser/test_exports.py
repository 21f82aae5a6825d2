"""In a real headless Chromium: the export buttons of the inventory and the recommendations download the rows the
page lists (same filters, same order), and the files open in openpyxl."""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Role
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download_rows(page, button: str) -> tuple[str, list[list[object]]]:
    with page.expect_download() as download_info:
        page.get_by_test_id(button).click()
    download = download_info.value
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).worksheets[0]
    return download.suggested_filename, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_inventory_export_downloads_the_filtered_rows_on_screen(page, login, live_server, officer, pooled_patents):
    # given: three of the 40 patents are not pooled
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[:3]]).update(inventory_status="inventoried")
    login("officer_a")
    page.goto(f"{live_server.url}/patents/inventory/")
    page.select_option("select[name=inventory_status]", "pooled")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name="申请号").click()  # sorted by application number, ascending
    page.wait_for_load_state("networkidle")
    on_screen = page.locator("[data-testid=inventory-table] tbody tr td.mono").all_inner_texts()

    # when
    name, rows = _download_rows(page, "export-xlsx")

    # then
    assert name.startswith("inventory-")
    assert name.endswith(".xlsx")
    assert rows[0][:2] == ["申请号", "专利名称"]
    assert len(on_screen) == 25
    assert [r[0] for r in rows[1:26]] == on_screen
    assert len(rows) - 1 == 37
    assert {r[7] for r in rows[1:]} == {"已入库"}
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])


def test_recommendations_export_downloads_the_cards_on_screen(
    page, login, live_server, make_user, pooled_patents, matching_enterprises
):
    # given
    cache.clear()
    match_run_execute_inline(run=MatchRun.objects.create())
    make_user("sme_export", Role.ENTERPRISE, enterprise=matching_enterprises[0])
    login("sme_export")
    page.goto(f"{live_server.url}/matching/recommendations/")
    cards = page.get_by_test_id("recommendation")
    expect(cards.first).to_be_visible()
    titles = cards.locator("h2 a").all_inner_texts()

    # when
    name, rows = _download_rows(page, "export-xlsx")

    # then
    assert name.startswith("recommendations-")
    assert rows[0][:3] == ["序号", "申请号", "专利名称"]
    assert titles
    assert [r[2] for r in rows[1 : 1 + len(titles)]] == titles
    assert all(isinstance(r[7], int | float) for r in rows[1:])  # a number (openpyxl reads 100.0 back as 100)

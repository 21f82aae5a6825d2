"""In a real headless Chromium: the officer's upload wizard, its live progress bar, and bulk pooling."""

import csv
import io
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from imports.models import ImportJob
from patents.models import Patent
from tests.patents.pages.helpers import AIR_QUALITY_TYPO, CAMERA, DRONE_BOX, SAMPLE_HEADER, TYPO_MESSAGE, sample_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wizard_imports_the_valid_rows_and_offers_the_rejected_ones(page, login, live_server, officer, tmp_path):
    # given
    inventory_file = tmp_path / "华科盘点清单.csv"
    inventory_file.write_bytes(sample_csv([DRONE_BOX, CAMERA, AIR_QUALITY_TYPO]))
    login("officer_a")
    # when: upload
    page.get_by_role("link", name="上传盘点清单").first.click()
    page.set_input_files("input[name=file]", str(inventory_file))
    page.get_by_label("仅导入有效行").check()
    page.get_by_role("button", name="上传并校验").click()
    # then: the preview
    counts = page.get_by_test_id("preview-counts")
    expect(counts.locator("[data-count=total]")).to_have_text("3")
    expect(counts.locator("[data-count=valid]")).to_have_text("2")
    expect(counts.locator("[data-count=rejected]")).to_have_text("1")
    expect(page.get_by_test_id("unknown-columns")).to_contain_text("公开日、授权公告号")
    expect(page.get_by_test_id("import-errors")).to_contain_text(TYPO_MESSAGE)
    expect(page.get_by_test_id("preview-rows").locator("tbody tr")).to_have_count(3)
    assert Patent.objects.count() == 0
    # when: confirm
    page.get_by_test_id("confirm-import").click()
    # then: the progress bar reaches 100% and the summary shows
    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "100")
    summary = page.get_by_test_id("import-summary")
    expect(summary.locator("[data-count=created]")).to_have_text("2")
    expect(summary.locator("[data-count=updated]")).to_have_text("0")
    expect(summary.locator("[data-count=unchanged]")).to_have_text("0")
    expect(summary.locator("[data-count=rejected]")).to_have_text("1")
    assert sorted(Patent.objects.values_list("application_number", flat=True)) == ["202122975192.6", "202223220665.2"]
    # when: download the rejected rows
    with page.expect_download() as download_info:
        page.get_by_test_id("rejected-download").click()
    download = download_info.value
    # then
    assert download.suggested_filename == "华科盘点清单-rejected-rows.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_bytes().decode("utf-8-sig"))))
    assert rows == [[*SAMPLE_HEADER, "错误 / errors"], [*AIR_QUALITY_TYPO, TYPO_MESSAGE]]


def test_progress_bar_follows_a_running_job_until_it_finishes(page, login, live_server, officer, institution):
    # given
    cache.clear()
    job = ImportJob.objects.create(
        kind="patents",
        institution=institution,
        created_by=officer,
        original_name="清单.csv",
        status="running",
        progress=30,
    )
    login("officer_a")
    page.goto(f"{live_server.url}/patents/import/{job.pk}/")
    bar = page.get_by_test_id("import-progress")
    expect(bar).to_have_attribute("value", "30")
    expect(page.get_by_test_id("import-summary")).to_have_count(0)
    # when: the worker makes progress
    ImportJob.objects.filter(pk=job.pk).update(progress=70)
    # then
    expect(bar).to_have_attribute("value", "70")
    # when: the worker finishes
    ImportJob.objects.filter(pk=job.pk).update(status="done", progress=100, created_count=12, unchanged_count=3)
    # then
    expect(page.get_by_test_id("import-summary")).to_be_visible()
    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("import-summary").locator("[data-count=created]")).to_have_text("12")
    expect(page.get_by_test_id("import-summary").locator("[data-count=unchanged]")).to_have_text("3")


def test_bulk_pool_of_the_selected_patents(page, login, live_server, officer, institution):
    # given
    for number, title in [("202223220665.2", "一种无人机机载多功能盒"), ("202121635426.6", "大气质量监测系统")]:
        Patent.objects.create(
            application_number=number, title=title, patent_type="utility_model", legal_status="valid",
            institution=institution, transfer_modes=["assignment"],
        )  # fmt: skip
    login("officer_a")
    page.goto(f"{live_server.url}/patents/inventory/")
    # when
    page.get_by_label("全选本页").check()
    page.get_by_label("批量操作").select_option("pool")
    page.get_by_role("button", name="应用到所选专利").click()
    # then
    expect(page.locator(".messages")).to_have_text("已入库 2 件专利")
    assert set(Patent.objects.values_list("inventory_status", flat=True)) == {"pooled"}

"""The officer's upload wizard and import records: preview, confirm, rejection, progress, per-institution scope."""

import csv
import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from imports.models import ImportJob
from patents.models import Patent, PatentStatusChange
from tests.patents.pages.helpers import (
    AIR_QUALITY_TYPO,
    CAMERA,
    DRONE_BOX,
    KEYWORDS,
    SAMPLE_HEADER,
    TYPO_MESSAGE,
    count_in,
    messages_of,
    sample_csv,
    upload,
)

pytestmark = pytest.mark.django_db


def test_upload_stores_the_job_and_shows_the_preview_without_writing(client, officer, institution):
    # given
    client.force_login(officer)
    # when
    response = upload(client, sample_csv([DRONE_BOX, CAMERA, KEYWORDS]))
    # then
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patents:import_job", args=[job.pk])
    assert (job.kind, job.status, job.institution, job.created_by) == ("patents", "previewed", institution, officer)
    assert (job.total_rows, job.valid_rows, job.rejected_count) == (3, 3, 0)
    assert (job.file_format, job.encoding, job.valid_rows_only) == ("csv", "utf-8", False)
    assert job.unknown_columns == ["公开日", "授权公告号"]
    assert Patent.objects.count() == 0
    html = client.get(response["Location"]).content.decode()
    assert (count_in(html, "total"), count_in(html, "valid"), count_in(html, "rejected")) == ("3", "3", "0")
    assert count_in(html, "format") == "CSV · UTF-8"
    assert "以下列未识别，将被忽略（不影响导入）：公开日、授权公告号" in html
    assert "一种基于图模型的新闻关键词抽取方法及装置" in html  # the first rows table
    assert "第4行 授权日: 按空白处理（无日期） / Row 4, grant date: read as empty (no date)" in html  # a warning
    assert 'data-testid="confirm-import"' in html


def test_gbk_file_is_detected_and_reported(client, officer):
    # given
    client.force_login(officer)
    # when
    response = upload(client, sample_csv([DRONE_BOX], encoding="gbk"))
    # then
    job = ImportJob.objects.get()
    assert (job.status, job.encoding, job.valid_rows) == ("previewed", "gb18030", 1)
    assert count_in(client.get(response["Location"]).content.decode(), "format") == "CSV · GB18030"


def test_confirm_writes_the_rows_and_shows_the_summary(client, officer, institution):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, CAMERA, KEYWORDS]))
    job = ImportJob.objects.get()
    # when
    response = client.post(reverse("patents:import_start", args=[job.pk]))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("patents:import_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    assert (job.created_count, job.updated_count, job.unchanged_count, job.rejected_count) == (3, 0, 0, 0)
    assert not job.rejected_file
    drone = Patent.objects.get(application_number="202223220665.2")
    assert (drone.title, drone.institution, drone.patent_type) == (
        "一种无人机机载多功能盒",
        institution,
        "utility_model",
    )
    assert (drone.application_date, drone.grant_date, drone.legal_status) == (
        date(2022, 12, 2),
        date(2023, 3, 28),
        "valid",
    )
    assert (drone.publication_number, drone.inventory_status) == ("CN218751475U", "inventoried")
    keywords = Patent.objects.get(application_number="202211740332.4")
    assert (keywords.patent_type, keywords.grant_date, keywords.legal_status) == ("invention", None, "pending")
    assert Patent.objects.count() == 3
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-summary"' in html
    assert [count_in(html, n) for n in ("created", "updated", "unchanged", "rejected")] == ["3", "0", "0", "0"]
    assert 'value="100"' in html
    assert "import_progress.js" not in html  # finished: nothing left to poll


def test_reupload_of_the_same_file_is_unchanged_without_duplicates(client, officer):
    # given
    client.force_login(officer)
    content = sample_csv([DRONE_BOX, CAMERA, KEYWORDS])
    upload(client, content)
    client.post(reverse("patents:import_start", args=[ImportJob.objects.get().pk]))
    # when
    upload(client, content)
    second = ImportJob.objects.latest("pk")
    client.post(reverse("patents:import_start", args=[second.pk]))
    # then
    second.refresh_from_db()
    assert second.status == "done"
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert Patent.objects.count() == 3
    assert PatentStatusChange.objects.count() == 0  # the jobs record the imports; no status changed


def test_one_bad_row_rejects_the_whole_file_and_writes_nothing(client, officer):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, CAMERA, AIR_QUALITY_TYPO]))
    job = ImportJob.objects.get()
    preview = client.get(reverse("patents:import_job", args=[job.pk])).content.decode()
    # when
    client.post(reverse("patents:import_start", args=[job.pk]))
    # then
    assert (job.total_rows, job.valid_rows, job.rejected_count) == (3, 2, 1)
    assert 'data-testid="all-or-nothing-warning"' in preview
    assert TYPO_MESSAGE in preview
    assert '<tr data-line="4"><td class="num">4</td><td>申请号</td>' in preview
    job.refresh_from_db()
    assert job.status == "rejected"
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 0)
    assert job.message == "发现 1 行有错误，未写入任何数据 / 1 rows have errors; nothing was written"
    assert Patent.objects.count() == 0
    assert PatentStatusChange.objects.count() == 0
    html = client.get(reverse("patents:import_job", args=[job.pk])).content.decode()
    assert "文件有错误，未写入任何数据。" in html
    assert TYPO_MESSAGE in html
    assert reverse("patents:import_rejected", args=[job.pk]) in html
    assert 'data-testid="reupload"' in html


def test_rejected_rows_file_holds_the_bad_rows_with_an_error_column(client, officer):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, AIR_QUALITY_TYPO]), name="华科清单.csv")
    job = ImportJob.objects.get()
    client.post(reverse("patents:import_start", args=[job.pk]))
    # when
    response = client.get(reverse("patents:import_rejected", args=[job.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%8D%8E%E7%A7%91%E6%B8%85%E5%8D%95-rejected-rows.csv"
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        [*SAMPLE_HEADER, "错误 / errors"],
        [*AIR_QUALITY_TYPO, TYPO_MESSAGE.replace("第4行", "第3行").replace("Row 4", "Row 3")],
    ]


def test_valid_rows_only_writes_the_good_rows_and_offers_the_rejected_ones(client, officer):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, CAMERA, AIR_QUALITY_TYPO]), valid_rows_only=True)
    job = ImportJob.objects.get()
    # when
    client.post(reverse("patents:import_start", args=[job.pk]))
    # then
    job.refresh_from_db()
    assert (job.status, job.valid_rows_only) == ("done", True)
    assert (job.created_count, job.updated_count, job.unchanged_count, job.rejected_count) == (2, 0, 0, 1)
    assert sorted(Patent.objects.values_list("application_number", flat=True)) == ["202122975192.6", "202223220665.2"]
    html = client.get(reverse("patents:import_job", args=[job.pk])).content.decode()
    assert [count_in(html, n) for n in ("created", "updated", "unchanged", "rejected")] == ["2", "0", "0", "1"]
    assert 'data-testid="rejected-download"' in html


def test_every_error_is_listed_over_several_pages(client, officer):
    # given
    client.force_login(officer)
    bad = [["20221332", *DRONE_BOX[1:8], "", *DRONE_BOX[9:]] for _ in range(150)]
    upload(client, sample_csv(bad))
    job = ImportJob.objects.get()
    url = reverse("patents:import_job", args=[job.pk])
    # when
    first = client.get(url).content.decode()
    second = client.get(url, {"errors_page": 2}).content.decode()
    # then
    assert len(job.errors) == 300  # a date that does not exist and a missing title on each row
    assert first.count("<tr data-line=") == 100
    assert second.count("<tr data-line=") == 100
    third = client.get(url, {"errors_page": 3}).content.decode()
    assert third.count("<tr data-line=") == 100
    assert "第 3 / 3 页" in third
    lines = [int(n) for page in (first, second, third) for n in re.findall(r'<tr data-line="(\d+)">', page)]
    assert lines == [e["line"] for e in job.errors]


def test_file_over_the_size_limit_is_refused_before_it_is_read(client, officer):
    # given
    client.force_login(officer)
    content = sample_csv([DRONE_BOX, CAMERA])
    # when
    with override_settings(UPLOAD_MAX_BYTES=100):
        response = upload(client, content)
    # then
    assert response.status_code == 400
    size = f"{len(content) / 1048576:.1f}"
    assert (
        f"文件大小 {size} MB 超过上限 0.0 MB，请拆分后分批上传 / "
        f"the file is {size} MB, above the 0.0 MB limit; split it" in response.content.decode()
    )
    assert ImportJob.objects.count() == 0


def test_unsupported_file_type_is_refused(client, officer):
    # given
    client.force_login(officer)
    # when
    response = upload(client, b"MZ\x90\x00", name="清单.exe")
    # then
    assert response.status_code == 400
    assert "不支持的文件类型“.exe”，请上传 .xlsx 或 .csv 文件 / Unsupported file type" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_file_without_required_columns_is_rejected_at_preview(client, officer):
    # given
    client.force_login(officer)
    # when
    response = upload(client, "专利名称,申请人\n一种无人机机载多功能盒,中科大数据研究院\n".encode())
    # then
    job = ImportJob.objects.get()
    assert job.status == "rejected"
    assert job.message == "缺少必需的列：申请号 / Missing required columns: application number"
    html = client.get(response["Location"]).content.decode()
    assert "缺少必需的列：申请号 / Missing required columns: application number" in html
    assert 'data-testid="reupload"' in html
    assert Patent.objects.count() == 0


def test_a_finished_job_cannot_be_started_again(client, officer):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX]))
    job = ImportJob.objects.get()
    client.post(reverse("patents:import_start", args=[job.pk]))
    # when
    response = client.post(reverse("patents:import_start", args=[job.pk]), follow=True)
    # then
    assert messages_of(response) == ["该导入任务当前状态为“已完成”，不能再次开始 / the job cannot be started again"]
    assert Patent.objects.count() == 1


def test_status_endpoint_returns_the_job_summary(client, officer):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, CAMERA]))
    job = ImportJob.objects.get()
    client.post(reverse("patents:import_start", args=[job.pk]))
    # when
    response = client.get(reverse("patents:import_status", args=[job.pk]))
    # then
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("pk", "status", "progress", "total_rows", "created", "updated", "unchanged")} == {
        "pk": job.pk, "status": "done", "progress": 100, "total_rows": 2, "created": 2, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    assert (data["rejected"], data["error_count"], data["has_rejected_file"]) == (0, 0, False)


def test_progress_page_polls_while_the_job_runs(client, officer, institution):
    # given
    cache.clear()  # live progress is cached by job pk, and pks repeat between tests
    client.force_login(officer)
    job = ImportJob.objects.create(
        kind="patents",
        institution=institution,
        created_by=officer,
        original_name="清单.csv",
        status="running",
        progress=40,
    )
    # when
    html = client.get(reverse("patents:import_job", args=[job.pk])).content.decode()
    # then
    assert 'value="40"' in html
    assert f'data-status-url="{reverse("patents:import_status", args=[job.pk])}"' in html
    assert "js/import_progress.js" in html
    assert 'data-testid="import-summary"' not in html


def test_jobs_list_shows_only_the_institutions_imports(client, officer, other_officer, institution, other_institution):
    # given
    ImportJob.objects.create(kind="patents", institution=institution, created_by=officer, original_name="华科.csv")
    ImportJob.objects.create(
        kind="patents", institution=other_institution, created_by=other_officer, original_name="武大.csv"
    )
    client.force_login(officer)
    # when
    response = client.get(reverse("patents:import_jobs"))
    # then
    assert [job.original_name for job in response.context["page"].object_list] == ["华科.csv"]
    assert "武大.csv" not in response.content.decode()


@pytest.mark.parametrize("name", ["import_job", "import_status", "import_rejected"])
def test_another_institutions_officer_gets_404_for_the_job(client, officer, other_officer, name):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, AIR_QUALITY_TYPO]), valid_rows_only=True)
    job = ImportJob.objects.get()
    client.post(reverse("patents:import_start", args=[job.pk]))
    client.force_login(other_officer)
    # when
    response = client.get(reverse(f"patents:{name}", args=[job.pk]))
    # then
    assert response.status_code == 404


def test_another_institutions_officer_cannot_start_the_job(client, officer, other_officer):
    # given
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX]))
    job = ImportJob.objects.get()
    client.force_login(other_officer)
    # when
    response = client.post(reverse("patents:import_start", args=[job.pk]))
    # then
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "previewed"
    assert Patent.objects.count() == 0


def test_in_the_english_ui_the_import_errors_read_english_first_and_stay_chinese_first_in_chinese(client, officer):
    # given: a rejected import, its messages stored Chinese first
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, CAMERA, AIR_QUALITY_TYPO]))
    job = ImportJob.objects.get()
    client.post(reverse("patents:import_start", args=[job.pk]))
    page, status = reverse("patents:import_job", args=[job.pk]), reverse("patents:import_status", args=[job.pk])
    english_typo = "Row 4, application number: wrong check digit, expected 6 / 第4行 申请号: 校验位错误，应为 6"
    # when
    chinese_html, chinese_json = client.get(page).content.decode(), client.get(status).json()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_html, english_json = client.get(page).content.decode(), client.get(status).json()
    # then: shown in the reader's order, stored as they were
    assert TYPO_MESSAGE in chinese_html
    assert english_typo in english_html
    assert TYPO_MESSAGE not in english_html
    assert "1 rows have errors; nothing was written / 发现 1 行有错误，未写入任何数据" in english_html
    assert (chinese_json["errors"][0]["message"], chinese_json["message"]) == (
        TYPO_MESSAGE,
        "发现 1 行有错误，未写入任何数据 / 1 rows have errors; nothing was written",
    )
    assert (english_json["errors"][0]["message"], english_json["message"]) == (
        english_typo,
        "1 rows have errors; nothing was written / 发现 1 行有错误，未写入任何数据",
    )
    job.refresh_from_db()
    assert job.errors[0]["message"] == TYPO_MESSAGE

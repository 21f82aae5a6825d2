"""Officer pages: the upload wizard, import records, inventory list with bulk actions, a patent's manage page."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.models import AuditLog
from imports.models import ImportJob
from patents.models import Patent, PatentStatusChange

pytestmark = pytest.mark.django_db

# Real rows of the PatentSemantix sample (/work/shared/data/patent-record-sample/patents.csv), claims shortened.
SAMPLE_HEADER = [
    "申请日", "公开日", "授权公告日", "申请人", "申请号", "公开号", "授权公告号", "专利类型", "专利名称", "法律状态",
    "主分类号", "分类号", "主权项",
]  # fmt: skip
DRONE_BOX = [
    "20221202", "20230328", "20230328", "中科大数据研究院", "CN202223220665.2", "CN218751475U", "CN218751475U",
    "实用新型", "一种无人机机载多功能盒", "有权-审定授权", "B64U20/80", "B64U20/80;B64U101/30",
    "1.一种无人机机载多功能盒，其特征在于，包括内盒（1），外盒（2）和内部电路",
]  # fmt: skip
CAMERA = [
    "20211130", "20220617", "20220617", "中科大数据研究院", "CN202122975192.6", "CN216774847U", "CN216774847U",
    "实用新型", "一种可拍照便携式实时语音播报端测摄像头", "有权-审定授权", "H04N5/225",
    "H04N5/225;H04N5/232;H04N5/76;H02J7/00", "1.一种可拍照便携式实时语音播报端测摄像头，包括摄像头壳体",
]  # fmt: skip
KEYWORDS = [
    "20221230", "20230609", "0", "中科大数据研究院", "CN202211740332.4", "CN116245100A", "", "发明公开",
    "一种基于图模型的新闻关键词抽取方法及装置", "审中-实质审查", "G06F40/289",
    "G06F40/289;G06F40/216;G06F16/901;G06F16/33;G06F16/31",
    "1.一种基于图模型的新闻关键词抽取方法，其特征在于，包括以下步骤",
]  # fmt: skip
# 大气质量监测系统 with a mistyped check digit (.7 instead of .6): the one bad row.
AIR_QUALITY_TYPO = [
    "20210715", "20230407", "20230407", "中科大数据研究院", "CN202121635426.7", "CN218824140U", "CN218824140U",
    "实用新型", "大气质量监测系统", "有权-审定授权", "G01N33/00", "G01N33/00;G01N15/06",
    "1.一种大气质量监测系统，其特征在于，包括：无人机和与无人通信连接的管控设备",
]  # fmt: skip
TYPO_MESSAGE = "第4行 申请号: 校验位错误，应为 6 / Row 4, application number: wrong check digit, expected 6"


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client whose POSTs run on-commit callbacks (queued tasks), as a committed request would.

    The test's own transaction never commits, so core.jobs.task_send would otherwise wait forever.
    """
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def sample_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SAMPLE_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, content: bytes, *, name: str = "盘点清单.csv", valid_rows_only: bool = False):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if valid_rows_only:
        data["valid_rows_only"] = "on"
    return client.post(reverse("patents:import_upload"), data)


def count_in(html: str, name: str) -> str:
    match = re.search(rf'data-count="{name}">([^<]*)<', html)
    return match.group(1) if match else ""


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def make_patent(institution, number: str, **fields) -> Patent:
    defaults = {"title": f"专利 {number}", "patent_type": "invention", "legal_status": "valid"}
    return Patent.objects.create(application_number=number, institution=institution, **{**defaults, **fields})


# --- upload wizard -----------------------------------------------------------------------------------------------


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


# --- permissions -------------------------------------------------------------------------------------------------

OFFICER_PAGES = ["patents:import_upload", "patents:import_jobs", "patents:import_template", "patents:inventory"]


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau", "city_bureau", "platform_admin"])
@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_other_roles_get_403_on_officer_pages(client, request, fixture, name):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = client.get(reverse(name))
    # then
    assert response.status_code == 403


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau"])
def test_other_roles_cannot_upload(client, request, fixture):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = upload(client, sample_csv([DRONE_BOX]))
    # then
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_anonymous_is_sent_to_login(client, name):
    # when
    response = client.get(reverse(name))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_nav_links_to_upload_and_import_records(client, officer):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("home")).content.decode()
    # then
    assert f'<a href="{reverse("patents:import_upload")}">上传盘点清单</a>' in html
    assert f'<a href="{reverse("patents:import_jobs")}">导入记录</a>' in html


# --- inventory list ----------------------------------------------------------------------------------------------


@pytest.fixture
def inventory(institution, other_institution):
    """Four patents of the officer's institution and one of another."""
    return {
        "drone": make_patent(
            institution, "202223220665.2", title="一种无人机机载多功能盒", patent_type="utility_model",
            application_date=date(2022, 12, 2), ipc_section="B", value_grade="A", transfer_modes=["assignment"],
        ),
        "camera": make_patent(
            institution, "202122975192.6", title="一种可拍照便携式实时语音播报端测摄像头", patent_type="utility_model",
            application_date=date(2021, 11, 30), ipc_section="H", value_grade="B", inventory_status="pooled",
            transfer_modes=["licence"],
        ),
        "keywords": make_patent(
            institution, "202211740332.4", title="一种基于图模型的新闻关键词抽取方法及装置",
            application_date=date(2022, 12, 30), ipc_section="G", legal_status="pending",
        ),
        "lapsed": make_patent(
            institution, "202121751980.0", title="一种搭载热成像的农作物监管无人机", patent_type="utility_model",
            application_date=date(2021, 7, 30), ipc_section="B", legal_status="invalid", transfer_modes=["assignment"],
        ),
        "other": make_patent(other_institution, "202310605823.6", title="一种人员聚集发现算法", ipc_section="G"),
    }  # fmt: skip


def listed(client, **params) -> list[str]:
    response = client.get(reverse("patents:inventory"), params)
    assert response.status_code == 200
    return [p.application_number for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["202211740332.4", "202223220665.2", "202122975192.6", "202121751980.0"]),
        ({"inventory_status": "pooled"}, ["202122975192.6"]),
        ({"patent_type": "invention"}, ["202211740332.4"]),
        ({"ipc_section": "B"}, ["202223220665.2", "202121751980.0"]),
        ({"application_year": "2022"}, ["202211740332.4", "202223220665.2"]),
        ({"legal_status": "invalid"}, ["202121751980.0"]),
        ({"value_grade": "A"}, ["202223220665.2"]),
        ({"q": "无人机"}, ["202223220665.2", "202121751980.0"]),
        ({"q": "202122975192"}, ["202122975192.6"]),
        ({"o": "title"}, ["202122975192.6", "202211740332.4", "202121751980.0", "202223220665.2"]),  # code points
        ({"o": "application_number"}, ["202121751980.0", "202122975192.6", "202211740332.4", "202223220665.2"]),
        ({"o": "-application_date"}, ["202211740332.4", "202223220665.2", "202122975192.6", "202121751980.0"]),
        ({"o": "application_date", "ipc_section": "B"}, ["202121751980.0", "202223220665.2"]),
    ],
)
def test_inventory_filters_search_and_sorting(client, officer, inventory, params, expected):
    # given
    client.force_login(officer)
    # when / then
    assert listed(client, **params) == expected


def test_sorting_by_updated(client, officer, inventory):
    # given
    client.force_login(officer)
    Patent.objects.filter(pk=inventory["keywords"].pk).update(updated_at="2020-01-01T00:00:00+08:00")
    # when
    ordered = listed(client, o="-updated")
    # then
    assert ordered[-1] == "202211740332.4"
    assert len(ordered) == 4


def test_filter_selects_name_their_empty_choice(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:inventory"), {"legal_status": "valid"}).content.decode()
    # then
    assert '<option value="" selected>全部状态</option>' in html
    assert '<option value="">全部法律状态</option>' in html
    assert '<option value="valid" selected>有效</option>' in html
    assert '<option value="" selected>全部 IPC 部</option>' in html


def test_sort_links_toggle_direction_and_keep_filters(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:inventory"), {"ipc_section": "B", "o": "title", "page": "1"}).content.decode()
    # then
    assert '<a href="?ipc_section=B&amp;o=-title" class="sort" data-sort="title">专利名称 ▲</a>' in html
    assert (
        '<a href="?ipc_section=B&amp;o=application_date" class="sort" data-sort="application_date">申请日</a>' in html
    )


def test_inventory_is_paginated_by_25(client, officer, institution):
    # given
    for n in range(30):
        make_patent(institution, f"2023100000{n:02d}.0", application_date=date(2023, 1, 1 + n % 28))
    client.force_login(officer)
    # when
    first = listed(client)
    second = listed(client, page=2)
    # then
    assert (len(first), len(second)) == (25, 5)
    assert not set(first) & set(second)


def test_enterprise_list_shows_pooled_patents_only(client, enterprise_member, inventory):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("patents:list"))
    # then
    assert [p.application_number for p in response.context["page"].object_list] == ["202122975192.6"]


# --- bulk actions ------------------------------------------------------------------------------------------------


def bulk(client, action: str, patents: list[Patent], **extra):
    data = {"action": action, "patents": [p.pk for p in patents], **extra}
    return client.post(reverse("patents:inventory_bulk"), data, follow=True)


def test_bulk_pool_pools_and_records_the_history(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["drone"], inventory["camera"]], next="/patents/inventory/?ipc_section=B")
    # then
    assert response.redirect_chain == [("/patents/inventory/?ipc_section=B", 302)]
    assert messages_of(response) == ["已入库 1 件专利"]
    inventory["drone"].refresh_from_db()
    assert inventory["drone"].inventory_status == "pooled"
    change = PatentStatusChange.objects.get()
    assert (change.patent, change.from_status, change.to_status, change.actor) == (
        inventory["drone"], "inventoried", "pooled", officer
    )  # fmt: skip


def test_bulk_pool_refused_by_the_service_changes_nothing(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["drone"], inventory["keywords"]])
    # then
    assert messages_of(response) == [
        "202211740332.4 尚未设置转化方式，请先设置许可条件 / set transfer terms before pooling"
    ]
    statuses = dict(Patent.objects.values_list("application_number", "inventory_status"))
    assert (statuses["202223220665.2"], statuses["202211740332.4"]) == ("inventoried", "inventoried")
    assert PatentStatusChange.objects.count() == 0


def test_bulk_pool_of_a_lapsed_patent_is_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["lapsed"]])
    # then
    assert messages_of(response) == ["202121751980.0 已失效，不能入库 / a lapsed patent cannot be pooled"]
    inventory["lapsed"].refresh_from_db()
    assert inventory["lapsed"].inventory_status == "inventoried"


def test_bulk_unpool_needs_a_reason(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "unpool", [inventory["camera"]], reason="  ")
    # then
    assert messages_of(response) == ["请填写未入库原因 / give the reason"]
    inventory["camera"].refresh_from_db()
    assert inventory["camera"].inventory_status == "pooled"
    assert PatentStatusChange.objects.count() == 0


def test_bulk_unpool_with_a_reason(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "unpool", [inventory["camera"], inventory["drone"]], reason="已与企业签订独占许可")
    # then
    assert messages_of(response) == ["已移出 2 件专利（未入库）"]
    for key in ("camera", "drone"):
        inventory[key].refresh_from_db()
        assert (inventory[key].inventory_status, inventory[key].not_pooled_reason) == (
            "not_pooled",
            "已与企业签订独占许可",
        )
    assert sorted(PatentStatusChange.objects.values_list("from_status", "to_status", "reason")) == [
        ("inventoried", "not_pooled", "已与企业签订独占许可"),
        ("pooled", "not_pooled", "已与企业签订独占许可"),
    ]


def test_bulk_set_transfer_modes(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(
        client, "modes", [inventory["keywords"], inventory["drone"]], transfer_modes=["assignment", "equity"]
    )
    # then
    assert messages_of(response) == ["已为 2 件专利设置转化方式"]
    for key in ("keywords", "drone"):
        inventory[key].refresh_from_db()
        assert inventory[key].transfer_modes == ["assignment", "equity"]


def test_bulk_modes_without_a_mode_is_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "modes", [inventory["keywords"]])
    # then
    assert messages_of(response) == ["请至少选择一种有效的转化方式 / choose at least one valid transfer mode"]
    inventory["keywords"].refresh_from_db()
    assert inventory["keywords"].transfer_modes == []


def test_bulk_open_licence_is_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "modes", [inventory["keywords"]], transfer_modes=["open_licence"])
    # then
    assert messages_of(response) == [
        "开放许可须在专利页面逐件声明付费条件 / declare open-licence terms on each patent's page"
    ]
    inventory["keywords"].refresh_from_db()
    assert inventory["keywords"].transfer_modes == []


def test_bulk_on_another_institutions_patent_changes_nothing(client, officer, inventory):
    # given
    client.force_login(officer)
    inventory["other"].transfer_modes = ["assignment"]
    inventory["other"].save()
    # when
    response = bulk(client, "pool", [inventory["drone"], inventory["other"]])
    # then
    assert messages_of(response) == ["所选专利不存在或不属于本单位 / a selected patent is not one of yours"]
    assert set(Patent.objects.values_list("inventory_status", flat=True)) == {"inventoried", "pooled"}
    assert Patent.objects.get(pk=inventory["other"].pk).inventory_status == "inventoried"
    assert Patent.objects.get(pk=inventory["drone"].pk).inventory_status == "inventoried"


def test_bulk_without_selection(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [])
    # then
    assert messages_of(response) == ["请先勾选专利 / select at least one patent"]
    assert PatentStatusChange.objects.count() == 0


def test_bulk_ignores_an_offsite_next(client, officer, inventory):
    # given
    client.force_login(officer)
    # when
    response = bulk(client, "pool", [inventory["drone"]], next="https://evil.example/")
    # then
    assert response.redirect_chain == [(reverse("patents:inventory"), 302)]


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau"])
def test_bulk_is_officer_only(client, request, fixture, inventory):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = client.post(reverse("patents:inventory_bulk"), {"action": "pool", "patents": [inventory["drone"].pk]})
    # then
    assert response.status_code == 403
    inventory["drone"].refresh_from_db()
    assert inventory["drone"].inventory_status == "inventoried"


# --- a patent's manage page --------------------------------------------------------------------------------------


def test_manage_page_shows_forms_and_history(client, officer, inventory):
    # given
    client.force_login(officer)
    bulk(client, "pool", [inventory["drone"]])
    # when
    response = client.get(reverse("patents:manage", args=[inventory["drone"].pk]))
    # then
    assert response.status_code == 200
    assert response.context["edit_form"].initial["title"] == "一种无人机机载多功能盒"
    assert response.context["terms_form"].initial["transfer_modes"] == ["assignment"]
    assert [(c.from_status, c.to_status) for c in response.context["history"]] == [("inventoried", "pooled")]
    html = response.content.decode()
    assert 'data-testid="status-history"' in html
    assert "<td>已盘点</td><td>已入库</td>" in html


def test_edit_saves_the_descriptive_fields(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {
        "title": "一种基于图模型的新闻关键词抽取方法", "abstract": "基于图模型抽取新闻关键词。",
        "claims": "1.一种方法。",
        "legal_status": "valid", "value_grade": "B", "internal_notes": "发明人愿意配合技术转移", "inventors": "",
        "applicant": "中科大数据研究院", "application_date": "2022-12-30", "grant_date": "2024-04-05",
    }  # fmt: skip
    # when
    response = client.post(reverse("patents:manage_edit", args=[patent.pk]), data, follow=True)
    # then
    assert messages_of(response) == ["专利信息已保存"]
    patent.refresh_from_db()
    assert (patent.title, patent.value_grade, patent.legal_status) == (
        "一种基于图模型的新闻关键词抽取方法",
        "B",
        "valid",
    )
    assert (patent.internal_notes, patent.grant_date) == ("发明人愿意配合技术转移", date(2024, 4, 5))
    assert AuditLog.objects.filter(action="patent.update").count() == 1


def test_edit_refused_by_validation_changes_nothing(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {"title": "新名称", "legal_status": "valid", "application_date": "2022-12-30", "grant_date": "2021-01-01"}
    # when
    response = client.post(reverse("patents:manage_edit", args=[patent.pk]), data)
    # then
    assert response.status_code == 400
    assert response.context["edit_form"].non_field_errors()
    patent.refresh_from_db()
    assert (patent.title, patent.grant_date) == ("一种基于图模型的新闻关键词抽取方法及装置", None)
    assert AuditLog.objects.filter(action="patent.update").count() == 0


def test_terms_set_with_an_open_licence(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {
        "transfer_modes": ["licence", "open_licence"], "price_min": "100000", "price_max": "300000",
        "contact": "技术转移中心", "contact_phone": "027-87541234", "open_licence_payment": "entry_royalty",
        "open_licence_entry_fee": "50000", "open_licence_royalty_rate": "3.5", "open_licence_years": "3",
    }  # fmt: skip
    # when
    response = client.post(reverse("patents:manage_terms", args=[patent.pk]), data, follow=True)
    # then
    assert messages_of(response) == ["许可条件已保存"]
    patent.refresh_from_db()
    assert patent.transfer_modes == ["licence", "open_licence"]
    assert (patent.price_min, patent.price_max, patent.price_negotiable) == (Decimal(100000), Decimal(300000), False)
    assert (patent.open_licence_payment, patent.open_licence_entry_fee) == ("entry_royalty", Decimal(50000))
    assert (patent.open_licence_royalty_rate, patent.open_licence_years) == (Decimal("3.5"), 3)
    assert (patent.contact, patent.contact_phone) == ("技术转移中心", "027-87541234")


def test_terms_above_the_open_licence_cap_are_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["keywords"]
    data = {"transfer_modes": ["open_licence"], "open_licence_payment": "royalty", "open_licence_royalty_rate": "11"}
    # when
    response = client.post(reverse("patents:manage_terms", args=[patent.pk]), data)
    # then
    assert response.status_code == 400
    assert response.context["terms_form"].errors["open_licence_royalty_rate"] == [
        "提成比例超过开放许可上限 10% / royalty rate above the open-licence cap"
    ]
    patent.refresh_from_db()
    assert (patent.transfer_modes, patent.open_licence_payment, patent.open_licence_royalty_rate) == ([], "", None)


def test_terms_with_a_reversed_price_range_are_refused(client, officer, inventory):
    # given
    client.force_login(officer)
    patent = inventory["drone"]
    data = {"transfer_modes": ["assignment"], "price_min": "300000", "price_max": "100000"}
    # when
    response = client.post(reverse("patents:manage_terms", args=[patent.pk]), data)
    # then
    assert response.status_code == 400
    assert response.context["terms_form"].errors["price_max"] == [
        "价格上限不能低于下限 / the upper price is below the lower one"
    ]
    patent.refresh_from_db()
    assert (patent.price_min, patent.price_max) == (None, None)


@pytest.mark.parametrize("name", ["patents:manage", "patents:manage_edit", "patents:manage_terms"])
def test_another_institutions_officer_gets_404_on_a_patent(client, other_officer, inventory, name):
    # given
    client.force_login(other_officer)
    url = reverse(name, args=[inventory["drone"].pk])
    # when
    response = (
        client.get(url)
        if name == "patents:manage"
        else client.post(url, {"title": "改名", "transfer_modes": ["licence"]})
    )
    # then
    assert response.status_code == 404
    inventory["drone"].refresh_from_db()
    assert (inventory["drone"].title, inventory["drone"].transfer_modes) == ("一种无人机机载多功能盒", ["assignment"])


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau"])
def test_manage_page_is_officer_only(client, request, fixture, inventory):
    # given
    client.force_login(request.getfixturevalue(fixture))
    # when
    response = client.get(reverse("patents:manage", args=[inventory["camera"].pk]))
    # then
    assert response.status_code == 403


# --- the shared patent page --------------------------------------------------------------------------------------


def test_enterprise_sees_a_pooled_patent_without_internal_notes(client, enterprise_member, inventory):
    # given
    Patent.objects.filter(pk=inventory["camera"].pk).update(internal_notes="底价 8 万，勿外传")
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("patents:detail", args=[inventory["camera"].pk]))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "一种可拍照便携式实时语音播报端测摄像头" in html
    assert "底价 8 万，勿外传" not in html
    assert 'data-testid="manage-link"' not in html


def test_enterprise_gets_404_for_a_patent_not_pooled(client, enterprise_member, inventory):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("patents:detail", args=[inventory["drone"].pk]))
    # then
    assert response.status_code == 404


def test_bureau_reads_any_patent_without_internal_notes(client, bureau, inventory):
    # given
    Patent.objects.filter(pk=inventory["drone"].pk).update(internal_notes="底价 8 万，勿外传")
    client.force_login(bureau)
    # when
    response = client.get(reverse("patents:detail", args=[inventory["drone"].pk]))
    # then
    assert response.status_code == 200
    assert "底价 8 万，勿外传" not in response.content.decode()


def test_owner_officer_sees_internal_notes_and_the_manage_link(client, officer, inventory):
    # given
    Patent.objects.filter(pk=inventory["drone"].pk).update(internal_notes="底价 8 万，勿外传")
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:detail", args=[inventory["drone"].pk])).content.decode()
    # then
    assert "底价 8 万，勿外传" in html
    assert reverse("patents:manage", args=[inventory["drone"].pk]) in html


@pytest.mark.parametrize(
    "spelling",
    [
        "CN202122975192.6",
        "202122975192.6",
        "2021229751926",
        "ZL202122975192.6",
        "ZL 2021 2297 5192.6",
        "ｃｎ２０２１２２９７５１９２．６",
        "CN 2021229751926",
        "ZL2021229751",
    ],
)
def test_inventory_and_patent_list_find_an_application_number_in_any_spelling(
    client, officer, bureau, inventory, spelling
):
    # given
    client.force_login(officer)
    # when
    in_inventory = listed(client, q=spelling)
    client.force_login(bureau)
    response = client.get(reverse("patents:list"), {"q": spelling})
    # then
    assert in_inventory == ["202122975192.6"]
    assert [p.application_number for p in response.context["page"].object_list] == ["202122975192.6"]

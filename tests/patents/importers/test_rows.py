"""The patent inventory import end to end through imports.services with real rows."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from imports.validation import ImportContext, import_validate
from patents.forms import PatentEditForm
from patents.importers import PatentImportSchema
from patents.models import InventoryStatus, Patent, PatentStatusChange
from tests.patents.conftest import to_csv
from tests.patents.importers.helpers import TODAY, run_import

pytestmark = pytest.mark.django_db


def test_gbk_gb18030_and_utf8_bom_parse_to_identical_rows(officer, rows):
    # given
    schema = PatentImportSchema()
    context = ImportContext(user=officer, institution=officer.institution, today=TODAY)
    files = {
        "gbk": to_csv(rows, "gbk"),
        "gb18030": to_csv(rows, "gb18030"),
        "utf-8-sig": to_csv(rows, "utf-8-sig"),
    }
    # when
    reports = {
        name: import_validate(schema=schema, data=data, filename="x.csv", context=context)
        for name, data in files.items()
    }
    # then
    assert reports["gbk"].table.encoding == "gb18030"
    assert reports["utf-8-sig"].table.encoding == "utf-8-sig"
    assert reports["gbk"].valid == reports["gb18030"].valid == reports["utf-8-sig"].valid
    assert len(reports["gbk"].valid) == 10
    first = reports["gbk"].valid[0][1]
    assert first["application_number"] == "202223220665.2"
    assert first["patent_type"] == "utility_model"
    assert first["application_date"] == date(2022, 12, 2)
    assert first["ipc_codes"] == ["B64U 20/80", "B64U 101/30"]
    assert first["legal_status"] == "valid"


def test_import_creates_all_rows_and_reimport_touches_nothing(officer, rows):
    # given
    content = to_csv(rows)
    first = run_import(officer, content)
    stamps = dict(Patent.objects.values_list("application_number", "updated_at"))
    # when
    second = run_import(officer, content)
    # then
    assert (first.status, first.created_count, first.updated_count, first.unchanged_count) == ("done", 10, 0, 0)
    assert (second.status, second.created_count, second.updated_count, second.unchanged_count) == ("done", 0, 0, 10)
    assert Patent.objects.count() == 10
    assert dict(Patent.objects.values_list("application_number", "updated_at")) == stamps
    assert PatentStatusChange.objects.count() == 0  # creation is recorded by the import job, not as a change
    first.refresh_from_db()
    assert first.started_at is not None  # kept by the final save, not written back as empty
    assert first.started_at <= first.finished_at


def test_updated_file_updates_only_changed_rows(officer, rows):
    # given
    run_import(officer, to_csv(rows))
    rows[0]["专利名称"] = "一种无人机机载多功能盒（修订）"
    rows[1]["法律状态"] = "失效"
    for index, row in enumerate(rows):
        row["入库状态"] = "已入库" if index == 2 else ""
    # when
    job = run_import(officer, to_csv(rows))
    # then
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 3, 7)
    assert list(PatentStatusChange.objects.values_list("from_status", "to_status", "source")) == [
        ("inventoried", "pooled", "import")
    ]
    assert Patent.objects.get(application_number="202223220665.2").title == "一种无人机机载多功能盒（修订）"
    assert Patent.objects.get(application_number="202122975192.6").legal_status == "invalid"


def test_one_bad_row_writes_nothing(officer, rows):
    # given: a wrong check digit in row 4 (line 4 of the file, header is line 1)
    rows[2]["申请号"] = "CN202121635235.3"
    # when
    job = run_import(officer, to_csv(rows))
    # then
    assert job.status == "rejected"
    assert Patent.objects.count() == 0
    assert job.rejected_count == 1
    assert [e["line"] for e in job.errors] == [4]
    assert job.errors[0]["field"] == "application_number"
    assert job.errors[0]["message"].startswith("第4行 申请号: ")
    assert "Row 4, application number: " in job.errors[0]["message"]
    assert "nothing was written" in job.message


def test_valid_rows_only_writes_the_rest_and_returns_the_rejected_rows(officer, rows):
    # given
    rows[2]["申请号"] = "CN202121635235.3"
    rows[5]["申请日"] = "2099-01-01"
    # when
    job = run_import(officer, to_csv(rows), valid_rows_only=True)
    # then
    assert (job.status, job.created_count, job.rejected_count) == ("done", 8, 2)
    assert Patent.objects.count() == 8
    text = job.rejected_file.open("rb").read().decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("错误 / errors")
    assert "CN202121635235.3" in lines[1]
    assert "校验" in lines[1]
    assert "2099-01-01" in lines[2]


def test_duplicates_in_the_file_are_rejected(officer, rows):
    rows[3]["申请号"] = rows[0]["申请号"]
    job = run_import(officer, to_csv(rows))
    assert job.status == "rejected"
    assert job.errors[0]["code"] == "duplicate_in_file"
    assert "与第2行重复" in job.errors[0]["message"]
    assert Patent.objects.count() == 0


def test_a_number_owned_by_another_institution_is_a_conflict_not_an_overwrite(officer, other_officer, rows):
    # given
    run_import(officer, to_csv(rows[:1]))
    # when
    job = run_import(other_officer, to_csv(rows[:2]))
    # then
    assert job.status == "rejected"
    assert job.errors[0]["code"] == "owned_by_other"
    assert "华中科技大学" in job.errors[0]["message"]
    assert Patent.objects.get(application_number="202223220665.2").institution == officer.institution
    assert Patent.objects.count() == 1


def test_excel_damage_is_named(officer, rows):
    rows[0]["申请号"] = "2.02223E+11"
    job = run_import(officer, to_csv(rows))
    assert job.status == "rejected"
    assert "科学计数" in job.errors[0]["message"] or "Excel" in job.errors[0]["message"]


def test_xlsx_reads_every_cell_as_text_and_keeps_formulas_as_text(officer, rows):
    # given
    book = openpyxl.Workbook()
    sheet = book.active
    headers = list(rows[0])
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h] for h in headers])
    sheet.cell(row=2, column=headers.index("申请日") + 1, value=20221202)  # a number cell
    sheet.cell(row=3, column=headers.index("专利名称") + 1, value='=HYPERLINK("http://x","y")')
    buffer = io.BytesIO()
    book.save(buffer)
    # when
    job = run_import(officer, buffer.getvalue(), filename="inventory.xlsx")
    # then
    assert (job.status, job.created_count, job.file_format) == ("done", 10, "xlsx")
    assert Patent.objects.get(application_number="202223220665.2").application_date == date(2022, 12, 2)
    assert Patent.objects.get(application_number="202122975192.6").title == '=HYPERLINK("http://x","y")'


def test_a_renamed_executable_is_refused_and_writes_nothing(officer):
    job = run_import(officer, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, filename="inventory.xlsx")
    assert job.status == "rejected"
    assert job.message
    assert Patent.objects.count() == 0


def test_missing_required_column_is_reported(officer, rows):
    for row in rows:
        del row["专利名称"]
    job = run_import(officer, to_csv(rows))
    assert job.status == "rejected"
    assert "缺少必需的列：专利名称" in job.message


def test_unknown_columns_are_reported_not_fatal(officer, rows):
    for row in rows:
        row["内部编号"] = "X-1"
    job = run_import(officer, to_csv(rows))
    assert job.status == "done"
    assert "内部编号" in job.unknown_columns


def test_new_patents_start_inventoried_and_status_column_is_read(officer, rows):
    rows[0]["入库状态"] = "已入库"
    for row in rows[1:]:
        row["入库状态"] = ""
    run_import(officer, to_csv(rows))
    assert Patent.objects.filter(inventory_status=InventoryStatus.POOLED).count() == 1
    assert Patent.objects.filter(inventory_status=InventoryStatus.INVENTORIED).count() == 9


def test_command_exit_code_and_summary(officer, rows, tmp_path, capsys):
    # given
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv(rows))
    rows[2]["申请号"] = "CN202121635235.3"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv(rows))
    # when / then
    call_command("import_patents", str(good), "--institution", "4142010487")
    assert "新增/created 10" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_patents", str(bad), "--institution", "4142010487", "--valid-rows-only")
    assert Patent.objects.count() == 10


def test_job_page_says_how_many_errors_it_shows_of_how_many(client, officer, rows, settings):
    # given: 10 rows with a bad application number, 4 errors kept
    settings.IMPORT_MAX_STORED_ERRORS = 4
    for row in rows:
        row["申请号"] = "bad"
    job = run_import(officer, to_csv(rows))
    client.force_login(officer)
    # when
    page = client.get(reverse("patents:import_job", args=[job.pk])).content.decode()
    # then
    assert (len(job.errors), job.error_total) == (4, 10)
    assert "显示前 4 条，共 10 条 / showing first 4 of 10" in page
    assert page.count('<tr data-line="') == 4


def test_a_title_with_a_line_break_is_refused_like_the_form_refuses_it_and_nothing_is_written(officer, rows):
    # given: the title the issue found stored (the edit form and the API refuse it)
    rows[1]["专利名称"] = "一种\n换行标题"
    form = PatentEditForm(data={"title": "一种\n换行标题"})
    # when
    job = run_import(officer, to_csv(rows))
    form.is_valid()
    # then
    assert job.status == "rejected"
    assert Patent.objects.count() == 0
    assert [(e["line"], e["field"], e["code"], e["value"]) for e in job.errors] == [
        (3, "title", "control_character", "一种\n换行标题")
    ]
    assert job.errors[0]["message"] == (
        "第3行 专利名称: 不能包含换行或控制字符（第 3 个字符） / "
        "Row 3, title: must not contain line breaks or control characters (character 3)"
    )
    assert [e.code for e in form.errors.as_data()["title"]] == ["control_character"]


def test_applicant_and_contact_with_control_characters_are_refused_row_by_row(officer, rows):
    # given: a tab in an applicant, a U+2028 line separator in a contact; the other rows are fine
    for row in rows:
        row["联系人"] = ""
    rows[0]["申请人"] = "中科大数据\t研究院"
    rows[3]["联系人"] = "张三\u2028李四"
    # when
    job = run_import(officer, to_csv(rows), valid_rows_only=True)
    # then
    assert (job.status, job.created_count, job.rejected_count) == ("done", 8, 2)
    assert [(e["line"], e["field"], e["code"]) for e in job.errors] == [
        (2, "applicant", "control_character"),
        (5, "contact", "control_character"),
    ]
    assert job.errors[0]["message"] == (
        "第2行 申请人: 不能包含换行或控制字符（第 6 个字符） / "
        "Row 2, applicant: must not contain line breaks or control characters (character 6)"
    )
    assert not Patent.objects.filter(application_number__in=["202223220665.2", "202121635426.6"]).exists()
    assert not Patent.objects.filter(applicant__contains="\t").exists()

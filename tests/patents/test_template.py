"""The downloadable Excel template: its layout, its notes, and that it re-imports cleanly."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from common.headers import map_headers
from imports.validation import ImportContext, import_validate
from patents.headers import PATENT_HEADER_ALIASES
from patents.importers import LABELS, PatentImportSchema
from patents.template_xlsx import COLUMNS, DATA_SHEET, NOTES_SHEET, patent_template_workbook

HEADERS = [
    "申请号", "专利名称", "专利类型", "申请日", "授权日", "法律状态", "主分类号", "分类号", "摘要", "权利要求",
    "发明人", "申请人", "转化方式", "价格", "价值等级", "入库状态", "联系人", "所属学院",
    "技术成熟度(TRL)", "是否已实施", "有同族或PCT", "应用领域", "所属产业", "发明人同意转化", "同意的转化方式",
]  # fmt: skip


def _workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(patent_template_workbook()))


def test_data_sheet_has_the_chinese_headers_as_text_and_one_example_row():
    # given / when
    sheet = _workbook()[DATA_SHEET]
    # then
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 2
    assert [cell.number_format for cell in sheet[1]] == ["@"] * len(HEADERS)
    example = dict(zip(HEADERS, rows[1], strict=True))
    assert example["申请号"] == "202223220665.2"
    assert example["专利名称"] == "一种无人机机载多功能盒"
    assert example["专利类型"] == "实用新型"
    assert example["申请日"] == "2022-12-02"
    assert example["授权日"] == "2023-03-28"
    assert example["法律状态"] == "有权-审定授权"
    assert example["分类号"] == "B64U20/80;B64U101/30"
    assert example["权利要求"].startswith("1.一种无人机机载多功能盒，其特征在于，包括内盒（1）")
    assert example["申请人"] == "中科大数据研究院"
    assert example["转化方式"] == "转让、许可"


def test_data_sheet_is_first_so_the_importer_reads_it():
    # given / when
    workbook = _workbook()
    # then
    assert workbook.sheetnames == [DATA_SHEET, NOTES_SHEET]
    assert workbook.active.title == DATA_SHEET


def test_headers_are_the_importer_labels_and_each_maps_to_its_field():
    # given
    headers = [column.header for column in COLUMNS]
    # when
    mapping = map_headers(headers, PATENT_HEADER_ALIASES, required=PatentImportSchema.required)
    # then
    assert headers == HEADERS
    assert headers == [LABELS[column.field][0] for column in COLUMNS]
    assert mapping.unknown_columns == []
    assert mapping.missing_required == []
    assert mapping.mapping == {column.field: column.header for column in COLUMNS}


def test_notes_sheet_has_one_note_per_column_with_accepted_forms():
    # given / when
    sheet = _workbook()[NOTES_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    # then
    assert list(rows[0]) == ["列名", "是否必填", "含义", "可接受的写法", "示例"]
    notes = {row[0]: row for row in rows[1 : len(HEADERS) + 1]}
    assert list(notes) == HEADERS
    assert notes["申请号"][1] == "必填"
    assert notes["专利名称"][1] == "必填"
    assert notes["摘要"][1] == "选填"
    assert "2023-03-28、2023/3/28、20230328" in notes["申请日"][3]
    assert "发明、实用新型、外观设计" in notes["专利类型"][3]
    assert "转让、许可、开放许可、作价入股，多个用“、”分隔" in notes["转化方式"][3]
    assert [name for name, row in notes.items() if not (row[2] and row[3])] == []  # every column has both texts


@pytest.mark.django_db
def test_filled_template_imports_without_errors(institution, officer):
    # given
    data = patent_template_workbook()
    context = ImportContext(user=officer, institution=institution, today=date(2026, 1, 15))
    # when
    report = import_validate(schema=PatentImportSchema(), data=io.BytesIO(data), filename="模板.xlsx", context=context)
    # then
    assert report.fatal == ""
    assert report.errors == []
    assert report.warnings == []
    assert report.unknown_columns == []
    assert report.table.sheet_name == DATA_SHEET
    assert len(report.valid) == 1
    line, row = report.valid[0]
    assert line == 2
    assert row["application_number"] == "202223220665.2"
    assert row["title"] == "一种无人机机载多功能盒"
    assert row["patent_type"] == "utility_model"
    assert row["application_date"] == date(2022, 12, 2)
    assert row["grant_date"] == date(2023, 3, 28)
    assert row["legal_status"] == "valid"
    assert row["ipc_codes"] == ["B64U 20/80", "B64U 101/30"]
    assert row["ipc_section"] == "B"
    assert row["transfer_modes"] == ["assignment", "licence"]
    assert (row["price_min"], row["price_max"]) == (Decimal(100_000), Decimal(200_000))
    assert row["value_grade"] == "B"
    assert row["inventory_status"] == "inventoried"
    assert row["applicant"] == "中科大数据研究院"


@pytest.mark.django_db
def test_officer_downloads_the_template(client, officer):
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse("patents:import_template"))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    # the bytes carry the save time (zip entries, document properties): compare what the sheets hold
    assert _sheet_values(response.content) == _sheet_values(patent_template_workbook())


def _sheet_values(content: bytes) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


@pytest.mark.django_db
def test_enterprise_member_cannot_download_the_template(client, enterprise_member):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("patents:import_template"))
    # then
    assert response.status_code == 403

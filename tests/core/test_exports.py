"""core.exports: one spelling of each value in every CSV, typed cells in every workbook, never a formula."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from core.exports import ExportTable, csv_bytes, csv_text, xlsx_bytes


def test_csv_text_spells_times_dates_amounts_and_formulas():
    # given
    aware = datetime(2026, 12, 5, 17, 32, 4, 44238, tzinfo=ZoneInfo("UTC"))

    # when
    spelled = [
        csv_text(aware),
        csv_text(datetime(2026, 12, 6, 1, 32, 4, 44238)),
        csv_text(date(2026, 12, 6)),
        csv_text(Decimal("120000")),
        csv_text(Decimal("120000.5")),
        csv_text(13460),
        csv_text(12.5),
        csv_text(None),
        csv_text("=1+1"),
    ]

    # then
    assert spelled == [
        "2026-12-06 01:32:04",  # the project's zone is Asia/Shanghai
        "2026-12-06 01:32:04",
        "2026-12-06",
        "120000.00",
        "120000.50",
        "13460",
        "12.5",
        "",
        "'=1+1",
    ]


def test_csv_bytes_has_a_bom_and_safe_headers():
    # when
    content = csv_bytes(headers=["名称", "@x"], rows=[[Decimal("1.5"), None]])

    # then
    assert content.decode("utf-8") == "\ufeff名称,'@x\r\n1.50,\r\n"


def test_xlsx_bytes_types_cells():
    # given
    table = ExportTable(
        title="清单",
        headers=["编号", "金额", "时间", "日期", "名称"],
        rows=[[12345, Decimal("120000"), datetime(2026, 12, 6, 1, 32, 4, 44238), date(2026, 12, 6), "=SUM(A1)"]],
        id_columns=(0,),
    )

    # when
    sheet = load_workbook(io.BytesIO(xlsx_bytes(sheets=[table])))["清单"]

    # then
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [c.value for c in cells] == [
        12345,
        120000.0,
        datetime(2026, 12, 6, 1, 32, 4),
        datetime(2026, 12, 6),
        "'=SUM(A1)",
    ]
    assert [c.number_format for c in cells] == ["General", "#,##0.00", "yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd", "General"]
    assert [c.data_type for c in cells] == ["n", "n", "d", "d", "s"]

"""common.tabular on xlsx: cells as text, sheets, damaged workbooks; cell rendering."""

import io
import random
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from common.tabular import TableError, cell_to_text, read_table
from tests.common.tabular.helpers import (
    error_code,
    xlsx_bytes,
    zip_bytes,
)


def test_xlsx_cells_come_back_as_text():
    # given
    data = xlsx_bytes(
        [
            ["申请号", "数量", "比例", "申请日", "时间", "授权", "备注"],
            [201910209152, 3.0, 0.1 + 0.2, datetime(2023, 3, 28), datetime(2023, 3, 28, 14, 5), True, "  留白  "],
            ["00816422.3", 2286689.2, None, None, None, False, ""],
        ]
    )

    # when
    table = read_table(data=data, filename="patents.xlsx")

    # then
    assert table.file_format == "xlsx"
    assert table.encoding is None
    assert table.sheet_name == "Sheet1"
    assert list(table) == [
        (
            2,
            {
                "申请号": "201910209152",
                "数量": "3",
                "比例": "0.3",
                "申请日": "2023-03-28",
                "时间": "2023-03-28 14:05:00",
                "授权": "TRUE",
                "备注": "留白",
            },
        ),
        (
            3,
            {
                "申请号": "00816422.3",
                "数量": "2286689.2",
                "比例": "",
                "申请日": "",
                "时间": "",
                "授权": "FALSE",
                "备注": "",
            },
        ),
    ]


def test_xlsx_formulas_are_kept_as_literal_text():
    # given: openpyxl stores "=..." as a formula; "+1+1" and "@SUM(A1)" are typed text
    data = xlsx_bytes(
        [["名称", "链接"], ["a", '=HYPERLINK("http://x","y")'], ["b", "+1+1"], ["c", "@SUM(A1)"], ["d", "=1+1"]]
    )

    # when
    table = read_table(data=data, filename="patents.xlsx")

    # then
    assert [row.values["链接"] for row in table.rows] == ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "=1+1"]


def test_xlsx_first_sheet_with_a_header_is_used():
    # given
    workbook = Workbook()
    workbook.active.title = "说明"
    data_sheet = workbook.create_sheet("专利")
    data_sheet.append([None, None])
    data_sheet.append(["申请号", "专利名称"])
    data_sheet.append(["201910209152.5", "一种方法"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when
    table = read_table(data=buffer.getvalue(), filename="patents.xlsx")

    # then
    assert table.sheet_name == "专利"
    assert table.header_line == 2
    assert list(table) == [(3, {"申请号": "201910209152.5", "专利名称": "一种方法"})]


def test_xlsx_header_only_is_a_clear_error():
    # given
    data = xlsx_bytes([["申请号", "专利名称"]])

    # when / then
    assert error_code(data=data, filename="patents.xlsx") == "no_data_rows"


def test_empty_workbook_is_a_clear_error():
    # given
    data = xlsx_bytes([])

    # when / then
    assert error_code(data=data, filename="patents.xlsx") == "empty_file"


def test_truncated_xlsx_is_reported_as_corrupt():
    # given
    data = xlsx_bytes([["申请号"], ["201910209152.5"]])

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data[: len(data) // 2], filename="patents.xlsx")

    # then
    assert caught.value.code == "corrupt_xlsx"
    assert caught.value.message.startswith("工作簿已损坏或不完整，无法读取（BadZipFile）")


def test_damaged_sheet_inside_an_intact_zip_is_reported_as_corrupt():
    # given: the zip directory is fine but the worksheet XML is cut off
    original = xlsx_bytes([["申请号"], ["201910209152.5"]])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["xl/worksheets/sheet1.xml"] = entries["xl/worksheets/sheet1.xml"][:120]
    data = zip_bytes(entries)

    # when / then
    assert error_code(data=data, filename="patents.xlsx") == "corrupt_xlsx"


def test_ten_megabyte_cell_in_xlsx_is_reported():
    # given: openpyxl cuts what it writes at Excel's 32,767 characters, so the XML is patched afterwards;
    # random letters keep the compression ratio far from a zip bomb's
    rng = random.Random(0)
    long_text = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=10_000_000))
    original = xlsx_bytes([["申请号", "摘要"], ["201910209152.5", "PLACEHOLDER"]])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"  # openpyxl writes inline strings
    entries[sheet] = entries[sheet].replace(b"PLACEHOLDER", long_text.encode())
    data = zip_bytes(entries)

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="patents.xlsx")

    # then
    assert caught.value.code == "cell_too_long"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12, "12"),
        (12.0, "12"),
        (201910209152.0, "201910209152"),
        (1e20, "100000000000000000000"),
        (2286689.2, "2286689.2"),
        (0.1 + 0.2, "0.3"),
        (False, "FALSE"),
        (" a ", "a"),
    ],
)
def test_cell_to_text(value, text):
    # given / when / then
    assert cell_to_text(value) == text

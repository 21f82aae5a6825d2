"""Tests for common.tabular, including hostile files built on the fly."""

import io
import random
import struct
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from common.tabular import TableError, cell_to_text, check_upload, container, read_table

CSV_TEXT = (
    "申请号,专利名称,价格\r\n"
    "201910209152.5,一种无人机机载多功能盒,10-20万\r\n"
    "00816422.3,数据采集方法（Web 端）,面议\r\n"
)
EXPECTED_ROWS = [
    (2, {"申请号": "201910209152.5", "专利名称": "一种无人机机载多功能盒", "价格": "10-20万"}),
    (3, {"申请号": "00816422.3", "专利名称": "数据采集方法（Web 端）", "价格": "面议"}),
]
# The first bytes of a Windows PE executable ("MZ", DOS header with NULs).
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
OLE2_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _xlsx(rows: list[list[object]], *, title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _error_code(**kwargs: object) -> str:
    with pytest.raises(TableError) as caught:
        read_table(**kwargs)
    return caught.value.code


# --- CSV encodings and shape ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_same_content_in_every_encoding_gives_identical_rows(codec, reported):
    # given
    data = CSV_TEXT.encode(codec)

    # when
    table = read_table(data=data, filename="patents.csv")

    # then
    assert list(table) == EXPECTED_ROWS
    assert table.headers == ["申请号", "专利名称", "价格"]
    assert table.encoding == reported
    assert table.file_format == "csv"
    assert table.delimiter == ","


def test_gb18030_only_characters_survive():
    # given: 䶮 (CJK Extension A) has no GBK code; GB18030 encodes it in four bytes
    data = "企业名称,法定代表人\n刘䶮科技有限公司,䶮\n".encode("gb18030")

    # when
    table = read_table(data=data, filename="e.csv")

    # then
    assert table.encoding == "gb18030"
    assert table.rows[0].values == {"企业名称": "刘䶮科技有限公司", "法定代表人": "䶮"}


def test_undecodable_bytes_are_refused_naming_the_offsets():
    # given: valid UTF-8 header, then a byte that is neither UTF-8 nor GB18030
    data = "名称\n".encode() + b"\xff\n"

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.csv")

    # then
    assert caught.value.code == "unknown_encoding"
    assert caught.value.message == (
        "无法识别文件编码（解码失败：UTF-8 在第 7 字节、GB18030 在第 7 字节）；"
        "请在 Excel 中另存为“CSV UTF-8”或 .xlsx / "
        "Cannot determine the file's encoding (decoding failed: UTF-8 at byte 7, GB18030 at byte 7); "
        "save it as 'CSV UTF-8' or .xlsx"
    )


def test_broken_utf8_after_a_bom_is_not_reinterpreted():
    # given
    data = b"\xef\xbb\xbf" + "名称\n".encode() + b"\xc3\x28\n"

    # when / then
    assert _error_code(data=data, filename="x.csv") == "unknown_encoding"


@pytest.mark.parametrize(("delimiter", "filename"), [("\t", "x.tsv"), (";", "x.csv"), (",", "x.txt")])
def test_delimiter_is_sniffed(delimiter, filename):
    # given: the price cell holds a comma, quoted where comma is the delimiter
    price = '"1,000"' if delimiter == "," else "1,000"
    data = f"申请号{delimiter}价格\n201910209152.5{delimiter}{price}\n".encode()

    # when
    table = read_table(data=data, filename=filename)

    # then
    assert table.delimiter == delimiter
    assert table.rows[0].values == {"申请号": "201910209152.5", "价格": "1,000"}


def test_rows_keep_excel_row_numbers_across_blank_lines_and_multiline_cells():
    # given
    data = '\n名称,摘要\n\nA,"第一行\n第二行"\nB,  x  \n'.encode()

    # when
    table = read_table(data=data, filename="x.csv")

    # then
    assert table.header_line == 2
    assert list(table) == [(4, {"名称": "A", "摘要": "第一行\n第二行"}), (5, {"名称": "B", "摘要": "x"})]


def test_short_rows_are_padded_and_extra_cells_warned():
    # given
    data = b"a,b\n1\n2,3,4\n"

    # when
    table = read_table(data=data, filename="x.csv")

    # then
    assert list(table) == [(2, {"a": "1", "b": ""}), (3, {"a": "2", "b": "3"})]
    assert [issue.code for issue in table.warnings] == ["cells_beyond_header"]


def test_unnamed_column_with_data_is_warned():
    # given
    data = b"a,,c\n1,x,3\n"

    # when
    table = read_table(data=data, filename="x.csv")

    # then
    assert table.headers == ["a", "c"]
    assert table.rows[0].values == {"a": "1", "c": "3"}
    assert [issue.code for issue in table.warnings] == ["unnamed_column_ignored"]
    assert table.warnings[0].message == (
        "第 B 列没有表头，其中的数据已忽略 / Column(s) B have no header; their data was ignored"
    )


def test_nul_characters_deep_in_the_file_are_removed_from_cells():
    # given: the Hubei registration file has such a run in the middle of the data
    data = "名称,代码\n".encode() + b"A,1\n" * 3000 + b"\x00" * 20 + b"B,2\n"

    # when
    table = read_table(data=data, filename="x.csv")

    # then
    assert len(table) == 3001
    assert list(table)[-1] == (3002, {"名称": "B", "代码": "2"})
    assert [issue.code for issue in table.warnings] == ["nul_removed"]
    assert table.warnings[0].message == (
        "第3002行起的单元格含有空字符（NUL），已删除 / Row 3002 and possibly others contained NUL characters; "
        "they were removed"
    )


def test_unmatched_quote_is_a_clear_error():
    # given
    data = b'a,b\n1,"open\n2,3\n'

    # when / then
    assert _error_code(data=data, filename="x.csv") == "csv_format"


def test_duplicate_headers_are_reported():
    # given
    data = "申请号,名称,申请号,备注,名称\n1,2,3,4,5\n".encode()

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.csv")

    # then
    assert caught.value.code == "duplicate_header"
    assert caught.value.message == (
        "表头重复：“申请号”（第 A、C 列）；“名称”（第 B、E 列） / "
        "Duplicate header names: '申请号' (columns A, C); '名称' (columns B, E)"
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b" \r\n\r\n", "empty_file"),
        ("申请号,名称\n".encode(), "no_data_rows"),
        ("申请号,名称\n,\n\n".encode(), "no_data_rows"),
    ],
)
def test_empty_and_header_only_files(data, code):
    # given / when / then
    assert _error_code(data=data, filename="x.csv") == code


def test_header_only_message():
    # given / when
    with pytest.raises(TableError) as caught:
        read_table(data="申请号\n".encode(), filename="x.csv")

    # then
    assert caught.value.message == "文件只有表头，没有数据行 / The file has a header but no data rows"


def test_ten_megabyte_cell_is_reported_with_row_and_column():
    # given
    data = ("申请号,摘要\n201910209152.5," + "长" * 10_000_000 + "\n").encode()

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.csv")

    # then
    assert caught.value.code == "cell_too_long"
    assert caught.value.message == (
        "第2行“摘要”列的内容有 10,000,000 个字符，超过上限 100,000 / "
        "Row 2, column '摘要': 10,000,000 characters, over the limit of 100,000"
    )


def test_cell_limit_is_configurable():
    # given
    data = b"a\n12345\n"

    # when / then
    assert _error_code(data=data, filename="x.csv", max_cell_chars=4) == "cell_too_long"
    assert read_table(data=data, filename="x.csv", max_cell_chars=5).rows[0].values == {"a": "12345"}


def test_row_limit():
    # given
    data = b"a\n1\n2\n3\n"

    # when / then
    assert _error_code(data=data, filename="x.csv", max_rows=2) == "too_many_rows"


# --- size limit and input kinds ------------------------------------------------------------------


def test_size_limit_on_bytes():
    # given
    data = CSV_TEXT.encode()

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.csv", max_bytes=10)

    # then
    assert caught.value.code == "file_too_large"


def test_size_limit_on_a_path_is_checked_before_reading(tmp_path, monkeypatch):
    # given
    path = tmp_path / "big.csv"
    path.write_bytes(CSV_TEXT.encode())
    opened: list[object] = []
    monkeypatch.setattr("builtins.open", lambda *args, **kwargs: opened.append(args))

    # when
    code = _error_code(data=path, max_bytes=10)

    # then
    assert code == "file_too_large"
    assert opened == []


def test_size_limit_on_a_stream_reads_at_most_one_byte_more():
    # given
    class Stream(io.BytesIO):
        requested: list[int] = []

        def read(self, size: int | None = -1) -> bytes:
            self.requested.append(size)
            return super().read(size)

    stream = Stream(CSV_TEXT.encode())

    # when
    code = _error_code(data=stream, filename="x.csv", max_bytes=10)

    # then
    assert code == "file_too_large"
    assert stream.requested == [11]


def test_declared_stream_size_is_checked_before_any_read():
    # given: like Django's UploadedFile, the stream knows its size
    class Upload(io.BytesIO):
        size = 60 * 1024 * 1024

        def read(self, size: int | None = -1) -> bytes:
            raise AssertionError("must not read")

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=Upload(), filename="x.csv")

    # then
    assert caught.value.message == "文件大小 60.0 MB 超过上限 50.0 MB / The file is 60.0 MB, over the limit of 50.0 MB"


def test_path_input_takes_the_filename_from_the_path(tmp_path):
    # given
    path = tmp_path / "patents.csv"
    path.write_bytes(CSV_TEXT.encode("gbk"))

    # when
    table = read_table(data=path)

    # then
    assert list(table) == EXPECTED_ROWS


def test_str_data_is_refused():
    # given / when / then
    with pytest.raises(TypeError):
        read_table(data="a,b\n1,2\n", filename="x.csv")  # type: ignore[arg-type]


# --- extension versus content --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (EXE_BYTES, "patents.csv", "executable"),
        (EXE_BYTES, "patents.xlsx", "executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 9, "patents.csv", "executable"),
        (OLE2_BYTES, "patents.csv", "old_xls"),
        (OLE2_BYTES, "patents.xls", "old_xls"),
        (OLE2_BYTES, "patents.xlsx", "xlsx_ole2"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "patents.csv", "binary_file"),
        (b"abc\x00def", "patents.csv", "binary_file"),
        (CSV_TEXT.encode(), "patents.xlsx", "not_xlsx"),
        (CSV_TEXT.encode(), "patents.json", "unsupported_format"),
    ],
)
def test_content_must_match_the_extension(data, filename, code):
    # given / when / then
    assert _error_code(data=data, filename=filename) == code


def test_xlsx_renamed_to_csv_is_named():
    # given
    data = _xlsx([["申请号"], ["201910209152.5"]])

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="patents.csv")

    # then
    assert caught.value.code == "wrong_extension"


def test_old_xls_message_tells_to_save_as_xlsx():
    # given / when
    with pytest.raises(TableError) as caught:
        read_table(data=OLE2_BYTES, filename="patents.xls")

    # then
    assert caught.value.message == (
        "不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 后上传 / "
        "Old .xls files are not supported; 'Save As' .xlsx in Excel and upload that"
    )


def test_zip_without_content_types_is_not_an_xlsx():
    # given
    data = _zip({"readme.txt": b"hello"})

    # when / then
    assert _error_code(data=data, filename="patents.xlsx") == "not_xlsx"


# --- xlsx ----------------------------------------------------------------------------------------


def test_xlsx_cells_come_back_as_text():
    # given
    data = _xlsx(
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
    data = _xlsx(
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
    data = _xlsx([["申请号", "专利名称"]])

    # when / then
    assert _error_code(data=data, filename="patents.xlsx") == "no_data_rows"


def test_empty_workbook_is_a_clear_error():
    # given
    data = _xlsx([])

    # when / then
    assert _error_code(data=data, filename="patents.xlsx") == "empty_file"


def test_truncated_xlsx_is_reported_as_corrupt():
    # given
    data = _xlsx([["申请号"], ["201910209152.5"]])

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data[: len(data) // 2], filename="patents.xlsx")

    # then
    assert caught.value.code == "corrupt_xlsx"
    assert caught.value.message.startswith("工作簿已损坏或不完整，无法读取（BadZipFile）")


def test_damaged_sheet_inside_an_intact_zip_is_reported_as_corrupt():
    # given: the zip directory is fine but the worksheet XML is cut off
    original = _xlsx([["申请号"], ["201910209152.5"]])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["xl/worksheets/sheet1.xml"] = entries["xl/worksheets/sheet1.xml"][:120]
    data = _zip(entries)

    # when / then
    assert _error_code(data=data, filename="patents.xlsx") == "corrupt_xlsx"


def test_ten_megabyte_cell_in_xlsx_is_reported():
    # given: openpyxl cuts what it writes at Excel's 32,767 characters, so the XML is patched afterwards;
    # random letters keep the compression ratio far from a zip bomb's
    rng = random.Random(0)
    long_text = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=10_000_000))
    original = _xlsx([["申请号", "摘要"], ["201910209152.5", "PLACEHOLDER"]])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"  # openpyxl writes inline strings
    entries[sheet] = entries[sheet].replace(b"PLACEHOLDER", long_text.encode())
    data = _zip(entries)

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="patents.xlsx")

    # then
    assert caught.value.code == "cell_too_long"


# --- zip bombs -----------------------------------------------------------------------------------


def test_highly_compressed_entry_is_refused_before_opening():
    # given: 20 MB of zeros deflate to about 20 KB (ratio ~1000:1)
    data = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\x00" * 20_000_000})

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="bomb.xlsx")

    # then
    assert caught.value.code == "xlsx_too_large_unpacked"
    assert "xl/worksheets/sheet1.xml" in caught.value.message


def test_huge_declared_size_is_refused_before_opening():
    # given: a tiny archive whose central directory claims a 4 GB entry
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}))
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = struct.pack("<I", 0xFFFF_FFF0)

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=bytes(data), filename="bomb.xlsx")

    # then
    assert len(data) < 1_000
    assert caught.value.code == "xlsx_too_large_unpacked"


def test_too_many_entries_are_refused():
    # given
    data = _zip({"[Content_Types].xml": b"<Types/>", **{f"xl/media/{i}.bin": b"" for i in range(1_001)}})

    # when / then
    assert _error_code(data=data, filename="bomb.xlsx") == "xlsx_too_large_unpacked"


def test_zip_limits_are_configurable():
    # given
    data = _xlsx([["申请号"], ["201910209152.5"]])

    # when / then
    assert _error_code(data=data, filename="p.xlsx", max_uncompressed_bytes=100) == "xlsx_too_large_unpacked"
    assert _error_code(data=data, filename="p.xlsx", max_zip_entries=3) == "xlsx_too_large_unpacked"


# --- cell rendering ------------------------------------------------------------------------------


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


def test_real_patent_record_sample_reads(tmp_path):
    # given: a small CSV shaped like the shared patent-record sample
    path = Path(tmp_path) / "patents.csv"
    path.write_text(
        "申请日,申请号,专利类型,法律状态,分类号\n20221202,CN202223220665.2,实用新型,有权-审定授权,B64U20/80;B64U101/30\n",
        encoding="utf-8",
    )

    # when
    table = read_table(data=path)

    # then
    assert list(table) == [
        (
            2,
            {
                "申请日": "20221202",
                "申请号": "CN202223220665.2",
                "专利类型": "实用新型",
                "法律状态": "有权-审定授权",
                "分类号": "B64U20/80;B64U101/30",
            },
        )
    ]


def test_billion_laughs_sheet_is_refused():
    # given: nested entities that would expand to 10^9 characters (expat >= 2.4 caps the amplification)
    original = _xlsx([["申请号"], ["PLACEHOLDER"]])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    levels = "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    dtd = f'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">{levels}]>'.encode()
    sheet = "xl/worksheets/sheet1.xml"
    entries[sheet] = dtd + entries[sheet].replace(b"PLACEHOLDER", b"&i;")

    # when / then
    assert _error_code(data=_zip(entries), filename="laughs.xlsx") == "corrupt_xlsx"


def test_private_use_characters_after_gb18030_decoding_are_warned():
    # given: 0xAAA1 is in GB18030's user-defined area, which decodes to the Private Use Area
    data = "名称,代码\n".encode("gb18030") + b"\xaa\xa1,1\n"

    # when
    table = read_table(data=data, filename="x.csv")

    # then
    assert table.encoding == "gb18030"
    assert table.rows[0].values == {"名称": "\ue000", "代码": "1"}
    assert [issue.code for issue in table.warnings] == ["private_use_characters"]


# --- caps checked before the rows are used ---------------------------------------------------------------------


def test_a_million_duplicate_headers_are_refused_as_too_many_columns_with_a_short_message():
    # given: the shape of the 4 MB attack file (one header repeated), smaller
    data = (",".join(["申请号"] * 50_000) + "\n1\n").encode()

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.csv")

    # then: not a "duplicate header" message listing 50,000 columns
    assert caught.value.code == "too_many_columns"
    assert caught.value.message == (
        "第1行有 50,000 列，超过上限 200 列；请删除多余的列（只保留导入需要的列）后重新上传 / "
        "Row 1 has 50,000 columns, over the limit of 200; delete the extra columns (keep the ones the import needs) "
        "and upload again"
    )


def test_trailing_empty_cells_do_not_count_as_columns():
    # given: Excel's CSV export pads rows with empty cells
    data = ("a,b" + "," * 500 + "\n1,2" + "," * 500 + "\n").encode()

    # when
    table = read_table(data=data, filename="x.csv", max_columns=2)

    # then
    assert (table.headers, table.rows[0].values) == (["a", "b"], {"a": "1", "b": "2"})


def test_column_limit_applies_to_xlsx_rows():
    # given
    data = _xlsx([["a", "b", "c"], [1, 2, 3]])

    # when / then
    assert _error_code(data=data, filename="x.xlsx", max_columns=2) == "too_many_columns"
    assert read_table(data=data, filename="x.xlsx", max_columns=3).headers == ["a", "b", "c"]


def test_cell_count_limit():
    # given: 3 columns × 3 data rows = 9 cells
    data = b"a,b,c\n1,2,3\n4,5,6\n7,8,9\n"

    # when / then
    assert _error_code(data=data, filename="x.csv", max_cells=8) == "too_many_cells"
    assert len(read_table(data=data, filename="x.csv", max_cells=9)) == 3


def _shared_strings_xlsx(count: int, *, part: str = "xl/sharedStrings.xml", prefix: str = "") -> bytes:
    """A workbook with one header cell and `count` shared strings in `part` (declared in [Content_Types].xml)."""
    tag = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings = "".join(f"<{tag}si><{tag}t>s{i}</{tag}t></{tag}si>" for i in range(count))
    target = part.removeprefix("xl/")
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return _zip(
        {
            "[Content_Types].xml": (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
                f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{main}.worksheet+xml"/>'
                f'<Override PartName="/{part}" ContentType="{main}.sharedStrings+xml"/></Types>'
            ).encode(),
            "_rels/.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ).encode(),
            "xl/workbook.xml": (
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="{target}"/></Relationships>'
            ).encode(),
            "xl/worksheets/sheet1.xml": (
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
                b"</sheetData></worksheet>"
            ),
            part: f'<{tag}sst {ns} uniqueCount="{count}">{strings}</{tag}sst>'.encode(),
        }
    )


@pytest.mark.parametrize(
    ("part", "prefix"), [("xl/sharedStrings.xml", ""), ("xl/strings-renamed.xml", ""), ("xl/sharedStrings.xml", "x")]
)
def test_shared_strings_are_counted_before_openpyxl_loads_them(part, prefix, monkeypatch):
    # given: 2,000 shared strings, under whatever part name the content types declare, namespace prefix or not
    data = _shared_strings_xlsx(2000, part=part, prefix=prefix)
    monkeypatch.setattr(container, "_SCAN_CHUNK", 1000)  # tags cut by chunk boundaries are still counted once

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.xlsx", max_shared_strings=1999)

    # then
    assert caught.value.code == "too_many_shared_strings"
    assert caught.value.message.startswith("工作簿含有 2,000 个不同的文本（共享字符串），超过上限 1,999；")
    assert read_table(data=data, filename="x.xlsx", max_shared_strings=2000).rows[0].values == {"s0": "s1"}


def test_xml_part_size_is_checked_from_the_zip_directory(monkeypatch):
    # given
    data = _shared_strings_xlsx(2000)

    def fail(*args, **kwargs):
        raise AssertionError("opened by openpyxl")

    monkeypatch.setattr("openpyxl.load_workbook", fail)

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="x.xlsx", max_xml_part_bytes=30_000)

    # then
    assert caught.value.code == "xlsx_part_too_large"
    assert caught.value.message.endswith(
        "over the limit of 30,000 bytes; delete unused columns and rows, split the file, or save it as CSV"
    )


@pytest.mark.parametrize(
    ("filename", "head", "code"),
    [
        ("x.html", b"<html>", "unsupported_format"),
        ("x.exe", EXE_BYTES, "unsupported_format"),
        ("x.xls", OLE2_BYTES, "old_xls"),
        ("x.csv", EXE_BYTES, "executable"),
        ("x.xlsx", EXE_BYTES, "executable"),
        ("x.xlsx", OLE2_BYTES, "xlsx_ole2"),
        ("x.xlsx", b"a,b\n1,2\n", "not_xlsx"),
        ("x.csv", b"PK\x03\x04rest", "wrong_extension"),
        ("x.csv", b"%PDF-1.7", "binary_file"),
        ("x.csv", b"   ", "empty_file"),
    ],
)
def test_check_upload_refuses_by_extension_and_first_bytes(filename, head, code):
    # given / when
    with pytest.raises(TableError) as caught:
        check_upload(filename=filename, head=head)

    # then
    assert caught.value.code == code


def test_check_upload_accepts_tables():
    # given / when / then: no exception
    check_upload(filename="x.csv", head=CSV_TEXT.encode("gb18030"))
    check_upload(filename="x.xlsx", head=_xlsx([["a"], [1]])[:8192])

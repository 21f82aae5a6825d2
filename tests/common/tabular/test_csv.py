"""common.tabular on CSV: encodings, delimiters, row numbers, shape and per-cell limits."""

from pathlib import Path

import pytest

from common.tabular import TableError, read_table
from tests.common.tabular.helpers import CSV_TEXT, EXPECTED_ROWS, error_code


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
    assert error_code(data=data, filename="x.csv") == "unknown_encoding"


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
    assert error_code(data=data, filename="x.csv") == "csv_format"


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
    assert error_code(data=data, filename="x.csv") == code


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
    assert error_code(data=data, filename="x.csv", max_cell_chars=4) == "cell_too_long"
    assert read_table(data=data, filename="x.csv", max_cell_chars=5).rows[0].values == {"a": "12345"}


def test_row_limit():
    # given
    data = b"a\n1\n2\n3\n"

    # when / then
    assert error_code(data=data, filename="x.csv", max_rows=2) == "too_many_rows"


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


def test_private_use_characters_after_gb18030_decoding_are_warned():
    # given: 0xAAA1 is in GB18030's user-defined area, which decodes to the Private Use Area
    data = "名称,代码\n".encode("gb18030") + b"\xaa\xa1,1\n"

    # when
    table = read_table(data=data, filename="x.csv")

    # then
    assert table.encoding == "gb18030"
    assert table.rows[0].values == {"名称": "\ue000", "代码": "1"}
    assert [issue.code for issue in table.warnings] == ["private_use_characters"]

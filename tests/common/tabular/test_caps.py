"""common.tabular's caps, checked before the rows are used.

Zip bombs, entity expansion, columns, cells, shared strings and XML part sizes.
"""

import io
import struct
import zipfile

import pytest

from common.tabular import TableError, container, read_table
from tests.common.tabular.helpers import (
    error_code,
    shared_strings_xlsx,
    xlsx_bytes,
    zip_bytes,
)


def test_highly_compressed_entry_is_refused_before_opening():
    # given: 20 MB of zeros deflate to about 20 KB (ratio ~1000:1)
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\x00" * 20_000_000})

    # when
    with pytest.raises(TableError) as caught:
        read_table(data=data, filename="bomb.xlsx")

    # then
    assert caught.value.code == "xlsx_too_large_unpacked"
    assert "xl/worksheets/sheet1.xml" in caught.value.message


def test_huge_declared_size_is_refused_before_opening():
    # given: a tiny archive whose central directory claims a 4 GB entry
    data = bytearray(zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}))
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
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", **{f"xl/media/{i}.bin": b"" for i in range(1_001)}})

    # when / then
    assert error_code(data=data, filename="bomb.xlsx") == "xlsx_too_large_unpacked"


def test_zip_limits_are_configurable():
    # given
    data = xlsx_bytes([["申请号"], ["201910209152.5"]])

    # when / then
    assert error_code(data=data, filename="p.xlsx", max_uncompressed_bytes=100) == "xlsx_too_large_unpacked"
    assert error_code(data=data, filename="p.xlsx", max_zip_entries=3) == "xlsx_too_large_unpacked"


def test_billion_laughs_sheet_is_refused():
    # given: nested entities that would expand to 10^9 characters (expat >= 2.4 caps the amplification)
    original = xlsx_bytes([["申请号"], ["PLACEHOLDER"]])
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    levels = "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    dtd = f'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">{levels}]>'.encode()
    sheet = "xl/worksheets/sheet1.xml"
    entries[sheet] = dtd + entries[sheet].replace(b"PLACEHOLDER", b"&i;")

    # when / then
    assert error_code(data=zip_bytes(entries), filename="laughs.xlsx") == "corrupt_xlsx"


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
    data = xlsx_bytes([["a", "b", "c"], [1, 2, 3]])

    # when / then
    assert error_code(data=data, filename="x.xlsx", max_columns=2) == "too_many_columns"
    assert read_table(data=data, filename="x.xlsx", max_columns=3).headers == ["a", "b", "c"]


def test_cell_count_limit():
    # given: 3 columns × 3 data rows = 9 cells
    data = b"a,b,c\n1,2,3\n4,5,6\n7,8,9\n"

    # when / then
    assert error_code(data=data, filename="x.csv", max_cells=8) == "too_many_cells"
    assert len(read_table(data=data, filename="x.csv", max_cells=9)) == 3


@pytest.mark.parametrize(
    ("part", "prefix"), [("xl/sharedStrings.xml", ""), ("xl/strings-renamed.xml", ""), ("xl/sharedStrings.xml", "x")]
)
def test_shared_strings_are_counted_before_openpyxl_loads_them(part, prefix, monkeypatch):
    # given: 2,000 shared strings, under whatever part name the content types declare, namespace prefix or not
    data = shared_strings_xlsx(2000, part=part, prefix=prefix)
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
    data = shared_strings_xlsx(2000)

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

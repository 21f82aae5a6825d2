"""common.tabular: the content must match the extension, for read_table and check_upload.

Hostile files are built on the fly.
"""

import pytest

from common.tabular import TableError, check_upload, read_table
from tests.common.tabular.helpers import CSV_TEXT, EXE_BYTES, OLE2_BYTES, error_code, xlsx_bytes, zip_bytes


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
    assert error_code(data=data, filename=filename) == code


def test_xlsx_renamed_to_csv_is_named():
    # given
    data = xlsx_bytes([["申请号"], ["201910209152.5"]])

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
    data = zip_bytes({"readme.txt": b"hello"})

    # when / then
    assert error_code(data=data, filename="patents.xlsx") == "not_xlsx"


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
    check_upload(filename="x.xlsx", head=xlsx_bytes([["a"], [1]])[:8192])

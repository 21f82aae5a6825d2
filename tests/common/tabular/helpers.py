"""Shared inputs for the common.tabular tests: sample rows, hostile first bytes and workbooks built on the fly."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from common.tabular import TableError, read_table

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


def xlsx_bytes(rows: list[list[object]], *, title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def error_code(**kwargs: object) -> str:
    with pytest.raises(TableError) as caught:
        read_table(**kwargs)
    return caught.value.code


def shared_strings_xlsx(count: int, *, part: str = "xl/sharedStrings.xml", prefix: str = "") -> bytes:
    """A workbook with one header cell and `count` shared strings in `part` (declared in [Content_Types].xml)."""
    tag = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings = "".join(f"<{tag}si><{tag}t>s{i}</{tag}t></{tag}si>" for i in range(count))
    target = part.removeprefix("xl/")
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return zip_bytes(
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

"""Hostile upload files, generated in code (nothing binary is committed).

Each builder returns ``(filename, content)``. The valid rows come from the real export sample the patent
tests use, so a file is refused for the one thing it is meant to test and nothing else.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile

from openpyxl import Workbook

from tests.patents.conftest import sample_rows

PATENT_HEADERS = [
    "申请号",
    "专利名称",
    "专利类型",
    "申请日",
    "申请人",
    "发明人",
    "摘要",
    "主权项",
    "联系人",
    "法律状态",
]
ENTERPRISE_HEADERS = ["企业名称", "统一社会信用代码", "经营范围", "地区"]
# Real, valid codes from tests/enterprises/data/uscc.csv.
VALID_USCC = ["914403001922038216", "91110108795101314G", "91330106673959654P"]

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "@SUM(A1)", "-2+3", "=cmd|' /C calc'!A0"]
SQL = "'; DROP TABLE patents_patent; --"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MARKUP = (SCRIPT, IMG)


def csv_text(headers: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def xlsx_bytes(headers: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def patent_rows(n: int = 3) -> list[list[str]]:
    """`n` valid rows (n ≤ 10) in PATENT_HEADERS order, from the real sample."""
    out = []
    for raw in sample_rows()[:n]:
        out.append(
            [
                raw["申请号"],
                raw["专利名称"],
                raw["专利类型"],
                raw["申请日"],
                raw["申请人"],
                "张三；李四",
                "本实用新型公开了" + raw["专利名称"],
                raw["主权项"][:500],
                "王老师",
                raw["法律状态"],
            ]
        )
    return out


def valid_patent_csv() -> bytes:
    return csv_text(PATENT_HEADERS, patent_rows()).encode("utf-8")


def valid_patent_xlsx() -> bytes:
    return xlsx_bytes(PATENT_HEADERS, patent_rows())


# --- broken containers --------------------------------------------------------------------------


def truncated_xlsx() -> tuple[str, bytes]:
    content = valid_patent_xlsx()
    return "truncated.xlsx", content[: len(content) // 2]


def corrupt_xlsx() -> tuple[str, bytes]:
    """A well-formed zip directory whose sheet data is garbage (CRC and inflate both fail)."""
    content = bytearray(valid_patent_xlsx())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # local header: 30 bytes + name + extra, then the compressed data
    name_length, extra_length = struct.unpack("<HH", content[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    for offset in range(start, start + info.compress_size):
        content[offset] ^= 0x5A
    return "corrupt.xlsx", bytes(content)


def zip_bomb_ratio_xlsx() -> tuple[str, bytes]:
    """A real ~30 MB sheet of zeros deflated to a few dozen KB: a compression ratio around 1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    return "bomb-ratio.xlsx", buffer.getvalue()


def zip_bomb_declared_xlsx() -> tuple[str, bytes]:
    """A small valid workbook whose central directory declares a ~4 GB entry."""
    content = bytearray(valid_patent_xlsx())
    position = content.find(b"PK\x01\x02")
    assert position >= 0
    content[position + 24 : position + 28] = struct.pack("<I", 0xFFFFFF00)  # uncompressed size
    return "bomb-declared.xlsx", bytes(content)


def zip_many_entries_xlsx() -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(1500):
            archive.writestr(f"x/{i}", b"")
    return "many-entries.xlsx", buffer.getvalue()


PE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def executables() -> list[tuple[str, bytes]]:
    return [
        ("inventory.csv", PE_HEADER + b"\x00" * 512),
        ("inventory.xlsx", PE_HEADER + b"\x00" * 512),
        ("inventory.csv", ELF_HEADER),
        ("inventory.xlsx", ELF_HEADER),
    ]


# --- encodings ----------------------------------------------------------------------------------


def utf16_without_bom() -> tuple[str, bytes]:
    return "utf16.csv", csv_text(PATENT_HEADERS, patent_rows()).encode("utf-16-le")


def latin1_bytes() -> tuple[str, bytes]:
    """Western-European bytes (é = 0xE9 followed by a comma) are neither UTF-8 nor GB18030."""
    rows = patent_rows()
    rows[0][4] = "Université Café"
    return "latin1.csv", csv_text(PATENT_HEADERS, rows).encode("utf-8").replace("é".encode(), b"\xe9,")


def mixed_encodings() -> tuple[str, bytes]:
    """UTF-8 header and rows with one row saved as GBK: a file no single encoding reads."""
    rows = patent_rows()
    head = csv_text(PATENT_HEADERS, rows[:2]).encode("utf-8")
    tail = csv_text(PATENT_HEADERS, rows[2:]).split("\n", 1)[1].encode("gbk")
    return "mixed.csv", head + tail


# --- oversized and payload-carrying rows ----------------------------------------------------------


def ten_megabyte_cell() -> tuple[str, bytes]:
    rows = patent_rows()
    rows[1][1] = "专" * (10 * 1024 * 1024 // 3)  # ~10 MB of UTF-8
    return "huge-cell.csv", csv_text(PATENT_HEADERS, rows).encode("utf-8")


def payload_patent_rows() -> list[list[str]]:
    """Valid rows whose every text field carries SQL, markup or a formula; the numbers stay valid."""
    rows = patent_rows(5)
    payloads = [SQL, SCRIPT, IMG, *FORMULAS]
    for i, row in enumerate(rows):
        payload = payloads[i % len(payloads)]
        row[1] = f"{payload} 测试{i}" if not payload.startswith(("=", "+", "-", "@")) else payload
        row[4] = f"申请人{SCRIPT}{SQL}"
        row[5] = f"{IMG}；{SQL}"
        row[6] = f"摘要 {SCRIPT} {IMG} {SQL}"
        row[7] = f"1.一种装置 {IMG} {SCRIPT}"
        row[8] = f"{SCRIPT}"
    rows[3][1] = FORMULAS[0]
    rows[4][1] = FORMULAS[1]
    return rows


def large_patent_csv(rows: int, *, year: int = 2020, abstract_chars: int = 1500) -> bytes:
    """`rows` valid invention patents with unique, correctly checked application numbers."""
    from common.validators.application_number import compute_check_digit

    filler = "本发明涉及一种用于锂电池正极材料的连续化制备装置，" * (abstract_chars // 25 + 1)
    records = []
    for i in range(rows):
        body = f"{year}1{i + 1:07d}"
        records.append(
            [
                f"{body}.{compute_check_digit(body)}",
                f"一种压力测试装置及其方法{i}",
                "发明",
                f"{year}0301",
                "华中科技大学",
                "张三；李四",
                filler[:abstract_chars],
                "1.一种装置，其特征在于包括壳体。",
                "王老师",
                "有权",
            ]
        )
    return csv_text(PATENT_HEADERS, records).encode("utf-8")

"""Safe reading of uploaded tables (CSV and .xlsx) for the patent and enterprise imports.

Every cell comes back as a stripped string; nothing is evaluated or type-converted beyond
turning numbers and dates that openpyxl decoded back into text. Uploaded files are hostile
until proven otherwise, so the reader checks, in this order and before parsing anything:

1. size (``max_bytes``) — a path is stat'ed and a stream read at most ``max_bytes + 1`` bytes;
2. extension against magic bytes — an ``.exe`` renamed to ``.csv`` or ``.xlsx``, an old ``.xls``
   (OLE2) or a password-protected workbook (also OLE2) are refused with a message telling what to do;
3. for ``.xlsx``: the zip directory (entry count, declared uncompressed total, compression ratio,
   declared size of ``sharedStrings.xml`` and of each sheet's XML) without extracting anything —
   CPython's zipfile never inflates an entry past its declared size, so the declared sizes really
   bound the work openpyxl can be made to do — then the number of shared strings, counted by a
   streaming scan of ``sharedStrings.xml`` before openpyxl loads them all into memory;
4. for CSV: strict decoding (UTF-8 with or without BOM, then GB18030 which also covers GBK and
   GB2312; UTF-16 only with a BOM) — never a lossy ``errors="replace"``.

While rows are read, the width of every row (``max_columns``, trailing empty cells not counted), the
number of data rows (``max_rows``), the number of cells (``max_cells``, rows × header columns) and the
length of every cell (``max_cell_chars``) are capped: the header row is checked before any data row.

:func:`check_upload` is the cheap part (extension against the first bytes) that upload forms and APIs
run before storing anything.

All failures raise :class:`TableError` with a stable ``code`` and a bilingual message.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from common.validators._text import excerpt
from common.validators.issues import Issue, warning

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_CELL_CHARS = 100_000
DEFAULT_MAX_ROWS = 500_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
DEFAULT_MAX_COMPRESSION_RATIO = 100
DEFAULT_MAX_ZIP_ENTRIES = 1_000
DEFAULT_MAX_COLUMNS = 200
DEFAULT_MAX_CELLS = 5_000_000
DEFAULT_MAX_SHARED_STRINGS = 500_000
DEFAULT_MAX_XML_PART_BYTES = 100 * 1024 * 1024
UPLOAD_HEAD_BYTES = 8192  # what check_upload needs to see

CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
XLSX_EXTENSIONS = frozenset({".xlsx"})
_DELIMITERS = (",", "\t", ";")
_SNIFF_RECORDS = 50
_BINARY_SNIFF_BYTES = 8000
# Small zip entries compress absurdly well without being bombs (an empty sheet is mostly markup).
_RATIO_CHECK_MIN_BYTES = 1024 * 1024

# An <si> start tag, with or without a namespace prefix: one shared string each. Text content cannot hold a
# literal "<", so only comments or CDATA could make this overcount (and then the file is refused, never let through).
_SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_SCAN_CHUNK = 1024 * 1024
_OVERRIDE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Override\b[^>]*>")
_PART_NAME = re.compile(rb"""PartName\s*=\s*["']([^"']*)["']""")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


class TableError(Exception):
    """The uploaded file cannot be read as a table.

    ``code`` is stable for programs and tests; ``message`` is bilingual (Chinese / English)
    and can be shown to the user as is.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row: ``line_number`` is the row number the user sees in Excel (header row included)."""

    line_number: int
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class Table:
    """A parsed table: header names in file order and the non-empty data rows."""

    headers: list[str]
    rows: list[TableRow]
    file_format: str  # "csv" or "xlsx"
    encoding: str | None  # "utf-8", "utf-8-sig", "gb18030" or "utf-16" for CSV; None for xlsx
    delimiter: str | None = None  # CSV only
    sheet_name: str | None = None  # xlsx only
    header_line: int = 1
    warnings: list[Issue] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Iterate ``(line_number, values)`` pairs."""
        return ((row.line_number, row.values) for row in self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_table(
    *,
    data: bytes | os.PathLike[str] | BinaryIO,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO,
    max_zip_entries: int = DEFAULT_MAX_ZIP_ENTRIES,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    max_cells: int = DEFAULT_MAX_CELLS,
    max_shared_strings: int = DEFAULT_MAX_SHARED_STRINGS,
    max_xml_part_bytes: int = DEFAULT_MAX_XML_PART_BYTES,
) -> Table:
    """Read a CSV or .xlsx upload into a :class:`Table`.

    ``data`` is the file content, a path, or a binary stream (e.g. a Django
    ``UploadedFile``); ``filename`` decides the format by its extension and is
    required unless ``data`` is a path. A ``str`` is refused on purpose: it
    could be either a path or CSV text.
    """
    if isinstance(data, str):
        raise TypeError("pass bytes, a pathlib.Path or a binary stream, not str")
    if filename is None:
        if not isinstance(data, os.PathLike):
            raise TypeError("filename is required unless data is a path")
        filename = Path(data).name
    extension = _checked_extension(filename)
    content = _load_bytes(data, max_bytes)
    if not content.strip():
        raise _error("empty_file", "文件是空的", "the file is empty")
    limits = _Limits(max_cell_chars=max_cell_chars, max_rows=max_rows, max_columns=max_columns, max_cells=max_cells)
    if extension in XLSX_EXTENSIONS:
        _check_xlsx_container(
            content,
            max_uncompressed_bytes=max_uncompressed_bytes,
            max_compression_ratio=max_compression_ratio,
            max_zip_entries=max_zip_entries,
            max_shared_strings=max_shared_strings,
            max_xml_part_bytes=max_xml_part_bytes,
        )
        return _read_xlsx(content, limits)
    _check_csv_magic(content)
    text, encoding = decode_text(content)
    return _read_csv(text, encoding, limits)


def check_upload(*, filename: str, head: bytes) -> None:
    """The checks an upload passes before it is stored: a supported extension, and first bytes that match it.

    ``head`` is the start of the file (:data:`UPLOAD_HEAD_BYTES` are enough). The web form and the API both call
    this, so an ``.html`` page or a renamed executable is refused at the door; everything else (zip directory,
    encoding, limits) is checked when the stored file is read.
    """
    extension = _checked_extension(filename)
    if not head.strip():
        raise _error("empty_file", "文件是空的", "the file is empty")
    if extension in XLSX_EXTENSIONS:
        _check_xlsx_magic(head)
    else:
        _check_csv_magic(head)


def _checked_extension(filename: str) -> str:
    extension = Path(filename).suffix.lower()
    if extension == ".xls":
        raise _old_xls()
    if extension not in CSV_EXTENSIONS | XLSX_EXTENSIONS:
        shown = excerpt(extension or filename)
        raise _error(
            "unsupported_format",
            f"不支持的文件类型“{shown}”，请上传 .xlsx 或 .csv 文件",
            f"unsupported file type '{shown}'; upload an .xlsx or .csv file",
        )
    return extension


# --- loading and sniffing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Limits:
    max_cell_chars: int
    max_rows: int
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cells: int = DEFAULT_MAX_CELLS


def _load_bytes(data: bytes | os.PathLike[str] | BinaryIO, max_bytes: int) -> bytes:
    """Return the content, refusing anything over ``max_bytes`` before reading it all."""
    if isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
        size = len(content)
    elif isinstance(data, os.PathLike):
        size = os.stat(data).st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        with open(data, "rb") as handle:
            content = handle.read(max_bytes + 1)  # the file may grow between stat and read
        size = len(content)
    else:
        declared = getattr(data, "size", None)  # Django's UploadedFile knows its size before any read
        if isinstance(declared, int) and declared > max_bytes:
            raise _too_large(declared, max_bytes)
        content = data.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise _too_large(None, max_bytes)
        return content
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    return content


def _check_csv_magic(content: bytes) -> None:
    head = content[:1024]
    if head.startswith(_ZIP):
        raise _error(
            "wrong_extension",
            "这是一个 Excel (.xlsx) 或 zip 文件，却以 .csv 命名；请直接上传 .xlsx 文件",
            "this is an Excel (.xlsx) or zip file named .csv; upload it as .xlsx",
        )
    if head.startswith(_OLE2):
        raise _old_xls()
    # "MZ" alone could begin a header cell; a DOS/PE executable also has NULs right after it.
    if (head.startswith(b"MZ") and b"\x00" in head) or head.startswith(b"\x7fELF"):
        raise _executable()
    if head.startswith((b"%PDF", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise _binary()
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in content[:_BINARY_SNIFF_BYTES]:
        # Text tables have no NUL near the start (UTF-16 has a BOM, checked above). Only the head is
        # checked, as git does: real exports carry stray NUL runs deep inside (the Hubei file has 1,411),
        # and those are removed from the cells instead.
        raise _binary()


def decode_text(content: bytes) -> tuple[str, str]:
    """Decode CSV bytes strictly; return ``(text, encoding)``.

    Order: UTF-16 with BOM, UTF-8 with BOM, UTF-8, GB18030 (a superset of GBK and
    GB2312, so GBK files are reported as "gb18030"). Raises TableError naming the
    byte offset where each attempt failed.
    """
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(f"UTF-16 在第 {exc.start} 字节", f"UTF-16 at byte {exc.start}") from exc
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            # The BOM states the intent; guessing another encoding would only produce mojibake.
            offset = exc.start + 3
            raise _undecodable(f"UTF-8（有 BOM）在第 {offset} 字节", f"UTF-8 (with BOM) at byte {offset}") from exc
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return content.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise _undecodable(
                f"UTF-8 在第 {utf8_error.start} 字节、GB18030 在第 {gb_error.start} 字节",
                f"UTF-8 at byte {utf8_error.start}, GB18030 at byte {gb_error.start}",
            ) from gb_error


def _check_xlsx_container(
    content: bytes,
    *,
    max_uncompressed_bytes: int,
    max_compression_ratio: float,
    max_zip_entries: int,
    max_shared_strings: int = DEFAULT_MAX_SHARED_STRINGS,
    max_xml_part_bytes: int = DEFAULT_MAX_XML_PART_BYTES,
) -> None:
    _check_xlsx_magic(content[:1024])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            _check_zip_directory(
                entries,
                max_uncompressed_bytes=max_uncompressed_bytes,
                max_compression_ratio=max_compression_ratio,
                max_zip_entries=max_zip_entries,
                max_xml_part_bytes=max_xml_part_bytes,
            )
            count = sum(_count_shared_strings(archive, entry) for entry in _shared_string_parts(archive, entries))
            if count > max_shared_strings:
                raise _error(
                    "too_many_shared_strings",
                    f"工作簿含有 {count:,} 个不同的文本（共享字符串），超过上限 {max_shared_strings:,}；"
                    "请删除不需要的列和行、拆分文件，或另存为 CSV 后上传",
                    f"the workbook holds {count:,} distinct texts (shared strings), over the limit of "
                    f"{max_shared_strings:,}; delete unused columns and rows, split the file, or save it as CSV",
                )
    except TableError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise _corrupt_xlsx(exc) from exc


def _shared_string_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The shared-strings parts openpyxl would load: declared in [Content_Types].xml (any name), or the usual one."""
    names = {"xl/sharedstrings.xml"}
    types = next((entry for entry in entries if entry.filename == "[Content_Types].xml"), None)
    if types is not None:  # its size is capped like every part
        for override in _OVERRIDE_TAG.findall(archive.read(types)):
            if b"sharedStrings" in override:
                part = _PART_NAME.search(override)
                if part:
                    names.add(part.group(1).decode("utf-8", "replace").lstrip("/").lower())
    return [entry for entry in entries if entry.filename.lower() in names]


def _count_shared_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> int:
    """Count the <si> elements of sharedStrings.xml in a streaming scan (its size is already capped)."""
    count = 0
    tail = b""
    with archive.open(entry) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            data = tail + chunk
            # a match cannot hold a "<", so every tag that starts before the last "<" is complete in this chunk
            last = data.rfind(b"<")
            if last < 0:
                tail = b""
                continue
            count += len(_SHARED_STRING_TAG.findall(data, 0, last))
            tail = data[last:]
    return count + len(_SHARED_STRING_TAG.findall(tail))


def _check_xlsx_magic(head: bytes) -> None:
    head = head[:1024]
    if head.startswith(_OLE2):
        raise _error(
            "xlsx_ole2",
            "这是旧版 .xls 文件或带密码的工作簿；请去掉密码并在 Excel 中“另存为” .xlsx 后上传",
            "this is an old .xls file or a password-protected workbook; remove the password and "
            "'Save As' .xlsx in Excel",
        )
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise _executable()
    if not head.startswith(_ZIP):
        raise _error(
            "not_xlsx",
            "文件不是 .xlsx 格式（扩展名与内容不符）",
            "the file is not an .xlsx workbook (extension and content differ)",
        )


def _check_zip_directory(
    entries: list[zipfile.ZipInfo],
    *,
    max_uncompressed_bytes: int,
    max_compression_ratio: float,
    max_zip_entries: int,
    max_xml_part_bytes: int,
) -> None:
    if len(entries) > max_zip_entries:
        raise _zip_bomb(f"包含 {len(entries)} 个条目", f"it holds {len(entries)} entries")
    total = sum(entry.file_size for entry in entries)
    if total > max_uncompressed_bytes:
        raise _zip_bomb(
            f"解压后共 {total:,} 字节，超过上限 {max_uncompressed_bytes:,}",
            f"it unpacks to {total:,} bytes, over the limit of {max_uncompressed_bytes:,}",
        )
    for entry in entries:
        if entry.file_size < _RATIO_CHECK_MIN_BYTES:
            continue
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > max_compression_ratio:
            raise _zip_bomb(
                f"条目 {entry.filename} 的压缩比为 {ratio:,.0f}:1",
                f"entry {entry.filename} has a compression ratio of {ratio:,.0f}:1",
            )
    for entry in entries:  # every part, whatever its name: the sheet and shared-strings parts can be called anything
        if entry.file_size > max_xml_part_bytes:
            name = excerpt(entry.filename)
            raise _error(
                "xlsx_part_too_large",
                f"工作簿中的 {name} 解压后有 {_bytes_zh(entry.file_size)}，超过上限 {_bytes_zh(max_xml_part_bytes)}；"
                "请删除不需要的列和行、拆分文件，或另存为 CSV 后上传",
                f"the workbook's {name} unpacks to {_bytes_en(entry.file_size)}, over the limit of "
                f"{_bytes_en(max_xml_part_bytes)}; delete unused columns and rows, split the file, or save it as CSV",
            )
    if "[Content_Types].xml" not in {entry.filename for entry in entries}:
        raise _error(
            "not_xlsx",
            "文件是 zip 压缩包但不是 .xlsx 工作簿（缺少 [Content_Types].xml）",
            "the file is a zip archive but not an .xlsx workbook ([Content_Types].xml is missing)",
        )


# --- CSV ----------------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    """Pick comma, tab or semicolon: the one giving a multi-column header that most records agree with."""
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            records = [record for record in islice(reader, _SNIFF_RECORDS) if any(cell.strip() for cell in record)]
        except csv.Error:
            continue
        if not records:
            continue
        width = len(records[0])
        agreement = sum(len(record) == width for record in records) / len(records)
        score = (width > 1, agreement, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(text: str, encoding: str, limits: _Limits) -> Table:
    # Cell lengths are checked below with row and column in the message; the csv module's own limit
    # (128 KiB by default, process-wide) must not fire first, not even while sniffing. Raising it
    # never hurts other readers.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = _numbered(reader)
    table = _build_table(records, limits, file_format="csv")
    warnings_ = list(table.warnings)
    if encoding == "gb18030" and re.search("[\ue000-\uf8ff]", text):
        warnings_.append(
            warning(
                "private_use_characters",
                "按 GB18030 解码后出现私用区字符，部分汉字可能显示不正确；建议另存为 UTF-8",
                "decoding as GB18030 produced private-use characters, some characters may be wrong; "
                "consider saving as UTF-8",
            )
        )
    return Table(
        headers=table.headers,
        rows=table.rows,
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_line=table.header_line,
        warnings=warnings_,
    )


def _numbered(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Number CSV records the way Excel numbers rows (one row per record, blank lines included)."""
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _error(
                "csv_format",
                f"第{number + 1}行 CSV 格式错误（{exc}），多半是引号不成对",
                f"Row {number + 1}: malformed CSV ({exc}), most likely an unmatched quote",
            ) from exc
        number += 1
        yield number, record


# --- xlsx ---------------------------------------------------------------------------------------


def _read_xlsx(content: bytes, limits: _Limits) -> Table:
    # Imported lazily: CSV-only callers and the pure validators should not pay for openpyxl.
    from openpyxl import load_workbook

    workbook = None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it drops; irrelevant for reading values.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
            for sheet in workbook.worksheets:
                if getattr(sheet, "sheet_state", "visible") != "visible":
                    continue
                sheet.reset_dimensions()  # generators often write a wrong <dimension>; read every row
                rows = (
                    (number, [cell_to_text(value) for value in values])
                    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                )
                try:
                    table = _build_table(rows, limits, file_format="xlsx")
                except TableError as exc:
                    if exc.code == "empty_file":
                        continue  # an empty sheet: try the next one
                    raise
                return Table(
                    headers=table.headers,
                    rows=table.rows,
                    file_format="xlsx",
                    encoding=None,
                    sheet_name=sheet.title,
                    header_line=table.header_line,
                    warnings=table.warnings,
                )
    except TableError:
        raise
    except Exception as exc:  # any parser failure on an untrusted file means "corrupt", whatever its type
        raise _corrupt_xlsx(exc) from exc
    finally:
        if workbook is not None:
            workbook.close()
    raise _error("empty_file", "工作簿中没有含表头的工作表", "the workbook has no sheet with a header row")


def cell_to_text(value: object) -> str:
    """Render an openpyxl cell value as the text a user would type.

    Integers and integral floats have no ".0"; other floats use 15 significant
    digits like Excel (so 0.1 + 0.2 shows 0.3); dates are ISO (a datetime at
    midnight is just the date); formulas stay as their literal "=..." text.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    text = getattr(value, "text", None)  # ArrayFormula keeps its formula in .text
    return (text if isinstance(text, str) else str(value)).strip()


# --- shared -------------------------------------------------------------------------------------


def _build_table(records: Iterator[tuple[int, list[str]]], limits: _Limits, *, file_format: str) -> Table:
    """Find the header (first non-empty row), then collect the non-empty rows below it."""
    header_line = 0
    raw_headers: list[str] = []
    nul_line: int | None = None
    for number, record in records:
        _check_width(record, number, limits)
        cells, had_nul = _clean_cells(record)
        nul_line = nul_line or (number if had_nul else None)
        _check_cells(cells, number, raw_headers, limits)
        if any(cells):
            header_line, raw_headers = number, cells
            break
    if not header_line:
        raise _error("empty_file", "文件中没有表头", "the file has no header row")
    while raw_headers and not raw_headers[-1]:
        raw_headers.pop()
    _check_duplicates(raw_headers)
    notes: list[Issue] = []
    unnamed_with_data: set[int] = set()
    extra_line: int | None = None
    rows: list[TableRow] = []
    width = max(len(raw_headers), 1)
    for number, record in records:
        _check_width(record, number, limits)
        cells, had_nul = _clean_cells(record)
        nul_line = nul_line or (number if had_nul else None)
        if not any(cells):
            continue
        _check_cells(cells, number, raw_headers, limits)
        if len(rows) >= limits.max_rows:
            raise _error(
                "too_many_rows",
                f"数据行超过 {limits.max_rows:,} 行，请拆分文件",
                f"more than {limits.max_rows:,} data rows; split the file",
            )
        if (len(rows) + 1) * width > limits.max_cells:
            raise _error(
                "too_many_cells",
                f"表格超过 {limits.max_cells:,} 个单元格（{width} 列 × 至少 {len(rows) + 1:,} 行），"
                "请删除不需要的列或拆分文件",
                f"the table has more than {limits.max_cells:,} cells ({width} columns × at least "
                f"{len(rows) + 1:,} rows); delete unused columns or split the file",
            )
        values: dict[str, str] = {}
        for index, name in enumerate(raw_headers):
            cell = cells[index] if index < len(cells) else ""
            if name:
                values[name] = cell
            elif cell:
                unnamed_with_data.add(index)
        if extra_line is None and any(cells[len(raw_headers) :]):
            extra_line = number
        rows.append(TableRow(line_number=number, values=values))
    if not rows:
        raise _error("no_data_rows", "文件只有表头，没有数据行", "the file has a header but no data rows")
    if unnamed_with_data:
        columns = "、".join(_column_label(index) for index in sorted(unnamed_with_data))
        notes.append(
            warning(
                "unnamed_column_ignored",
                f"第 {columns} 列没有表头，其中的数据已忽略",
                f"column(s) {columns.replace('、', ', ')} have no header; their data was ignored",
            )
        )
    if nul_line is not None:
        notes.append(
            warning(
                "nul_removed",
                f"第{nul_line}行起的单元格含有空字符（NUL），已删除",
                f"Row {nul_line} and possibly others contained NUL characters; they were removed",
            )
        )
    if extra_line is not None:
        notes.append(
            warning(
                "cells_beyond_header",
                f"第{extra_line}行起有超出表头范围的单元格，已忽略",
                f"Row {extra_line} and others have cells beyond the last header column; they were ignored",
            )
        )
    headers = [name for name in raw_headers if name]
    return Table(
        headers=headers, rows=rows, file_format=file_format, encoding=None, header_line=header_line, warnings=notes
    )


def _check_width(record: list[str], number: int, limits: _Limits) -> None:
    """Refuse a row wider than ``max_columns`` (trailing empty cells do not count), before its cells are used."""
    if len(record) <= limits.max_columns:
        return
    width = len(record)
    while width > limits.max_columns and not (record[width - 1] and record[width - 1].strip()):
        width -= 1
    if width > limits.max_columns:
        raise _error(
            "too_many_columns",
            f"第{number}行有 {width:,} 列，超过上限 {limits.max_columns:,} 列；请删除多余的列（只保留导入需要的列）"
            "后重新上传",
            f"Row {number} has {width:,} columns, over the limit of {limits.max_columns:,}; delete the extra columns "
            "(keep the ones the import needs) and upload again",
        )


def _clean_cells(record: list[str]) -> tuple[list[str], bool]:
    """Strip each cell and drop NUL characters (PostgreSQL text columns cannot store them)."""
    had_nul = any("\x00" in cell for cell in record)
    if had_nul:
        record = [cell.replace("\x00", "") for cell in record]
    return [cell.strip() for cell in record], had_nul


def _check_cells(cells: list[str], number: int, headers: list[str], limits: _Limits) -> None:
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            name = excerpt(headers[index]) if index < len(headers) and headers[index] else _column_label(index)
            raise _error(
                "cell_too_long",
                f"第{number}行“{name}”列的内容有 {len(cell):,} 个字符，超过上限 {limits.max_cell_chars:,}",
                f"Row {number}, column '{name}': {len(cell):,} characters, over the limit of {limits.max_cell_chars:,}",
            )


def _check_duplicates(headers: list[str]) -> None:
    seen: dict[str, list[int]] = {}
    for index, name in enumerate(headers):
        if name:
            seen.setdefault(name, []).append(index)
    duplicates = {name: positions for name, positions in seen.items() if len(positions) > 1}
    if duplicates:
        zh = "；".join(
            f"“{excerpt(name)}”（第 {'、'.join(map(_column_label, pos))} 列）" for name, pos in duplicates.items()
        )
        en = "; ".join(
            f"'{excerpt(name)}' (columns {', '.join(map(_column_label, pos))})" for name, pos in duplicates.items()
        )
        raise _error("duplicate_header", f"表头重复：{zh}", f"duplicate header names: {en}")


def _column_label(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": the letters users see in Excel."""
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(65 + remainder) + label
    return label


# --- errors -------------------------------------------------------------------------------------


def _error(code: str, message_zh: str, message_en: str) -> TableError:
    return TableError(code, f"{message_zh} / {message_en[:1].upper()}{message_en[1:]}")


def _bytes_zh(size: int) -> str:
    return f"{size / 1048576:,.1f} MB" if size >= 1048576 else f"{size:,} 字节"


def _bytes_en(size: int) -> str:
    return f"{size / 1048576:,.1f} MB" if size >= 1048576 else f"{size:,} bytes"


def _too_large(size: int | None, max_bytes: int) -> TableError:
    limit = f"{max_bytes / 1048576:.1f} MB"
    if size is None:  # a stream without a declared size: only "more than the limit" is known
        return _error("file_too_large", f"文件超过大小上限 {limit}", f"the file is over the size limit of {limit}")
    return _error(
        "file_too_large",
        f"文件大小 {size / 1048576:.1f} MB 超过上限 {limit}",
        f"the file is {size / 1048576:.1f} MB, over the limit of {limit}",
    )


def _old_xls() -> TableError:
    return _error(
        "old_xls",
        "不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 后上传",
        "old .xls files are not supported; 'Save As' .xlsx in Excel and upload that",
    )


def _executable() -> TableError:
    return _error("executable", "文件是可执行程序，不是表格", "the file is an executable program, not a table")


def _binary() -> TableError:
    return _error(
        "binary_file",
        "文件不是文本表格（含二进制内容），请上传 .xlsx 或 .csv",
        "the file is not a text table (binary content); upload an .xlsx or .csv file",
    )


def _undecodable(where_zh: str, where_en: str) -> TableError:
    return _error(
        "unknown_encoding",
        f"无法识别文件编码（解码失败：{where_zh}）；请在 Excel 中另存为“CSV UTF-8”或 .xlsx",
        f"cannot determine the file's encoding (decoding failed: {where_en}); save it as 'CSV UTF-8' or .xlsx",
    )


def _zip_bomb(detail_zh: str, detail_en: str) -> TableError:
    return _error(
        "xlsx_too_large_unpacked",
        f"工作簿解压后过大或结构异常（{detail_zh}），已拒绝",
        f"the workbook is too large when unpacked or abnormally structured ({detail_en}); refused",
    )


def _corrupt_xlsx(exc: BaseException) -> TableError:
    return _error(
        "corrupt_xlsx",
        f"工作簿已损坏或不完整，无法读取（{type(exc).__name__}）；请在 Excel 中重新保存后上传",
        f"the workbook is damaged or truncated and cannot be read ({type(exc).__name__}); re-save it in Excel",
    )

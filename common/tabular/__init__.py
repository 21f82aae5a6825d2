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

import os
from pathlib import Path
from typing import BinaryIO

from common.tabular.container import (
    _check_csv_magic,
    _check_xlsx_container,
    _check_xlsx_magic,
    _load_bytes,
    decode_text,
)
from common.tabular.errors import TableError, _error, _old_xls
from common.tabular.limits import (
    CSV_EXTENSIONS,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CELL_CHARS,
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_COMPRESSION_RATIO,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_SHARED_STRINGS,
    DEFAULT_MAX_UNCOMPRESSED_BYTES,
    DEFAULT_MAX_XML_PART_BYTES,
    DEFAULT_MAX_ZIP_ENTRIES,
    UPLOAD_HEAD_BYTES,
    XLSX_EXTENSIONS,
    _Limits,
)
from common.tabular.table import Table, TableRow, _read_csv, _read_xlsx, cell_to_text, sniff_delimiter
from common.validators._text import excerpt

__all__ = [
    "CSV_EXTENSIONS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CELL_CHARS",
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_COLUMNS",
    "DEFAULT_MAX_COMPRESSION_RATIO",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_SHARED_STRINGS",
    "DEFAULT_MAX_UNCOMPRESSED_BYTES",
    "DEFAULT_MAX_XML_PART_BYTES",
    "DEFAULT_MAX_ZIP_ENTRIES",
    "UPLOAD_HEAD_BYTES",
    "XLSX_EXTENSIONS",
    "Table",
    "TableError",
    "TableRow",
    "cell_to_text",
    "check_upload",
    "decode_text",
    "read_table",
    "sniff_delimiter",
]


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

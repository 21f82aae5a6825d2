"""Default caps on an uploaded table and the file extensions the reader accepts."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class _Limits:
    max_cell_chars: int
    max_rows: int
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cells: int = DEFAULT_MAX_CELLS

"""Spreadsheet-safe output: cells that a spreadsheet would run as a formula are written as text."""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Prefix a string that starts like a formula with an apostrophe (OWASP CSV-injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_bytes(*, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with BOM (so Excel on Chinese Windows opens it correctly), every cell formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

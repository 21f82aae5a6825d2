"""The parsed table, and reading CSV text or xlsx workbooks into it with every row checked against the caps."""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice

from common.tabular.errors import TableError, _corrupt_xlsx, _error
from common.tabular.limits import _DELIMITERS, _SNIFF_RECORDS, _Limits
from common.validators._text import excerpt
from common.validators.issues import Issue, warning


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
    from openpyxl import load_workbook  # deferred: see above

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

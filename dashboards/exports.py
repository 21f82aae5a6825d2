"""Dashboard tables as Excel workbooks and CSV files, every text cell formula-safe (core.exports.safe_cell).

Numbers stay numbers in both: Excel cells are numeric with a number format that shows thousands separators
(INTEGER_FORMAT 13,460 · FLOAT_FORMAT 12.5 · AMOUNT_FORMAT 1,234,567.00); CSV cells are plain (13460), for any tool."""

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from core.exports import csv_bytes, safe_cell
from dashboards.tables import DashboardTable

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
# Excel number formats by the Python type of the value (amounts are Decimal, shares and hours float).
INTEGER_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.0#"
AMOUNT_FORMAT = "#,##0.00"


def _number_format(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return AMOUNT_FORMAT
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, float):
        return FLOAT_FORMAT
    return None


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | int | float) or value is None:
        return value
    return safe_cell(str(value))


def tables_xlsx(*, tables: Sequence[DashboardTable]) -> bytes:
    """One sheet per table (title as sheet name), header row in bold, text cells stored as text, never formulas."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.title.translate(_SHEET_FORBIDDEN)[:31])
        sheet.append([_cell(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
            for index, (cell, value) in enumerate(zip(sheet[sheet.max_row], row, strict=False)):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # belt and braces: a string is never stored as a formula
                elif index not in table.id_columns and (number_format := _number_format(value)):
                    cell.number_format = number_format
        for column, header in zip(sheet.columns, table.headers, strict=False):
            sheet.column_dimensions[column[0].column_letter].width = max(10, min(60, 2 * len(str(header)) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_csv(*, table: DashboardTable) -> bytes:
    """One table as CSV (UTF-8 with BOM, formula-safe)."""
    return csv_bytes(headers=table.headers, rows=([_cell(v) for v in row] for row in table.rows))

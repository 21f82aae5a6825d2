"""Dashboard tables as Excel workbooks and CSV files, written by core.exports (formula-safe, typed cells).

Numbers stay numbers in both: Excel cells are numeric with a number format that shows thousands separators
(13,460 · 12.5 · amounts 1,234,567.00); CSV cells are plain (13460, amounts
120000.00, times to the second), for any tool."""

from collections.abc import Sequence

from core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from dashboards.tables import DashboardTable

__all__ = ["CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "table_csv", "tables_xlsx"]


def tables_xlsx(*, tables: Sequence[DashboardTable]) -> bytes:
    """One sheet per table (title as sheet name), header row in bold, text cells stored as text, never formulas."""
    return xlsx_bytes(sheets=tables)


def table_csv(*, table: DashboardTable) -> bytes:
    """One table as CSV (UTF-8 with BOM, formula-safe)."""
    return csv_bytes(headers=table.headers, rows=table.rows)

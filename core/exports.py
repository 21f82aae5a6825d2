"""Spreadsheet output shared by every export (the dashboard's tables and the lists where users work).

Cells a spreadsheet would run as a formula are written as text (OWASP CSV-injection advice). Values keep their
type: in Excel, numbers are numeric cells with a number format (INTEGER_FORMAT 13,460 · FLOAT_FORMAT 12.5 ·
AMOUNT_FORMAT 1,234,567.00 for Decimal amounts) and dates and times are date cells (local time, to the second); in
CSV, one plain spelling every file agrees on (`csv_text`): 13460, 120000.00, 2026-12-06, 2026-12-06 09:32:04.

A list page offers its rows as a download with `list_download` (`?format=xlsx|csv` on the page's own query string,
so the file has the page's scope, filters and order), at most LIST_EXPORT_MAX_ROWS rows.

Every file a user takes away is in the audit log (`export_audit`: action "export.download" — which list or table,
the format, how many rows, the query string that chose them, the user and address): downloads carry inventories,
enterprises and contacts out of the platform, and an administrator must be able to say who took what.
"""

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from core.http import client_ip
from core.services import audit_log_record

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
EXPORT_FORMATS = ("xlsx", "csv")
LIST_EXPORT_MAX_ROWS = 10_000  # a list's download holds at most this many rows (the button says so)
INTEGER_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.0#"
AMOUNT_FORMAT = "#,##0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


class Sheet(Protocol):
    """What a sheet is made of: a title, headers and rows of plain values; `id_columns` hold identifiers (numbers
    shown without thousands separators)."""

    @property
    def title(self) -> str: ...
    @property
    def headers(self) -> list[str]: ...
    @property
    def rows(self) -> list[list[Any]]: ...
    @property
    def id_columns(self) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class ExportTable:
    """One list as a sheet: Chinese title and headers, rows of plain values (str, int, float, Decimal, date,
    datetime, None)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    id_columns: tuple[int, ...] = ()


def safe_cell(value: object) -> object:
    """Prefix a string that starts like a formula with an apostrophe (OWASP CSV-injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def local_naive(value: datetime) -> datetime:
    """An aware time in the local time zone without its zone (spreadsheets hold no zones), to the second."""
    if timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value.replace(microsecond=0)


def csv_text(value: object) -> str:
    """How a CSV spells one value: times to the second (local), dates ISO, Decimal amounts with two decimals,
    nothing for None, text formula-safe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_naive(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, bool | int | float):
        return str(value)
    return str(safe_cell(str(value)))


def xlsx_value(value: object) -> object:
    """What an Excel cell holds: numbers and dates as themselves (times local, to the second), text formula-safe."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return local_naive(value)
    if isinstance(value, date | int | float) or value is None:
        return value
    return safe_cell(str(value))


def number_format(value: object) -> str | None:
    """The Excel number format of a value by its Python type (amounts are Decimal, shares and scores float)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return AMOUNT_FORMAT
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, float):
        return FLOAT_FORMAT
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


def csv_bytes(*, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with BOM (so Excel on Chinese Windows opens it correctly), every cell spelled by `csv_text`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(*, sheets: Sequence[Sheet]) -> bytes:
    """One sheet per table (title as sheet name), header row in bold, text cells stored as text, never formulas."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in sheets:
        sheet = workbook.create_sheet(table.title.translate(_SHEET_FORBIDDEN)[:31])
        sheet.append([xlsx_value(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([xlsx_value(v) for v in row])
            for index, (cell, value) in enumerate(zip(sheet[sheet.max_row], row, strict=False)):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # belt and braces: a string is never stored as a formula
                elif (isinstance(value, date) or index not in table.id_columns) and (fmt := number_format(value)):
                    cell.number_format = fmt
        for column, header in zip(sheet.columns, table.headers, strict=False):
            sheet.column_dimensions[column[0].column_letter].width = max(10, min(60, 2 * len(str(header)) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, *, name: str, content_type: str) -> HttpResponse:
    """Bytes as an attachment named `name` (ASCII and RFC 5987 spellings)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def table_download(*, sheets: Sequence[Sheet], name: str, file_format: str) -> HttpResponse:
    """Tables as `name-YYYYmmdd-HHMM.xlsx` (one sheet each) or the first as `.csv`."""
    stamped = f"{name}-{timezone.localtime().strftime('%Y%m%d-%H%M')}"
    if file_format == "xlsx":
        return download(xlsx_bytes(sheets=sheets), name=f"{stamped}.xlsx", content_type=XLSX_CONTENT_TYPE)
    first = sheets[0]
    return download(
        csv_bytes(headers=first.headers, rows=first.rows), name=f"{stamped}.csv", content_type=CSV_CONTENT_TYPE
    )


def export_format(request: HttpRequest) -> str | None:
    """The file a list page is asked for (`?format=xlsx|csv`), None for the page itself."""
    file_format = request.GET.get("format", "")
    return file_format if file_format in EXPORT_FORMATS else None


def list_download(
    request: HttpRequest,
    *,
    name: str,
    table: Callable[[int], ExportTable],
    limit: int = LIST_EXPORT_MAX_ROWS,
    errors: Mapping[str, Sequence[str]] | None = None,
) -> HttpResponse | None:
    """The page's rows as a file when `?format=xlsx|csv` asks for one, else None (the view renders its page).

    `table(limit)` builds the table from the page's own selector, filters and order, at most `limit` rows; it is
    called only for a download. Filters the page's form refused (`errors`, by field) answer a 400 in the API's error
    format instead of a file: the page shows them beside its list, a file would hide them."""
    file_format = export_format(request)
    if file_format is None:
        return None
    if errors:
        details = {field: [str(message) for message in messages] for field, messages in errors.items()}
        error = {"code": "invalid", "message": "输入有误 / Invalid input", "details": details}
        return JsonResponse({"error": error}, status=400, json_dumps_params={"ensure_ascii": False})
    made = table(limit)
    export_audit(request, name=name, file_format=file_format, rows=len(made.rows))
    return table_download(sheets=[made], name=name, file_format=file_format)


EXPORT_AUDIT_ACTION = "export.download"


def export_audit(request: HttpRequest, *, name: str, file_format: str, rows: int) -> None:
    """One audit entry for a file handed to `request`'s user: the export's name, format, rows and query string."""
    audit_log_record(
        actor=request.user,
        action=EXPORT_AUDIT_ACTION,
        detail={"name": name, "format": file_format, "rows": rows, "query": request.GET.urlencode()[:1000]},
        ip_address=client_ip(request) or None,
    )

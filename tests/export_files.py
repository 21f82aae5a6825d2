"""Reading the files the exports answer: an .xlsx through openpyxl, a .csv through the csv module."""

import csv
import io

from django.http import HttpResponse
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell


def xlsx_cells(response: HttpResponse) -> list[list[Cell]]:
    """The only sheet's rows (header first) as cells, after checking the response is an Excel attachment."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; ")
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    return [list(row) for row in workbook.worksheets[0].iter_rows()]


def xlsx_rows(response: HttpResponse) -> list[list[object]]:
    """The only sheet's values, header first."""
    return [[cell.value for cell in row] for row in xlsx_cells(response)]


def csv_rows(response: HttpResponse) -> list[list[str]]:
    """The CSV's rows (header first), after checking the UTF-8 BOM and the content type."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def formula_cells(response: HttpResponse) -> list[str]:
    """Coordinates of the cells stored as formulas (an export must have none)."""
    return [cell.coordinate for row in xlsx_cells(response) for cell in row if cell.data_type == "f"]

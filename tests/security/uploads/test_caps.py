"""Caps checked before a file is parsed (columns, rows, cells, cell length, shared strings, XML part size), and the
errors kept per job."""

import csv
import io
import json
import zipfile

import pytest

from imports.models import ImportJob
from patents.models import Patent
from tests.security import corpus
from tests.security.uploads.helpers import PATENT_URL, assert_bilingual, upload_job

pytestmark = pytest.mark.django_db


# --- caps before parsing: columns, rows, cells, cell length, shared strings, XML part size ------------------------


def _shared_strings_xlsx(headers: list[str], rows: list[list[str]], *, extra_strings: int = 0) -> bytes:
    """A minimal workbook whose text cells all go through xl/sharedStrings.xml (openpyxl itself writes inline
    strings), with `extra_strings` more unused shared strings, like the 1M-string attack file."""
    strings: list[str] = []
    sheet_rows = []
    for r, values in enumerate([headers, *rows], start=1):
        cells = []
        for c, value in enumerate(values):
            strings.append(value)
            cells.append(f'<c r="{chr(65 + c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    strings.extend(f"unused {i}" for i in range(extra_strings))
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{pkg}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {main} xmlns:r="{rel}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f"<worksheet {main}><sheetData>{''.join(sheet_rows)}</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'<sst {main} count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + "</sst>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def _valid_csv(rows: list[list[str]] | None = None, headers: list[str] | None = None) -> bytes:
    return corpus.csv_text(headers or corpus.PATENT_HEADERS, rows or corpus.patent_rows(3)).encode("utf-8")


def _bad_rows(n: int, application_number: str) -> list[list[str]]:
    """`n` copies of a valid row whose application number is replaced by `application_number`."""
    template = corpus.patent_rows(1)[0]
    return [[application_number, *template[1:]] for _ in range(n)]


def _wide_row_csv() -> bytes:
    rows = corpus.patent_rows(3)
    rows[1] = rows[1] + ["x"] * (300 - len(rows[1]))
    return _valid_csv(rows)


CAPS = {
    # case -> (settings override, file builder, error code, exact message)
    "duplicate_headers_300_columns": (
        {},
        lambda: ("dup.csv", (",".join(["申请号"] * 300) + "\n" + ",".join(["1"] * 300) + "\n").encode()),
        "too_many_columns",
        "第1行有 300 列，超过上限 200 列；请删除多余的列（只保留导入需要的列）后重新上传 / "
        "Row 1 has 300 columns, over the limit of 200; delete the extra columns (keep the ones the import needs) "
        "and upload again",
    ),
    "wide_data_row": (
        {},
        lambda: ("wide.csv", _wide_row_csv()),
        "too_many_columns",
        "第3行有 300 列，超过上限 200 列；请删除多余的列（只保留导入需要的列）后重新上传 / "
        "Row 3 has 300 columns, over the limit of 200; delete the extra columns (keep the ones the import needs) "
        "and upload again",
    ),
    "too_many_rows": (
        {"IMPORT_MAX_ROWS": 3},
        lambda: ("rows.csv", _valid_csv(corpus.patent_rows(5))),
        "too_many_rows",
        "数据行超过 3 行，请拆分文件 / More than 3 data rows; split the file",
    ),
    "too_many_cells": (
        {"IMPORT_MAX_CELLS": 30},
        lambda: ("cells.csv", _valid_csv(corpus.patent_rows(5))),
        "too_many_cells",
        f"表格超过 30 个单元格（{len(corpus.PATENT_HEADERS)} 列 × 至少 4 行），请删除不需要的列或拆分文件 / "
        f"The table has more than 30 cells ({len(corpus.PATENT_HEADERS)} columns × at least 4 rows); delete unused "
        "columns or split the file",
    ),
    "cell_too_long": (
        {"IMPORT_MAX_CELL_CHARS": 50},
        lambda: ("long.csv", _valid_csv([["201910209152.5", "长" * 51, *corpus.patent_rows(1)[0][2:]]])),
        "cell_too_long",
        "第2行“专利名称”列的内容有 51 个字符，超过上限 50 / "
        "Row 2, column '专利名称': 51 characters, over the limit of 50",
    ),
    "shared_strings": (
        {"IMPORT_MAX_SHARED_STRINGS": 1000},
        lambda: (
            "strings.xlsx",
            _shared_strings_xlsx(corpus.PATENT_HEADERS, corpus.patent_rows(2), extra_strings=2000),
        ),
        "too_many_shared_strings",
        f"工作簿含有 {2000 + 3 * len(corpus.PATENT_HEADERS):,} 个不同的文本（共享字符串），超过上限 1,000；"
        "请删除不需要的列和行、拆分文件，或另存为 CSV 后上传 / The workbook holds "
        f"{2000 + 3 * len(corpus.PATENT_HEADERS):,} distinct texts (shared strings), over the limit of 1,000; "
        "delete unused columns and rows, split the file, or save it as CSV",
    ),
    "xml_part_size": (
        {"IMPORT_MAX_XML_PART_BYTES": 10_000},
        lambda: (
            "big-part.xlsx",
            _shared_strings_xlsx(corpus.PATENT_HEADERS, corpus.patent_rows(2), extra_strings=2000),
        ),
        "xlsx_part_too_large",
        None,  # the size depends on the generated XML; the start is checked below
    ),
}


@pytest.mark.parametrize("case", sorted(CAPS))
def test_each_cap_refuses_the_file_with_a_bounded_bilingual_error_and_writes_nothing(
    client_for, officer, existing_patent, django_capture_on_commit_callbacks, settings, case
):
    # given
    overrides, build, code, message = CAPS[case]
    for name, value in overrides.items():
        setattr(settings, name, value)
    filename, content = build()
    before = list(Patent.objects.values_list("pk", "application_number", "title", "updated_at"))
    # when
    job = upload_job(client_for(officer), PATENT_URL, filename, content, django_capture_on_commit_callbacks)
    # then
    assert job["status"] == "rejected", job
    assert [e["code"] for e in job["errors"]] == [code]
    if message is None:
        assert job["message"].startswith("工作簿中的 xl/sharedStrings.xml 解压后有 "), job["message"]
        assert "over the limit of 10,000 bytes" in job["message"]
    else:
        assert job["message"] == message
    assert_bilingual(job["message"])
    assert (job["error_count"], job["errors_note"], job["has_rejected_file"]) == (1, "", False)
    stored = ImportJob.objects.get(pk=job["pk"])
    assert len(json.dumps(stored.errors, ensure_ascii=False)) < 1000
    assert (stored.total_rows, stored.valid_rows, stored.preview_rows) == (0, 0, [])
    assert list(Patent.objects.values_list("pk", "application_number", "title", "updated_at")) == before


def test_errors_stored_per_job_are_capped_with_the_total_and_counts_per_field(
    client_for, officer, django_capture_on_commit_callbacks, settings
):
    # given: 40 rows, each with a bad application number holding a 5,000-character value
    settings.IMPORT_MAX_STORED_ERRORS = 25
    rows = _bad_rows(40, "X" * 5000)
    client = client_for(officer)
    # when
    job = upload_job(client, PATENT_URL, "bad.csv", _valid_csv(rows), django_capture_on_commit_callbacks)
    page = client.get(f"/api/v1/imports/{job['pk']}/?offset=20").json()
    # then
    stored = ImportJob.objects.get(pk=job["pk"])
    assert (job["status"], job["rejected"]) == ("rejected", 40)
    assert (len(stored.errors), stored.error_total, stored.error_counts) == (25, 40, {"application_number": 40})
    assert job["errors_note"] == "显示前 25 条，共 40 条 / showing first 25 of 40"
    assert (job["error_count"], job["errors_stored"], len(job["errors"])) == (40, 25, 25)
    assert [len(e["value"]) for e in stored.errors] == [200] * 25
    assert len(json.dumps(stored.errors, ensure_ascii=False)) < 25 * 1600
    assert (page["errors_offset"], [e["line"] for e in page["errors"]]) == (20, [22, 23, 24, 25, 26])
    assert page["errors_next_offset"] is None
    assert Patent.objects.count() == 0
    # the rejected-rows file still has every row, with the whole value
    rejected = list(csv.reader(io.StringIO(stored.rejected_file.open("rb").read().decode("utf-8-sig"))))
    assert (len(rejected), rejected[1][0]) == (41, "X" * 5000)


def test_progress_poll_is_a_bounded_page_with_offset(client_for, officer, django_capture_on_commit_callbacks, settings):
    # given: more stored errors than one page
    rows = _bad_rows(150, "bad")
    client = client_for(officer)
    job = upload_job(client, PATENT_URL, "bad.csv", _valid_csv(rows), django_capture_on_commit_callbacks)
    # when
    first = client.get(f"/api/v1/imports/{job['pk']}/").json()
    second = client.get(f"/api/v1/imports/{job['pk']}/?offset={first['errors_next_offset']}").json()
    invalid = client.get(f"/api/v1/imports/{job['pk']}/?offset=-1")
    # then
    assert (len(first["errors"]), first["errors_next_offset"], first["errors_note"]) == (100, 100, "")
    assert [e["line"] for e in second["errors"]] == list(range(102, 152))
    assert (second["errors_next_offset"], second["error_count"]) == (None, 150)
    assert invalid.status_code == 400
    assert list(invalid.json()["error"]["details"]) == ["offset"]

"""Hostile files through the real upload APIs (patents as an officer, enterprises as the province bureau).

Every bad file is refused with a bilingual message and writes nothing — not even with "valid rows only"; every
payload that is valid data (SQL, markup, formulas, Unicode tricks) is stored as plain text, escaped on every page
that shows it and written formula-safe into the rejected-rows CSV.
"""

import csv
import io
import json
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.models import Enterprise
from imports.models import ImportJob
from patents.models import Patent
from tests.security import corpus

pytestmark = pytest.mark.django_db
PATENT_URL = reverse("patents-api:patent-import")
ENTERPRISE_URL = "/api/v1/enterprises/imports/"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")

# case -> (builder, error code, a fragment of the English half of the message)
REFUSED = {
    "truncated_xlsx": (corpus.truncated_xlsx, "corrupt_xlsx", "damaged or truncated"),
    "corrupt_xlsx": (corpus.corrupt_xlsx, "corrupt_xlsx", "damaged or truncated"),
    "zip_bomb_ratio": (corpus.zip_bomb_ratio_xlsx, "xlsx_too_large_unpacked", "compression ratio"),
    "zip_bomb_declared_size": (corpus.zip_bomb_declared_xlsx, "xlsx_too_large_unpacked", "unpacks to"),
    "zip_bomb_entry_count": (corpus.zip_many_entries_xlsx, "xlsx_too_large_unpacked", "1501 entries"),
    "pe_as_csv": (lambda: corpus.executables()[0], "executable", "executable"),
    "pe_as_xlsx": (lambda: corpus.executables()[1], "executable", "executable"),
    "elf_as_csv": (lambda: corpus.executables()[2], "executable", "executable"),
    "elf_as_xlsx": (lambda: corpus.executables()[3], "executable", "executable"),
    "utf16_without_bom": (corpus.utf16_without_bom, "binary_file", ""),
    "latin1_bytes": (corpus.latin1_bytes, "unknown_encoding", "UTF-8"),
    "mixed_encodings": (corpus.mixed_encodings, "unknown_encoding", "UTF-8"),
    "ten_megabyte_cell": (corpus.ten_megabyte_cell, "cell_too_long", "over the limit of 100,000"),
}

# refused at the door by the one upload check (extension against first bytes): 400, no job, no file stored
REFUSED_AT_UPLOAD = {"pe_as_csv", "pe_as_xlsx", "elf_as_csv", "elf_as_xlsx", "utf16_without_bom"}


@cache
def _file(name: str) -> tuple[str, bytes]:
    return REFUSED[name][0]()


def _upload(client, url: str, filename: str, content: bytes, capture, **extra) -> dict:
    with capture(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile(filename, content), **extra}, format="multipart")
    assert response.status_code == 202, response.content[:500]
    return client.get(f"/api/v1/imports/{response.json()['pk']}/").json()


def _assert_bilingual(message: str) -> None:
    assert " / " in message, message
    chinese, english = message.rsplit(" / ", 1)
    assert CJK.search(chinese), message
    assert LATIN_WORD.search(english), message


@pytest.fixture
def existing_patent(institution) -> Patent:
    return Patent.objects.create(
        application_number="201910209152.5", title="一种高镍正极材料", patent_type="invention", institution=institution
    )


@pytest.mark.parametrize("valid_rows_only", [False, True], ids=["all_or_nothing", "valid_rows_only"])
@pytest.mark.parametrize("case", sorted(set(REFUSED) - REFUSED_AT_UPLOAD))
def test_hostile_patent_file_is_refused_bilingually_and_writes_nothing(
    client_for, officer, existing_patent, django_capture_on_commit_callbacks, case, valid_rows_only
):
    # given
    filename, content = _file(case)
    before = list(Patent.objects.values_list("pk", "application_number", "title", "updated_at"))
    # when
    job = _upload(
        client_for(officer),
        PATENT_URL,
        filename,
        content,
        django_capture_on_commit_callbacks,
        valid_rows_only=valid_rows_only,
    )
    # then
    assert job["status"] == "rejected", job
    assert [e["code"] for e in job["errors"]] == [REFUSED[case][1]], job["errors"]
    _assert_bilingual(job["message"])
    _assert_bilingual(job["errors"][0]["message"])
    assert REFUSED[case][2] in job["errors"][0]["message"].rsplit(" / ", 1)[1]
    assert (job["created"], job["updated"]) == (0, 0)
    assert list(Patent.objects.values_list("pk", "application_number", "title", "updated_at")) == before


@pytest.mark.parametrize(
    "case",
    ["truncated_xlsx", "corrupt_xlsx", "zip_bomb_ratio", "zip_bomb_declared_size", "latin1_bytes", "ten_megabyte_cell"],
)
def test_hostile_enterprise_file_is_refused_bilingually_and_writes_nothing(
    client_for, bureau, enterprise, django_capture_on_commit_callbacks, case
):
    filename, content = _file(case)
    before = list(Enterprise.objects.values_list("pk", "uscc", "name", "updated_at"))
    job = _upload(client_for(bureau), ENTERPRISE_URL, filename, content, django_capture_on_commit_callbacks)
    assert job["status"] == "rejected", job
    assert [e["code"] for e in job["errors"]] == [REFUSED[case][1]], job["errors"]
    _assert_bilingual(job["message"])
    assert list(Enterprise.objects.values_list("pk", "uscc", "name", "updated_at")) == before


def test_one_bad_row_in_a_valid_file_writes_nothing(client_for, officer, django_capture_on_commit_callbacks):
    # given: four valid rows and one Arabic-Indic application number (looks like digits, is not)
    rows = corpus.patent_rows(5)
    rows[2][0] = "٢٠٢٢٢٣٢٢٠٦٦٥.٢"
    content = corpus.csv_text(corpus.PATENT_HEADERS, rows).encode("utf-8")
    # when
    job = _upload(client_for(officer), PATENT_URL, "one-bad.csv", content, django_capture_on_commit_callbacks)
    # then
    assert job["status"] == "rejected"
    assert [(e["line"], e["field"], e["code"]) for e in job["errors"]] == [
        (4, "application_number", "non_ascii_digits")
    ]
    _assert_bilingual(job["message"])
    assert Patent.objects.count() == 0


def test_unicode_application_numbers_are_normalised_or_refused(client_for, officer, django_capture_on_commit_callbacks):
    # given: full-width digits and zero-width characters around and inside valid numbers, Arabic-Indic digits
    rows = corpus.patent_rows(4)
    expected = [rows[0][0].removeprefix("CN"), rows[1][0].removeprefix("CN"), rows[2][0].removeprefix("CN")]
    rows[0][0] = rows[0][0].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789."})  # ０-９ and ．
    rows[1][0] = "\u200b" + rows[1][0][:6] + "\u200c" + rows[1][0][6:] + "\ufeff"
    rows[2][0] = rows[2][0][:8] + "\u200d" + rows[2][0][8:]
    rows[3][0] = rows[3][0].translate({ord(str(d)): 0x0660 + d for d in range(10)})
    content = corpus.csv_text(corpus.PATENT_HEADERS, rows).encode("utf-8")
    # when: valid rows only, so the tricks that normalise are written and the rest are reported
    job = _upload(
        client_for(officer),
        PATENT_URL,
        "unicode.csv",
        content,
        django_capture_on_commit_callbacks,
        valid_rows_only=True,
    )
    # then
    assert job["status"] == "done", job
    assert (job["created"], job["rejected"]) == (3, 1)
    assert [(e["line"], e["code"]) for e in job["errors"]] == [(5, "non_ascii_digits")]
    stored = sorted(Patent.objects.values_list("application_number", flat=True))
    assert stored == sorted(expected)
    assert [n for n in stored if not re.fullmatch(r"[0-9]{12}\.[0-9X]", n)] == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_payloads_are_stored_as_text_and_exported_formula_safe(
    client_for, officer, django_capture_on_commit_callbacks, fmt
):
    # given: each formula as the title of a valid row and of a row rejected for its application number
    valid = corpus.patent_rows(len(corpus.FORMULAS))
    for row, formula in zip(valid, corpus.FORMULAS, strict=True):
        row[1] = formula
    rejected = [[f"CN2022232206{i:02d}.0", formula, *valid[0][2:]] for i, formula in enumerate(corpus.FORMULAS)]
    rejected = [row[:5] + [corpus.FORMULAS[i]] + row[6:] for i, row in enumerate(rejected)]  # 发明人 too
    rows = valid + rejected
    if fmt == "csv":
        filename, content = "formulas.csv", corpus.csv_text(corpus.PATENT_HEADERS, rows).encode("utf-8")
    else:
        filename, content = "formulas.xlsx", corpus.xlsx_bytes(corpus.PATENT_HEADERS, rows)
    client = client_for(officer)
    # when
    job = _upload(client, PATENT_URL, filename, content, django_capture_on_commit_callbacks, valid_rows_only=True)
    # then: stored verbatim, as text
    assert (job["status"], job["created"], job["rejected"]) == ("done", len(corpus.FORMULAS), len(corpus.FORMULAS))
    assert sorted(Patent.objects.values_list("title", flat=True)) == sorted(corpus.FORMULAS)
    # and the API gives the same text back
    for patent in Patent.objects.all():
        body = client.get(reverse("patents-api:patent-detail", args=[patent.pk])).json()
        assert body["title"] == patent.title
    # and the rejected-rows CSV neutralises every formula (OWASP: a leading apostrophe)
    download = client.get(f"/api/v1/imports/{job['pk']}/rejected/")
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text)))
    header, data = records[0], records[1:]
    assert len(data) == len(corpus.FORMULAS)
    titles = [record[header.index("专利名称")] for record in data]
    assert titles == ["'" + formula for formula in corpus.FORMULAS]
    for record in data:
        for cell in record:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def _assert_escaped(html: str, payloads) -> None:
    for payload in payloads:
        assert payload not in html, f"unescaped {payload!r}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;img src=x onerror=alert(1)&gt;" in html


def test_sql_and_markup_in_every_text_field_are_stored_verbatim_and_escaped_on_every_page(
    client, client_for, officer, enterprise_member, matching_enterprises, django_capture_on_commit_callbacks
):
    # given: valid rows whose text fields all carry SQL and markup, pooled so enterprises can find them
    rows = corpus.payload_patent_rows()
    headers = [*corpus.PATENT_HEADERS, "入库状态"]
    rows = [[*row, "已入库"] for row in rows]
    content = corpus.csv_text(headers, rows).encode("utf-8")
    job = _upload(client_for(officer), PATENT_URL, "payloads.csv", content, django_capture_on_commit_callbacks)
    assert (job["status"], job["created"]) == ("done", 5), job
    # then: the table survived and every value is stored exactly as sent
    assert Patent.objects.count() == 5
    stored = {p.application_number: p for p in Patent.objects.all()}
    for row in rows:
        patent = stored[row[0].removeprefix("CN")]
        assert (patent.title, patent.applicant, patent.abstract, patent.contact) == (row[1], row[4], row[6], row[8])
        assert corpus.SQL in patent.applicant
    # and: every page that shows them escapes them
    from matching.models import MatchRun
    from matching.runs.inline import match_run_execute_inline

    assert match_run_execute_inline(run=MatchRun.objects.create()).status == "done"
    client.force_login(officer)
    pages = [reverse("patents:detail", args=[pk]) for pk in Patent.objects.values_list("pk", flat=True)]
    pages += [reverse("patents:manage", args=[pk]) for pk in Patent.objects.values_list("pk", flat=True)]
    pages += [
        reverse("patents:inventory"),
        "/patents/inventory/?q=%3Cscript%3Ealert(1)%3C/script%3E",
        reverse("patents:list"),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response.content.decode(), corpus.MARKUP)
    client.force_login(enterprise_member)
    queries = ["无人机 <script>alert(1)</script>", "摄像头", "<img src=x onerror=alert(1)>", corpus.SQL]
    found = 0
    for query in queries:
        response = client.get(reverse("matching:search"), {"q": query})
        assert response.status_code == 200, query
        html = response.content.decode()
        for payload in corpus.MARKUP:
            assert payload not in html, (query, payload)
        found += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert found > 0, "the search pages never showed a payload title: the escaping was not exercised"
    response = client.get(reverse("patents:detail", args=[Patent.objects.filter(inventory_status="pooled").first().pk]))
    assert response.status_code == 200
    _assert_escaped(response.content.decode(), corpus.MARKUP)
    assert Patent.objects.count() == 5


def test_enterprise_payloads_are_stored_verbatim(client_for, bureau, django_capture_on_commit_callbacks):
    rows = [
        [f"{corpus.SCRIPT}科技有限公司", corpus.VALID_USCC[0], f"{corpus.SQL}；{corpus.IMG}", "武汉"],
        [corpus.FORMULAS[0], corpus.VALID_USCC[1], corpus.FORMULAS[2], "武汉市"],
        ["ｆｕｌｌ\u200bwidth有限公司", corpus.VALID_USCC[2], "-2+3", "襄阳"],
    ]
    content = corpus.csv_text(corpus.ENTERPRISE_HEADERS, rows).encode("utf-8")
    job = _upload(client_for(bureau), ENTERPRISE_URL, "ent.csv", content, django_capture_on_commit_callbacks)
    assert (job["status"], job["created"]) == ("done", 3), job
    stored = dict(Enterprise.objects.values_list("uscc", "name"))
    assert stored[corpus.VALID_USCC[0]] == rows[0][0]
    assert stored[corpus.VALID_USCC[1]] == corpus.FORMULAS[0]
    assert Enterprise.objects.get(uscc=corpus.VALID_USCC[0]).business_scope == rows[0][2]


# --- the door check: the API refuses what the web form refuses, before anything is stored --------------------------


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


DOOR_CASES = {
    **{case: (lambda case=case: _file(case), REFUSED[case][1]) for case in sorted(REFUSED_AT_UPLOAD)},
    "html_page": (lambda: ("inventory.html", b"<!doctype html><script>alert(1)</script>"), "unsupported_format"),
    "exe_file": (lambda: ("setup.exe", corpus.PE_HEADER), "unsupported_format"),
    "old_xls": (lambda: ("inventory.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504), "old_xls"),
    "csv_named_xlsx": (lambda: ("inventory.xlsx", corpus.valid_patent_csv()), "not_xlsx"),
}
DOOR_MESSAGES = {
    "html_page": "不支持的文件类型“.html”，请上传 .xlsx 或 .csv 文件 / "
    "Unsupported file type '.html'; upload an .xlsx or .csv file",
    "exe_file": "不支持的文件类型“.exe”，请上传 .xlsx 或 .csv 文件 / "
    "Unsupported file type '.exe'; upload an .xlsx or .csv file",
    "pe_as_csv": "文件是可执行程序，不是表格 / The file is an executable program, not a table",
}


@pytest.mark.parametrize("url", [PATENT_URL, ENTERPRISE_URL], ids=["patents", "enterprises"])
@pytest.mark.parametrize("case", sorted(DOOR_CASES))
def test_api_upload_is_checked_like_the_web_form_and_nothing_is_stored(client_for, officer, bureau, url, case):
    # given
    filename, content = DOOR_CASES[case][0]()
    user = officer if url == PATENT_URL else bureau
    files_before = _stored_files()
    # when
    response = client_for(user).post(url, {"file": SimpleUploadedFile(filename, content)}, format="multipart")
    # then
    assert response.status_code == 400, response.content[:300]
    (message,) = response.json()["error"]["details"]["file"]
    _assert_bilingual(message)
    if case in DOOR_MESSAGES:
        assert message == DOOR_MESSAGES[case]
    assert ImportJob.objects.count() == 0
    assert _stored_files() == files_before


@pytest.mark.parametrize("case", ["html_page", "pe_as_csv"])
def test_web_form_refuses_the_same_files_with_the_same_message(client, officer, case):
    # given
    filename, content = DOOR_CASES[case][0]()
    client.force_login(officer)
    files_before = _stored_files()
    # when
    response = client.post(reverse("patents:import_upload"), {"file": SimpleUploadedFile(filename, content)})
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [DOOR_MESSAGES[case]]
    assert ImportJob.objects.count() == 0
    assert _stored_files() == files_before


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
    job = _upload(client_for(officer), PATENT_URL, filename, content, django_capture_on_commit_callbacks)
    # then
    assert job["status"] == "rejected", job
    assert [e["code"] for e in job["errors"]] == [code]
    if message is None:
        assert job["message"].startswith("工作簿中的 xl/sharedStrings.xml 解压后有 "), job["message"]
        assert "over the limit of 10,000 bytes" in job["message"]
    else:
        assert job["message"] == message
    _assert_bilingual(job["message"])
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
    job = _upload(client, PATENT_URL, "bad.csv", _valid_csv(rows), django_capture_on_commit_callbacks)
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
    job = _upload(client, PATENT_URL, "bad.csv", _valid_csv(rows), django_capture_on_commit_callbacks)
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

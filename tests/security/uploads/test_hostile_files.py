"""Hostile files through the real upload APIs (patents as an officer, enterprises as the province bureau).

Every bad file is refused with a bilingual message and writes nothing — not even with "valid rows only"; every
payload that is valid data (SQL, markup, formulas, Unicode tricks) is stored as plain text, escaped on every page
that shows it and written formula-safe into the rejected-rows CSV.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from patents.models import Patent
from tests.security import corpus
from tests.security.uploads.helpers import (
    ENTERPRISE_URL,
    PATENT_URL,
    REFUSED,
    REFUSED_AT_UPLOAD,
    assert_bilingual,
    refused_file,
    upload_job,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("valid_rows_only", [False, True], ids=["all_or_nothing", "valid_rows_only"])
@pytest.mark.parametrize("case", sorted(set(REFUSED) - REFUSED_AT_UPLOAD))
def test_hostile_patent_file_is_refused_bilingually_and_writes_nothing(
    client_for, officer, existing_patent, django_capture_on_commit_callbacks, case, valid_rows_only
):
    # given
    filename, content = refused_file(case)
    before = list(Patent.objects.values_list("pk", "application_number", "title", "updated_at"))
    # when
    job = upload_job(
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
    assert_bilingual(job["message"])
    assert_bilingual(job["errors"][0]["message"])
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
    filename, content = refused_file(case)
    before = list(Enterprise.objects.values_list("pk", "uscc", "name", "updated_at"))
    job = upload_job(client_for(bureau), ENTERPRISE_URL, filename, content, django_capture_on_commit_callbacks)
    assert job["status"] == "rejected", job
    assert [e["code"] for e in job["errors"]] == [REFUSED[case][1]], job["errors"]
    assert_bilingual(job["message"])
    assert list(Enterprise.objects.values_list("pk", "uscc", "name", "updated_at")) == before


def test_one_bad_row_in_a_valid_file_writes_nothing(client_for, officer, django_capture_on_commit_callbacks):
    # given: four valid rows and one Arabic-Indic application number (looks like digits, is not)
    rows = corpus.patent_rows(5)
    rows[2][0] = "٢٠٢٢٢٣٢٢٠٦٦٥.٢"
    content = corpus.csv_text(corpus.PATENT_HEADERS, rows).encode("utf-8")
    # when
    job = upload_job(client_for(officer), PATENT_URL, "one-bad.csv", content, django_capture_on_commit_callbacks)
    # then
    assert job["status"] == "rejected"
    assert [(e["line"], e["field"], e["code"]) for e in job["errors"]] == [
        (4, "application_number", "non_ascii_digits")
    ]
    assert_bilingual(job["message"])
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
    job = upload_job(
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
    job = upload_job(client, PATENT_URL, filename, content, django_capture_on_commit_callbacks, valid_rows_only=True)
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
    job = upload_job(client_for(officer), PATENT_URL, "payloads.csv", content, django_capture_on_commit_callbacks)
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
    job = upload_job(client_for(bureau), ENTERPRISE_URL, "ent.csv", content, django_capture_on_commit_callbacks)
    assert (job["status"], job["created"]) == ("done", 3), job
    stored = dict(Enterprise.objects.values_list("uscc", "name"))
    assert stored[corpus.VALID_USCC[0]] == rows[0][0]
    assert stored[corpus.VALID_USCC[1]] == corpus.FORMULAS[0]
    assert Enterprise.objects.get(uscc=corpus.VALID_USCC[0]).business_scope == rows[0][2]

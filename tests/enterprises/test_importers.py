"""Bulk enterprise import: the same machinery and rules as the patent inventory, on real Hubei data."""

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from enterprises.forms import ProfileForm
from enterprises.importers import EnterpriseImportSchema
from enterprises.models import Enterprise
from imports.services import import_job_create, import_job_execute
from imports.validation import ImportContext, import_validate

pytestmark = pytest.mark.django_db
HUBEI = Path(__file__).resolve().parents[3] / "shared" / "data" / "hubei-enterprises" / "enterprises.csv"
SAMPLE = Path(__file__).resolve().parents[2] / "demo_data" / "hubei-enterprises-sample" / "enterprises_sample.csv"
TODAY = date(2026, 11, 25)


def _sample_rows(n: int) -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return [row for _, row in zip(range(n), csv.DictReader(fh), strict=False)]


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _run(user, content: bytes, valid_rows_only: bool = False):
    job = import_job_create(
        kind="enterprises", user=user, content=content, filename="enterprises.csv", valid_rows_only=valid_rows_only
    )
    return import_job_execute(job=job, schema=EnterpriseImportSchema(), context=ImportContext(user=user, today=TODAY))


@pytest.mark.skipif(not HUBEI.exists(), reason="the 40,074-row Hubei file lives in ../shared (present in CI)")
def test_hubei_file_reports_exactly_the_72_malformed_and_8_failing_codes(bureau):
    # when
    report = import_validate(
        schema=EnterpriseImportSchema(),
        data=HUBEI,
        filename=HUBEI.name,
        context=ImportContext(user=bureau, today=TODAY),
    )
    # then
    uscc_errors = [e for e in report.errors if e.field == "uscc"]
    lines_by_kind = Counter(
        "check" if e.code == "uscc_check_character" else "malformed" for e in {e.line: e for e in uscc_errors}.values()
    )
    assert report.total_rows == 40074
    assert len({e.line for e in uscc_errors}) == 80
    assert lines_by_kind == {"malformed": 72, "check": 8}
    assert len(report.valid) == 40074 - len(report.rejected_lines)


def test_import_then_reimport_is_idempotent(bureau):
    # given
    rows = _sample_rows(50)
    content = _csv(rows)
    first = _run(bureau, content)
    stamps = dict(Enterprise.objects.values_list("uscc", "updated_at"))
    # when
    second = _run(bureau, content)
    # then
    assert (first.status, first.created_count) == ("done", 50)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 50)
    assert dict(Enterprise.objects.values_list("uscc", "updated_at")) == stamps
    wuhan = Enterprise.objects.filter(city__name="武汉市").count()
    assert wuhan == sum(1 for r in rows if r["地区"] == "武汉")


def test_lower_case_code_is_malformed_and_not_upper_cased(bureau):
    # given
    rows = _sample_rows(3)
    rows[1]["统一社会信用代码"] = rows[1]["统一社会信用代码"][:-1] + "x"
    # when
    job = _run(bureau, _csv(rows))
    # then
    assert job.status == "rejected"
    assert [e["line"] for e in job.errors] == [3]
    assert Enterprise.objects.count() == 0


def test_valid_rows_only_keeps_the_good_ones(bureau):
    rows = _sample_rows(5)
    rows[0]["统一社会信用代码"] = "91420100MA4KXXXXX1"
    job = _run(bureau, _csv(rows), valid_rows_only=True)
    assert (job.status, job.created_count, job.rejected_count) == ("done", 4, 1)
    assert "91420100MA4KXXXXX1" in job.rejected_file.open("rb").read().decode("utf-8-sig")


def test_a_name_with_a_line_break_is_refused_like_the_sign_up_form_refuses_it(bureau):
    # given: a name the sign-up and profile forms (and the API) refuse
    rows = _sample_rows(3)
    rows[1]["企业名称"] = "武汉某某\n科技有限公司"
    form = ProfileForm(data={"name": rows[1]["企业名称"]})
    # when
    job = _run(bureau, _csv(rows))
    form.is_valid()
    # then
    assert job.status == "rejected"
    assert Enterprise.objects.count() == 0
    assert [(e["line"], e["field"], e["code"]) for e in job.errors] == [(3, "name", "control_character")]
    assert job.errors[0]["message"] == (
        "第3行 企业名称: 不能包含换行或控制字符（第 5 个字符） / "
        "Row 3, enterprise name: must not contain line breaks or control characters (character 5)"
    )
    assert [e.code for e in form.errors.as_data()["name"]] == ["control_character"]


def test_a_scope_over_its_limit_gets_the_inventorys_wording(bureau):
    # given: a business scope longer than the 5,000 characters the field holds
    rows = _sample_rows(2)
    rows[1]["经营范围"] = "技术开发；" * 1001
    # when
    job = _run(bureau, _csv(rows))
    # then: refused with the shared "too long" error (the length, the limit, asked to shorten it), nothing written
    assert job.status == "rejected"
    assert Enterprise.objects.count() == 0
    assert [(e["line"], e["field"], e["code"]) for e in job.errors] == [(3, "business_scope", "too_long")]
    assert job.errors[0]["message"] == (
        "第3行 经营范围: 长度 5004 超过上限 5000，请删减 / "
        "Row 3, business scope: 5004 characters, more than the limit of 5000; shorten it"
    )

"""The value self-assessment columns (专利价值分级自评) of the patent inventory import."""

import pytest
from django.utils import timezone

from common.headers import map_headers
from common.validators import normalize_application_number
from patents.assessments import patent_assess, patent_facts
from patents.headers import PATENT_HEADER_ALIASES
from patents.models import Patent, PatentAssessment
from patents.valuation import Indicators, grade_patent
from tests.patents.conftest import to_csv
from tests.patents.importers.helpers import run_import

pytestmark = pytest.mark.django_db

NEW_COLUMNS = (
    "技术成熟度(TRL)",
    "是否已实施",
    "有同族或PCT",
    "应用领域",
    "所属产业",
    "发明人同意转化",
    "同意的转化方式",
)


def _with_assessment(rows: list[dict[str, str]], **cells: dict[str, str]) -> list[dict[str, str]]:
    """Every row gains the assessment columns (empty); rows[i] gets cells["r<i>"]."""
    for index, row in enumerate(rows):
        row.update(dict.fromkeys(NEW_COLUMNS, ""))
        row.update(cells.get(f"r{index}", {}))
    return rows


FULL = {
    "技术成熟度(TRL)": "7",
    "是否已实施": "是",
    "有同族或PCT": "否",
    "应用领域": "无人机巡检",
    "所属产业": "低空经济",
    "发明人同意转化": "是",
    "同意的转化方式": "转让、许可;作价入股",
}


def _number(row: dict[str, str]) -> str:
    return normalize_application_number(row["申请号"]).normalized


def _expected(patent: Patent, indicators: Indicators) -> str:
    return grade_patent(indicators, patent_facts(patent), today=timezone.localdate()).grade


def test_a_file_with_the_assessment_columns_writes_the_assessment_and_the_derived_grade(officer, rows):
    # given
    content = to_csv(_with_assessment(rows, r0=FULL, r1={"技术成熟度(TRL)": "TRL 2", "发明人同意转化": "否"}))
    # when
    job = run_import(officer, content)
    # then
    assert (job.status, job.created_count) == ("done", 10)
    assert PatentAssessment.objects.count() == 2
    first = Patent.objects.get(application_number=_number(rows[0]))
    assessment = first.assessment
    indicators = Indicators(
        trl=7, implemented=True, has_family=False, application_fields="无人机巡检", industry="低空经济",
        inventor_consent=True,
    )  # fmt: skip
    assert (assessment.trl, assessment.implemented, assessment.has_family) == (7, True, False)
    assert (assessment.application_fields, assessment.industry, assessment.inventor_consent) == (
        "无人机巡检",
        "低空经济",
        True,
    )
    assert assessment.consent_modes == ["assignment", "licence", "equity"]
    assert assessment.derived_grade == _expected(first, indicators)
    assert (assessment.grade, assessment.grade_note, first.value_grade) == (
        assessment.derived_grade,
        "",
        assessment.derived_grade,
    )
    assert assessment.assessed_by == officer
    second = PatentAssessment.objects.get(patent__application_number=_number(rows[1]))
    assert (second.trl, second.implemented, second.inventor_consent, second.consent_modes) == (2, None, False, [])
    assert second.derived_grade == _expected(second.patent, Indicators(trl=2, inventor_consent=False))
    assert second.derived_grade in ("C", "D")  # the inventors refuse: at most C


def test_bad_assessment_cells_are_reported_row_by_row_and_nothing_is_written(officer, rows):
    # given: rows 4 and 5 of the file (header is line 1)
    content = to_csv(
        _with_assessment(
            rows,
            r0=FULL,
            r2={"技术成熟度(TRL)": "10", "是否已实施": "可能"},
            r3={"发明人同意转化": "大概", "同意的转化方式": "转让、赠送", "应用领域": "无人机\n巡检"},
        )
    )
    # when
    job = run_import(officer, content)
    # then
    assert job.status == "rejected"
    assert Patent.objects.count() == 0
    assert PatentAssessment.objects.count() == 0
    messages = [(e["line"], e["field"], e["message"]) for e in job.errors]
    assert (4, "trl", "第4行 技术成熟度(TRL): 须为 1–9 的整数 / Row 4, TRL: must be an integer 1 to 9") in messages
    assert (
        4,
        "implemented",
        "第4行 是否已实施: 须为 是 或 否 / Row 4, implemented: must be 是 (yes) or 否 (no)",
    ) in messages
    assert (
        5,
        "inventor_consent",
        "第5行 发明人同意转化: 须为 是 或 否 / Row 5, inventors consent: must be 是 (yes) or 否 (no)",
    ) in messages
    fields_of_row_5 = sorted(field for line, field, _ in messages if line == 5)
    assert fields_of_row_5 == ["application_fields", "consent_modes", "inventor_consent"]
    assert job.rejected_count == 2


def test_a_file_without_the_columns_imports_as_before_and_keeps_existing_assessments(officer, rows):
    # given: an assessed patent, then the same inventory file without any assessment column
    run_import(officer, to_csv(_with_assessment([dict(r) for r in rows], r0=FULL)))
    before = PatentAssessment.objects.get()
    stamps = dict(Patent.objects.values_list("application_number", "updated_at"))
    # when
    job = run_import(officer, to_csv(rows))
    # then
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == ("done", 0, 0, 10)
    assert job.errors == []
    after = PatentAssessment.objects.get()
    assert (after.trl, after.grade, after.assessed_at) == (before.trl, before.grade, before.assessed_at)
    assert dict(Patent.objects.values_list("application_number", "updated_at")) == stamps


def test_a_plain_file_writes_no_assessment(officer, rows):
    # given / when
    job = run_import(officer, to_csv(rows))
    # then
    assert (job.status, job.created_count) == ("done", 10)
    assert PatentAssessment.objects.count() == 0


def test_a_reviewers_override_survives_a_reimport(officer, rows):
    # given: imported with TRL 7, then a reviewer settles another grade with a note
    run_import(officer, to_csv(_with_assessment([dict(r) for r in rows], r0=FULL)))
    patent = Patent.objects.get(application_number=_number(rows[0]))
    derived = patent.assessment.derived_grade
    override = "D" if derived != "D" else "C"
    patent_assess(
        user=officer,
        patent=patent,
        indicators=Indicators(trl=7, implemented=True, application_fields="无人机巡检", industry="低空经济",
                              inventor_consent=True),
        consent_modes=["assignment", "licence", "equity"],
        grade=override,
        note="专家评审认定",
    )  # fmt: skip
    # when: the file is re-imported with a lower TRL
    job = run_import(officer, to_csv(_with_assessment(rows, r0={**FULL, "技术成熟度(TRL)": "3"})))
    # then
    assert job.status == "done"
    patent.refresh_from_db()
    assessment = PatentAssessment.objects.get(patent=patent)
    assert assessment.trl == 3
    lower = Indicators(
        trl=3, implemented=True, application_fields="无人机巡检", industry="低空经济", inventor_consent=True
    )
    assert assessment.derived_grade == _expected(patent, lower)
    assert (assessment.grade, assessment.grade_note, patent.value_grade) == (override, "专家评审认定", override)


def test_the_usual_header_names_map_to_the_assessment_fields():
    # given
    headers = ["申请号", "专利名称", "TRL", "是否实施", "发明人是否同意转化", "转化意愿方式"]
    # when
    mapping = map_headers(headers, PATENT_HEADER_ALIASES, required=("application_number", "title"))
    # then
    assert mapping.mapping["trl"] == "TRL"
    assert mapping.mapping["implemented"] == "是否实施"
    assert mapping.mapping["inventor_consent"] == "发明人是否同意转化"
    assert mapping.mapping["consent_modes"] == "转化意愿方式"
    assert mapping.unknown_columns == []
    assert map_headers(["成熟度"], PATENT_HEADER_ALIASES).mapping == {"trl": "成熟度"}

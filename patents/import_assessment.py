"""The value self-assessment columns (专利价值分级自评) of the patent inventory import: reading the cells of a row
and writing the assessment of each imported patent through the assessment form's own write (patents.assessments)."""

from __future__ import annotations

import re
from typing import Any

from common.validators import parse_transfer_modes
from common.validators.text import single_line_issue
from imports.validation import RowError, row_error, row_issue, row_too_long
from patents.assessments import assessment_write, patent_grading
from patents.models import Institution, Patent, PatentAssessment
from patents.valuation import Indicators

ASSESSMENT_LABELS: dict[str, tuple[str, str]] = {
    "trl": ("技术成熟度(TRL)", "TRL"),
    "implemented": ("是否已实施", "implemented"),
    "has_family": ("有同族或PCT", "family or PCT"),
    "application_fields": ("应用领域", "fields of application"),
    "industry": ("所属产业", "industry"),
    "inventor_consent": ("发明人同意转化", "inventors consent"),
    "consent_modes": ("同意的转化方式", "consented transfer modes"),
}
ASSESSMENT_MAX_LENGTHS = {"application_fields": 300, "industry": 100}
YES = {"是", "已实施", "有", "同意", "y", "yes", "true", "1", "√"}
NO = {"否", "未实施", "无", "没有", "不同意", "n", "no", "false", "0", "×"}
_TRL = re.compile(r"^(?:trl\s*)?(\d{1,2})(?:\.0+)?\s*级?$", re.IGNORECASE)


def _error(line: int, name: str, value: str, code: str, zh: str, en: str) -> RowError:
    return row_error(ASSESSMENT_LABELS, line, name, value, code, zh, en)


def assessment_cells(line: int, raw: dict[str, str], problems: list[RowError]) -> dict[str, Any] | None:
    """A row's assessment, or None when every assessment cell is empty (the patent's assessment is then kept)."""
    if not any(raw.get(name, "").strip() for name in ASSESSMENT_LABELS):
        return None
    out: dict[str, Any] = {"trl": None}
    trl = raw.get("trl", "").strip()
    if trl:
        match = _TRL.match(trl)
        if match is None or not 1 <= int(match.group(1)) <= 9:
            problems.append(_error(line, "trl", trl, "invalid_trl", "须为 1–9 的整数", "must be an integer 1 to 9"))
        else:
            out["trl"] = int(match.group(1))
    for name in ("implemented", "has_family", "inventor_consent"):
        out[name] = _yes_no(line, name, raw.get(name, ""), problems)
    out["has_family"] = bool(out["has_family"])
    for name, limit in ASSESSMENT_MAX_LENGTHS.items():
        value = raw.get(name, "").strip()
        if (too_long := row_too_long(ASSESSMENT_LABELS, line, name, value, limit)) is not None:
            problems.append(too_long)
        issue = single_line_issue(value)
        if issue is not None:
            problems.append(row_issue(ASSESSMENT_LABELS, line, name, raw.get(name, ""), issue))
        out[name] = value[:limit]
    modes = parse_transfer_modes(raw.get("consent_modes"))
    problems.extend(
        row_issue(ASSESSMENT_LABELS, line, "consent_modes", raw.get("consent_modes", ""), i) for i in modes.issues
    )
    out["consent_modes"] = [str(m) for m in modes.value or []]
    return out


def _yes_no(line: int, name: str, raw: str, problems: list[RowError]) -> bool | None:
    text = raw.strip().casefold()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    problems.append(_error(line, name, raw, "invalid_choice", "须为 是 或 否", "must be 是 (yes) or 否 (no)"))
    return None


def assessment_rows_write(*, rows: list[tuple[str, dict[str, Any]]], institution: Institution, user: Any) -> int:
    """Write the assessment of each (application number, cells) after the patents were written; returns how many
    assessments changed. The grade settles on the derived one unless a reviewer overrode it with a note: the override
    is kept (with its note). A row whose indicators match the stored assessment is not touched."""
    if not rows:
        return 0
    numbers = [number for number, _cells in rows]
    patents = {
        p.application_number: p for p in Patent.objects.filter(institution=institution, application_number__in=numbers)
    }
    stored = {a.patent_id: a for a in PatentAssessment.objects.filter(patent__in=list(patents.values()))}
    written = 0
    for number, cells in rows:
        patent = patents[number]
        indicators = Indicators(
            trl=cells["trl"],
            implemented=cells["implemented"],
            has_family=cells["has_family"],
            application_fields=cells["application_fields"],
            industry=cells["industry"],
            inventor_consent=cells["inventor_consent"],
        )
        previous = stored.get(patent.pk)
        if (
            previous is not None
            and _same(previous, indicators, cells["consent_modes"])
            and patent_grading(patent=patent, indicators=indicators).grade == previous.derived_grade
        ):
            continue
        overridden = previous is not None and bool(previous.grade_note) and previous.grade != previous.derived_grade
        assessment_write(
            user=user,
            patent=patent,
            indicators=indicators,
            consent_modes=cells["consent_modes"],
            grade=previous.grade if overridden and previous else "",
            note=previous.grade_note if overridden and previous else "",
        )
        written += 1
    return written


def _same(assessment: PatentAssessment, indicators: Indicators, modes: list[str]) -> bool:
    return (
        assessment.trl == indicators.trl
        and assessment.implemented == indicators.implemented
        and assessment.has_family == indicators.has_family
        and assessment.application_fields == indicators.application_fields
        and assessment.industry == indicators.industry
        and assessment.inventor_consent == indicators.inventor_consent
        and sorted(assessment.consent_modes) == sorted(modes)
    )

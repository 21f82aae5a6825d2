"""The value self-assessment (专利价值分级自评): the indicators an office fills in for a patent → grade A–D, reasons.

Pure: no database, no request. The indicators follow the three dimensions offices use (technical, legal, market);
the legal ones the platform already knows (legal status, remaining term, number of claims) are read from the patent,
the others come from the form. Each indicator adds points; a lapsed patent is D whatever else it has, a pending
application and a patent its inventors do not agree to transfer are at most C (it cannot be promoted yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext as _

GRADES = ("A", "B", "C", "D")
# points → grade: A from 10, B from 7, C from 4, else D (the maximum is 13)
GRADE_FLOORS = (("A", 10), ("B", 7), ("C", 4))
# protection terms in years by patent type; designs filed from 2021-06-01 (the fourth amendment) get 15
TERM_YEARS = {"invention": 20, "utility_model": 10, "design": 10}
DESIGN_15_YEARS_FROM = date(2021, 6, 1)
# TRL floor → (reason code, points, what the level means)
TRL_LEVELS = (
    (7, "trl_high", 3, lambda: _("7–9 级：样机或在实际环境中验证")),
    (4, "trl_mid", 2, lambda: _("4–6 级：实验室或中试验证")),
    (1, "trl_low", 0, lambda: _("1–3 级：原理或概念阶段")),
)
_CLAIM_NUMBER = re.compile(r"(?:^|[。；;\s])(\d{1,3})\s*[.．、]")


@dataclass(frozen=True)
class Indicators:
    """What the office says of a patent (None: not answered)."""

    trl: int | None = None  # technology readiness level 1–9
    implemented: bool | None = None  # already put into practice (已实施)
    has_family: bool = False  # family members abroad or a PCT application (同族/PCT)
    application_fields: str = ""  # fields of application (应用领域)
    industry: str = ""  # the industry it serves (所属产业)
    inventor_consent: bool | None = None  # the inventors agree to transfer (发明人同意转化)


@dataclass(frozen=True)
class PatentFacts:
    """What the platform knows of the patent itself."""

    patent_type: str
    legal_status: str  # valid | pending | invalid | unknown
    application_date: date | None
    claims: str


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    text: str | Promise


@dataclass(frozen=True)
class Grading:
    grade: str
    points: int
    reasons: list[Reason] = field(default_factory=list)
    remaining_years: float | None = None
    claim_count: int = 0


def remaining_years(facts: PatentFacts, *, today: date) -> float | None:
    """Years of protection left from today (None without an application date)."""
    if facts.application_date is None:
        return None
    years = TERM_YEARS.get(facts.patent_type, 20)
    if facts.patent_type == "design" and facts.application_date >= DESIGN_15_YEARS_FROM:
        years = 15
    try:
        end = facts.application_date.replace(year=facts.application_date.year + years)
    except ValueError:  # 29 February
        end = facts.application_date.replace(year=facts.application_date.year + years, day=28)
    return round(max((end - today).days, 0) / 365.25, 1)


def claim_count(claims: str) -> int:
    """The number of claims in a claims text: the highest claim number written (1. … 2、 … 10．…); 1 when there is
    text without numbers, 0 without text."""
    numbers = [int(n) for n in _CLAIM_NUMBER.findall(claims.strip())]
    if numbers:
        return max(numbers)
    return 1 if claims.strip() else 0


def grade_patent(indicators: Indicators, facts: PatentFacts, *, today: date) -> Grading:
    """The grade and every reason that moved it, in the order of the three dimensions."""
    reasons: list[Reason] = []
    years = remaining_years(facts, today=today)
    claims = claim_count(facts.claims)
    # technical
    if indicators.trl is not None:
        code, points, stage = next(level for level in TRL_LEVELS if indicators.trl >= level[0])[1:]
        reasons.append(
            Reason(code, points, _("技术成熟度 %(trl)s 级（%(stage)s）") % {"trl": indicators.trl, "stage": stage()})
        )
    else:
        reasons.append(Reason("trl_unknown", 0, _("未填写技术成熟度")))
    if indicators.implemented:
        reasons.append(Reason("implemented", 2, _("已实施")))
    # legal
    if years is not None:
        if years >= 10:
            reasons.append(Reason("term_long", 2, _("剩余保护期约 %(years)s 年") % {"years": years}))
        elif years >= 5:
            reasons.append(Reason("term_mid", 1, _("剩余保护期约 %(years)s 年") % {"years": years}))
        elif years < 3:
            reasons.append(Reason("term_short", -1, _("剩余保护期仅约 %(years)s 年") % {"years": years}))
    if claims >= 10:
        reasons.append(Reason("claims_many", 2, _("权利要求 %(n)s 项，保护范围较宽") % {"n": claims}))
    elif claims >= 5:
        reasons.append(Reason("claims_some", 1, _("权利要求 %(n)s 项") % {"n": claims}))
    elif claims == 1:
        reasons.append(Reason("claims_one", 0, _("权利要求仅 1 项，保护范围较窄")))
    if indicators.has_family:
        reasons.append(Reason("family", 1, _("有同族专利或 PCT 申请")))
    # market
    if indicators.application_fields.strip():
        reasons.append(Reason("fields", 1, _("已写明应用领域")))
    if indicators.industry.strip():
        reasons.append(Reason("industry", 1, _("已写明所属产业")))
    points = sum(reason.points for reason in reasons)
    grade = next((g for g, floor in GRADE_FLOORS if points >= floor), "D")
    # gates, after the points: what cannot be promoted now, whatever it scores
    if facts.legal_status == "invalid":
        reasons.append(Reason("lapsed", 0, _("专利已失效：定为 D")))
        grade = "D"
    else:
        if facts.legal_status == "pending":
            reasons.append(Reason("pending", 0, _("尚未授权：最高为 C")))
            grade = max(grade, "C")
        if indicators.inventor_consent is False:
            reasons.append(Reason("no_consent", 0, _("发明人未同意转化：最高为 C")))
            grade = max(grade, "C")
    return Grading(grade=grade, points=points, reasons=reasons, remaining_years=years, claim_count=claims)

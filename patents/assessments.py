"""Writing a patent's value self-assessment (专利价值分级自评): the office's indicators, the grade they derive
(patents.valuation, pure) and the grade the office settles on, which becomes the patent's value_grade."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core.cache_generation import dashboard_cache_invalidate
from core.errors import ApplicationError
from core.services import audit_log_record
from patents.hooks import pool_changed
from patents.models import Patent, PatentAssessment, TransferMode
from patents.review_rules import may_describe
from patents.valuation import GRADES, Grading, Indicators, PatentFacts, grade_patent

NOTE_MAX = 300


def patent_facts(patent: Patent) -> PatentFacts:
    return PatentFacts(
        patent_type=patent.patent_type,
        legal_status=patent.legal_status,
        application_date=patent.application_date,
        claims=patent.claims,
    )


def patent_grading(*, patent: Patent, indicators: Indicators) -> Grading:
    """The grade the indicators derive for the patent today (what the page shows before saving)."""
    return grade_patent(indicators, patent_facts(patent), today=timezone.localdate())


@transaction.atomic
def patent_assess(
    *,
    user: Any,
    patent: Patent,
    indicators: Indicators,
    consent_modes: list[str],
    grade: str = "",
    note: str = "",
) -> PatentAssessment:
    """Save the assessment; `grade` overrides the derived one (with a note saying why). The settled grade becomes the
    patent's value_grade, so the pool's grade filter and the matching page read it."""
    if not may_describe(user, patent):
        raise ApplicationError("只能评定本单位的专利 / you can only assess your own institution's patents")
    return assessment_write(
        user=user, patent=patent, indicators=indicators, consent_modes=consent_modes, grade=grade, note=note
    )


def assessment_write(
    *,
    user: Any,
    patent: Patent,
    indicators: Indicators,
    consent_modes: list[str],
    grade: str = "",
    note: str = "",
) -> PatentAssessment:
    """The write shared by the assessment form (patent_assess, which checks the user first) and the inventory import
    (whose rows were scoped to the institution before); the caller holds the transaction."""
    if indicators.trl is not None and not 1 <= indicators.trl <= 9:
        raise ApplicationError("技术成熟度须为 1–9 级 / the technology readiness level must be 1 to 9")
    unknown = sorted(set(consent_modes) - set(TransferMode.values))
    if unknown:
        raise ApplicationError(f"未知的转化方式：{'、'.join(unknown)} / unknown transfer modes: {', '.join(unknown)}")
    if grade and grade not in GRADES:
        raise ApplicationError("等级须为 A、B、C 或 D / the grade must be A, B, C or D")
    note = note.strip()
    if len(note) > NOTE_MAX or "\n" in note:
        raise ApplicationError(
            f"调整说明须为一行，不超过 {NOTE_MAX} 字 / the note must be one line of at most {NOTE_MAX} characters"
        )
    grading = patent_grading(patent=patent, indicators=indicators)
    settled = grade or grading.grade
    if settled != grading.grade and not note:
        raise ApplicationError(
            f"将自评等级 {grading.grade} 调整为 {settled} 须写明说明 / changing the derived grade {grading.grade} to "
            f"{settled} needs a note saying why"
        )
    assessment, _created = PatentAssessment.objects.update_or_create(
        patent=patent,
        defaults={
            "trl": indicators.trl,
            "implemented": indicators.implemented,
            "has_family": indicators.has_family,
            "application_fields": indicators.application_fields.strip(),
            "industry": indicators.industry.strip(),
            "inventor_consent": indicators.inventor_consent,
            "consent_modes": [m for m in TransferMode.values if m in consent_modes],
            "derived_grade": grading.grade,
            "grade": settled,
            "grade_note": note if settled != grading.grade else "",
            "assessed_by": user,
        },
    )
    previous = patent.value_grade
    if previous != settled or patent.inventor_consent != indicators.inventor_consent:
        patent.value_grade, patent.inventor_consent = settled, indicators.inventor_consent
        patent.save(update_fields=["value_grade", "inventor_consent", "updated_at"])
        dashboard_cache_invalidate()
        if patent.is_pooled:
            pool_changed.send([patent.pk], critical=False)
    audit_log_record(
        actor=user,
        action="patent.assess",
        target=patent,
        detail={"derived": grading.grade, "grade": settled, "previous": previous, "points": grading.points},
    )
    return assessment


def assessment_indicators(assessment: PatentAssessment | None) -> Indicators:
    if assessment is None:
        return Indicators()
    return Indicators(
        trl=assessment.trl,
        implemented=assessment.implemented,
        has_family=assessment.has_family,
        application_fields=assessment.application_fields,
        industry=assessment.industry,
        inventor_consent=assessment.inventor_consent,
    )

"""The demo's patent-page facts (issue 25, issue 26 item 5): the value self-assessments of the graded pooled patents
(the inventor agreed for most, refused or did not answer for some) and a legal history for the granted ones (审中 →
有效 on the grant date; → 失效 for the lapsed). Deterministic (demo.stable), idempotent: patents that already have an
assessment or a legal history are left alone."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from demo.stable import stable_hash
from patents.models import InventoryStatus, LegalStatus, Patent, PatentAssessment, PatentLegalStatusChange


def _consent(number: str) -> bool | None:
    point = stable_hash(f"consent:{number}") % 10
    return True if point < 7 else False if point < 8 else None


def assessments_load() -> int:
    """A settled assessment (grade = the patent's value grade) for each graded pooled demo patent without one."""
    patents = (
        Patent.objects.filter(is_demo=True, inventory_status=InventoryStatus.POOLED)
        .exclude(value_grade="")
        .exclude(Exists(PatentAssessment.objects.filter(patent_id=OuterRef("pk"))))
        .values_list("pk", "application_number", "value_grade", "transfer_modes")
    )
    rows = []
    for pk, number, grade, modes in patents:
        consent = _consent(number)
        rows.append(
            PatentAssessment(
                patent_id=pk,
                derived_grade=grade,
                grade=grade,
                inventor_consent=consent,
                consent_modes=list(modes or []) if consent else [],
            )
        )
    PatentAssessment.objects.bulk_create(rows, batch_size=1000)
    for consent in (True, False):  # the patents' copy (assessment_write keeps it; bulk_create does not)
        agreed = [row.patent_id for row in rows if row.inventor_consent is consent]
        for start in range(0, len(agreed), 500):  # SQLite's bound-parameter limit
            Patent.objects.filter(pk__in=agreed[start : start + 500]).update(inventor_consent=consent)
    return len(rows)


def _change(patent_id: int, from_status: str, to_status: str) -> PatentLegalStatusChange:
    return PatentLegalStatusChange(patent_id=patent_id, from_status=from_status, to_status=to_status, source="import")


def legal_history_load(*, now: datetime) -> int:
    """For granted pooled demo patents without a legal history: 审中 → 有效 on the grant date, and for a lapsed one
    有效 → 失效 a stable number of days later (never after `now`)."""
    patents = list(
        Patent.objects.filter(is_demo=True, inventory_status=InventoryStatus.POOLED, grant_date__isnull=False)
        .exclude(Exists(PatentLegalStatusChange.objects.filter(patent_id=OuterRef("pk"))))
        .values_list("pk", "application_number", "grant_date", "legal_status")
    )
    rows: list[tuple[PatentLegalStatusChange, datetime]] = []
    zone = timezone.get_current_timezone()
    for pk, number, granted, status in patents:
        assert granted is not None  # filtered on grant_date__isnull=False
        at = min(datetime.combine(granted, time(9), tzinfo=zone), now)
        rows.append((_change(pk, LegalStatus.PENDING, LegalStatus.VALID), at))
        if status == LegalStatus.INVALID:
            lapsed = min(at + timedelta(days=365 + stable_hash(number) % 1500), now)
            rows.append((_change(pk, LegalStatus.VALID, LegalStatus.INVALID), lapsed))
    created = PatentLegalStatusChange.objects.bulk_create([change for change, _ in rows], batch_size=1000)
    for change, (_, at) in zip(created, rows, strict=True):
        change.created_at = at  # auto_now_add stamped them now: the dates they happened instead
    PatentLegalStatusChange.objects.bulk_update(created, ["created_at"], batch_size=1000)
    return len(rows)


def patent_page_load(*, now: datetime) -> tuple[int, int]:
    """(assessments, legal-status changes) created."""
    return assessments_load(), legal_history_load(now=now)

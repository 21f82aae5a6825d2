"""Docking-request figures: first-response time buckets, decline reasons, response times per institution."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from dashboards.scope import DashboardFilters, drill_url
from enterprises.models import DeclineReason, DockingRequest, DockingStatus
from enterprises.selectors import InstitutionResponseTime

# Upper bounds (hours) of the response-time buckets; answered later than the last bound → the open-ended bucket.
RESPONSE_BUCKETS = (
    (24, gettext_noop("≤1天")),
    (72, gettext_noop("1–3天")),
    (168, gettext_noop("3–7天")),
    (336, gettext_noop("7–14天")),
)
RESPONSE_BUCKET_LABELS = {
    **{f"le{hours}": label for hours, label in RESPONSE_BUCKETS},
    "gt336": gettext_noop("14天以上"),
    "waiting": gettext_noop("未答复"),
}


def response_bucket_q(bucket: str) -> Q | None:
    """The condition of one response-time bucket (`RESPONSE_BUCKET_LABELS`), None for an unknown bucket."""
    bounds = [hours for hours, _label in RESPONSE_BUCKETS]
    answered = Q(responded_at__isnull=False)
    if bucket == "waiting":
        return Q(responded_at__isnull=True, status=DockingStatus.SUBMITTED)
    if bucket == f"gt{bounds[-1]}":
        return answered & Q(responded_at__gt=F("submitted_at") + timedelta(hours=bounds[-1]))
    for index, hours in enumerate(bounds):
        if bucket == f"le{hours}":
            condition = answered & Q(responded_at__lte=F("submitted_at") + timedelta(hours=hours))
            if index:
                condition &= Q(responded_at__gt=F("submitted_at") + timedelta(hours=bounds[index - 1]))
            return condition
    return None


def response_distribution(*, dockings: QuerySet[DockingRequest], filters: DashboardFilters) -> list[dict[str, Any]]:
    """First-response times in buckets (answered requests), plus the requests still waiting for an answer."""
    counts = dockings.aggregate(
        **{code: Count("pk", filter=response_bucket_q(code)) for code in RESPONSE_BUCKET_LABELS}
    )
    return [
        {
            "code": code,
            "label": gettext(label),
            "count": counts[code],
            "url": drill_url("dockings", filters, bucket=code),
        }
        for code, label in RESPONSE_BUCKET_LABELS.items()
    ]


def decline_reasons(*, dockings: QuerySet[DockingRequest], filters: DashboardFilters) -> list[dict[str, Any]]:
    """Declines by structured reason — the shape of `docking_decline_reason_counts`, on the filtered set."""
    counts = dict.fromkeys(DeclineReason.values, 0)
    rows = dockings.filter(status=DockingStatus.DECLINED).values("decline_reason").annotate(n=Count("pk")).order_by()
    for row in rows:
        if row["decline_reason"] in counts:
            counts[row["decline_reason"]] = row["n"]
    return [
        {
            "code": code,
            "label": str(DeclineReason(code).label),
            "count": n,
            "url": drill_url("dockings", filters, status=DockingStatus.DECLINED, decline_reason=code),
        }
        for code, n in counts.items()
    ]


def response_institutions(*, response_rows: list[InstitutionResponseTime]) -> list[dict[str, Any]]:
    return [
        {
            "label": r.institution_name,
            "answered": r.answered,
            "median_hours": r.median_hours,
            "waiting": r.waiting,
            "overdue": r.overdue,
        }
        for r in response_rows
    ]

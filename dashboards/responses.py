"""Docking-request figures: first-response time buckets, decline reasons, response times per institution."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from core.formatting import hours_unit
from dashboards.scope import DashboardFilters, drill_url
from enterprises.models import DeclineReason, DockingRequest, DockingStatus
from enterprises.selectors.docking import InstitutionResponseTime

# Upper bounds (hours) of the response-time buckets; answered later than the last bound → the open-ended bucket.
# Labels read in hours like every response time (core.formatting): ≤24 小时, 24–72 小时 … >336 小时 / h.
RESPONSE_BOUNDS = (24, 72, 168, 336)
RESPONSE_BUCKET_CODES = (*(f"le{hours}" for hours in RESPONSE_BOUNDS), f"gt{RESPONSE_BOUNDS[-1]}", "waiting")
WAITING_LABEL = gettext_noop("未答复")
ANSWERED = "answered"  # not a bucket of the chart: the drill-down list of the median response card


def response_bucket_label(code: str) -> str:
    """The label of one bucket in the active language: "≤24 小时", "24–72 小时", ">336 小时", "未答复"."""
    if code == "waiting":
        return gettext(WAITING_LABEL)
    unit = hours_unit()
    if code.startswith("gt"):
        return f">{code[2:]} {unit}"
    index = RESPONSE_BOUNDS.index(int(code[2:]))
    if index == 0:
        return f"≤{RESPONSE_BOUNDS[0]} {unit}"
    return f"{RESPONSE_BOUNDS[index - 1]}–{RESPONSE_BOUNDS[index]} {unit}"


def response_bucket_q(bucket: str) -> Q | None:
    """The condition of one response-time bucket (`RESPONSE_BUCKET_CODES`, or `answered`: every answered request,
    whose response times the median card summarises), None for an unknown bucket."""
    bounds = RESPONSE_BOUNDS
    answered = Q(responded_at__isnull=False)
    if bucket == ANSWERED:
        return answered
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
    counts = dockings.aggregate(**{code: Count("pk", filter=response_bucket_q(code)) for code in RESPONSE_BUCKET_CODES})
    return [
        {
            "code": code,
            "label": response_bucket_label(code),
            "count": counts[code],
            "url": drill_url("dockings", filters, bucket=code),
        }
        for code in RESPONSE_BUCKET_CODES
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

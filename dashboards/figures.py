"""Every figure of the dashboard, aggregated in SQL from the querysets of `dashboards.measures`."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core.models import City
from dashboards import measures
from dashboards.concordance import industry_counts, industry_label
from dashboards.responses import decline_reasons, response_distribution, response_institutions
from dashboards.scope import DashboardFilters, DashboardScope, dashboard_title, drill_url
from enterprises.models import DockingRequest, PatentFollow
from enterprises.selectors.docking import InstitutionResponseTime, institution_response_times
from patents.models import Institution, InventoryStatus, Patent, PatentType

TOP_INSTITUTIONS = 15
TREND_MONTHS = 24
FUNNEL_LABELS = {
    "inventoried": gettext_noop("已盘点"),
    "pooled": gettext_noop("已入库"),
    "followed": gettext_noop("被关注"),
    "docking": gettext_noop("有对接请求"),
    "signed": gettext_noop("已签约"),
}


def national_invention_share() -> float:
    """National reference for the invention share (%), setting DASHBOARD_NATIONAL_INVENTION_SHARE."""
    return float(settings.DASHBOARD_NATIONAL_INVENTION_SHARE)


def share(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole` (one decimal), None when `whole` is 0."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class PatentGroup:
    """Inventoried patents of one institution, type and pooled-or-not."""

    institution_pk: int
    patent_type: str
    is_pooled: bool
    count: int


def patent_groups(patents: QuerySet[Patent]) -> list[PatentGroup]:
    """One scan of `measures.patents_inventoried`: the KPIs, cities, institutions and types are sums of these."""
    rows = patents.values_list("institution_id", "patent_type", "inventory_status").annotate(n=Count("pk")).order_by()
    return [PatentGroup(pk, kind, status == InventoryStatus.POOLED, n) for pk, kind, status, n in rows]


def kpis(
    *,
    scope: DashboardScope,
    filters: DashboardFilters,
    groups: list[PatentGroup],
    response_rows: list[InstitutionResponseTime],
) -> dict[str, Any]:
    """The KPI cards; each counts one measure (the funnel's 有对接请求 and 已签约 are `docking_patents` and
    `signed_patents`, shown on the cards as 涉及专利)."""
    inventoried = sum(g.count for g in groups)
    inventions = sum(g.count for g in groups if g.patent_type == PatentType.INVENTION)
    signed = measures.docking_requests_signed(scope=scope, filters=filters).aggregate(
        signed=Count("pk"), signed_amount=Sum("signed_amount")
    )
    medians = [row.median_hours for row in response_rows if row.median_hours is not None]
    return {
        "institutions": len({g.institution_pk for g in groups}),
        "inventoried": inventoried,
        "pooled": sum(g.count for g in groups if g.is_pooled),
        "inventions": inventions,
        "invention_share": share(inventions, inventoried),
        "national_invention_share": national_invention_share(),
        "enterprises": measures.enterprises_registered(scope=scope, filters=filters).count(),
        "following": measures.enterprises_following(scope=scope, filters=filters).count(),
        "with_needs": measures.enterprises_with_needs(scope=scope, filters=filters).count(),
        "docking_requests": measures.docking_requests(scope=scope, filters=filters).count(),
        "docking_patents": measures.patents_docking(scope=scope, filters=filters).count(),
        "signed": signed["signed"],
        "signed_amount": signed["signed_amount"] or Decimal("0"),
        "signed_patents": measures.patents_signed(scope=scope, filters=filters).count(),
        "median_response_hours": round(statistics.median(medians), 1) if medians else None,
    }


def funnel(*, scope: DashboardScope, filters: DashboardFilters, kpi: dict[str, Any]) -> list[dict[str, Any]]:
    """Patents per stage (inventoried → pooled → followed → docking → signed), each stage one measure. Under a date
    range the last three count the patents followed, requested or signed in it, not a subset of those inventoried in
    it: they show no share of 已盘点."""
    counts = {
        "inventoried": kpi["inventoried"],
        "pooled": kpi["pooled"],
        "followed": measures.patents_followed(scope=scope, filters=filters).count(),
        "docking": kpi["docking_patents"],
        "signed": kpi["signed_patents"],
    }
    return [
        {
            "code": stage,
            "label": gettext(FUNNEL_LABELS[stage]),
            "count": counts[stage],
            "share": (
                None
                if filters.has_range and stage in measures.EVENT_STAGES
                else share(counts[stage], counts["inventoried"])
            ),
            "url": drill_url("patents", filters, stage=stage),
        }
        for stage in measures.PATENT_STAGES
    ]


def by_city(*, groups: list[PatentGroup], filters: DashboardFilters) -> list[dict[str, Any]]:
    """The grouped counts rolled up to each institution's city."""
    city_of = dict(Institution.objects.values_list("pk", "city_id"))
    totals: dict[str, dict[str, int]] = {}
    for group in groups:
        city = totals.setdefault(city_of[group.institution_pk], {"inventoried": 0, "pooled": 0})
        city["inventoried"] += group.count
        city["pooled"] += group.count if group.is_pooled else 0
    names = dict(City.objects.filter(code__in=totals).values_list("code", "name"))
    ranked = sorted(totals.items(), key=lambda item: (-item[1]["inventoried"], item[0]))
    return [
        {"code": code, "label": names[code], **counts, "url": drill_url("patents", filters, city=code)}
        for code, counts in ranked
    ]


def top_institutions(
    *, groups: list[PatentGroup], signed: QuerySet[DockingRequest], filters: DashboardFilters
) -> list[dict[str, Any]]:
    """The institutions with the most inventoried patents, with their pooled patents and their deals signed."""
    totals: dict[int, dict[str, int]] = {}
    for group in groups:
        row = totals.setdefault(group.institution_pk, {"inventoried": 0, "pooled": 0})
        row["inventoried"] += group.count
        row["pooled"] += group.count if group.is_pooled else 0
    names = dict(Institution.objects.filter(pk__in=totals).values_list("pk", "name"))
    top = sorted(totals, key=lambda pk: (-totals[pk]["inventoried"], names[pk]))[:TOP_INSTITUTIONS]
    signed_by_institution = dict(
        signed.filter(institution_id__in=top)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    return [
        {
            "pk": pk,
            "label": names[pk],
            **totals[pk],
            "signed": signed_by_institution.get(pk, 0),
            "url": drill_url("patents", filters, institution=pk),
        }
        for pk in top
    ]


def by_type(*, groups: list[PatentGroup], filters: DashboardFilters) -> list[dict[str, Any]]:
    """Inventoried patents per patent type."""
    return [
        {
            "code": code,
            "label": str(label),
            "count": sum(g.count for g in groups if g.patent_type == code),
            "url": drill_url("patents", filters, patent_type=code),
        }
        for code, label in PatentType.choices
    ]


def by_industry(*, patents: QuerySet[Patent], filters: DashboardFilters) -> list[dict[str, Any]]:
    """Inventoried patents per derived industry category."""
    counts = industry_counts(patents)
    total = sum(counts.values())
    return [
        {
            "code": code,
            "label": industry_label(code),
            "count": n,
            "share": share(n, total),
            "url": drill_url("patents", filters, industry=code),
        }
        for code, n in counts.items()
    ]


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trends(
    *,
    patents: QuerySet[Patent],
    follows: QuerySet[PatentFollow],
    dockings: QuerySet[DockingRequest],
    signed: QuerySet[DockingRequest],
    filters: DashboardFilters,
) -> list[dict[str, Any]]:
    """Per month (the range, at most its last 60 months; without one the last 24), each series on the date its
    measure is filtered by: patents by the chosen date (without a range: the day they reached the platform), follows
    made (created_at), docking requests submitted (submitted_at) and deals signed (`measures.signing_day`). Over a
    range of up to 60 months each series adds up to its card."""
    last = filters.date_to or timezone.localdate()
    first = filters.date_from or (last.replace(day=1) - timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    months = _months(first, last)[-60:]
    if not months:  # an empty range (the filter form refuses one)
        return []
    start = timezone.make_aware(datetime.fromisoformat(f"{months[0]}-01"))
    patent_field = "application_date" if filters.has_range and filters.date_field == "application" else "created_at"
    sources: tuple[tuple[str, QuerySet[Any], str, Any], ...] = (
        ("patents", patents, patent_field, start.date() if patent_field == "application_date" else start),
        ("follows", follows, "created_at", start),
        ("dockings", dockings, "submitted_at", start),
        ("signed", signed, "signed_on", start.date()),
    )
    series = {}
    for name, qs, field, since in sources:
        rows = (
            qs.filter(**{f"{field}__gte": since})
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        series[name] = {f"{row['month']:%Y-%m}": row["n"] for row in rows if row["month"] is not None}
    return [{"month": m, **{name: series[name].get(m, 0) for name in series}} for m in months]


def dashboard_figures(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, Any]:
    """Every figure of the dashboard for `scope` and `filters`, computed now (see `dashboard_figures_cached`)."""
    patents = measures.patents_inventoried(scope=scope, filters=filters)
    dockings = measures.docking_requests(scope=scope, filters=filters)
    signed = measures.docking_requests_signed(scope=scope, filters=filters)
    groups = patent_groups(patents)
    response_rows = institution_response_times(requests=dockings)
    kpi = kpis(scope=scope, filters=filters, groups=groups, response_rows=response_rows)
    return {
        "scope": {"level": scope.level, "label": scope.label, "title": dashboard_title(scope=scope, filters=filters)},
        "kpis": kpi,
        "funnel": funnel(scope=scope, filters=filters, kpi=kpi),
        "cities": by_city(groups=groups, filters=filters),
        "institutions": top_institutions(groups=groups, signed=signed, filters=filters),
        "types": by_type(groups=groups, filters=filters),
        "industries": by_industry(patents=patents, filters=filters),
        "trends": trends(
            patents=patents,
            follows=measures.patent_follows(scope=scope, filters=filters),
            dockings=dockings,
            signed=signed,
            filters=filters,
        ),
        "response_times": response_distribution(dockings=dockings, filters=filters),
        "decline_reasons": decline_reasons(dockings=dockings, filters=filters),
        "response_institutions": response_institutions(response_rows=response_rows),
    }

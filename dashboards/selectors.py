"""Reads for the bureau dashboards: scope, filtered base sets, every figure (aggregated in SQL), cache, tables.

Settings (read with getattr, no entry in settings needed): DASHBOARD_NATIONAL_INVENTION_SHARE, the national reference
shown beside the invention share (%, default `DEFAULT_NATIONAL_INVENTION_SHARE`); DASHBOARD_CACHE_SECONDS, how long
figures stay cached (default 900 s; saves and deletes of counted models invalidate sooner).

Scope: the province bureau and admins see everything, a city bureau its city (patents by the institution's city,
enterprises by their city, docking requests whose institution or enterprise is in the city — as `docking_list`),
an officer their institution (enterprises: those that follow its patents or asked it to dock). Others: no scope.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf, Replace, TruncMonth, Upper
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.access import is_city_staff, is_officer, is_province_staff
from accounts.models import User
from core.models import City
from dashboards.models import UNCLASSIFIED, IndustryCategory, IpcIndustryMapping, ipc_normalize
from enterprises.models import DeclineReason, DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from enterprises.selectors import InstitutionResponseTime, institution_response_times
from patents.models import Institution, InventoryStatus, Patent, PatentType

CACHE_VERSION_KEY = "dashboards:version"
TOP_INSTITUTIONS = 15
TREND_MONTHS = 24
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
# Placeholder for the national share (%) of invention patents among patents granted (CNIPA annual report, ~2023:
# about 920k inventions of about 3.65M grants); set DASHBOARD_NATIONAL_INVENTION_SHARE to the figure you cite.
DEFAULT_NATIONAL_INVENTION_SHARE = 25.2
FUNNEL_STAGES = ("inventoried", "pooled", "followed", "docking", "signed")


def national_invention_share() -> float:
    """National reference for the invention share (%), setting DASHBOARD_NATIONAL_INVENTION_SHARE."""
    return float(getattr(settings, "DASHBOARD_NATIONAL_INVENTION_SHARE", DEFAULT_NATIONAL_INVENTION_SHARE))


def cache_seconds() -> int:
    """How long computed figures stay cached (setting DASHBOARD_CACHE_SECONDS; signals invalidate sooner)."""
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 900))


# --- scope and filters --------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardScope:
    """What part of the data a user's dashboard covers."""

    level: str  # "province" | "city" | "institution"
    label: str
    city_code: str | None = None
    institution_pk: int | None = None

    @property
    def key(self) -> str:
        return f"{self.level}:{self.city_code or ''}:{self.institution_pk or ''}"


def dashboard_scope_for(*, user: User) -> DashboardScope | None:
    """The user's dashboard scope, or None when the user has no dashboard (enterprises, no role: callers 404)."""
    if is_province_staff(user):
        return DashboardScope(level="province", label=gettext("全省"))
    if is_city_staff(user):
        assert user.city is not None  # city_id is set
        return DashboardScope(level="city", label=user.city.name, city_code=user.city_id)
    if is_officer(user):
        assert user.institution is not None  # institution_id is set
        return DashboardScope(level="institution", label=user.institution.name, institution_pk=user.institution_id)
    return None


@dataclass(frozen=True)
class DashboardFilters:
    """Filters chosen on the page; the date range applies to `date_field` of patents and to the other sets' dates."""

    city_code: str = ""
    institution_pk: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    date_field: str = "application"  # "application" (申请日) | "created" (录入平台)

    @property
    def key(self) -> str:
        parts = (self.city_code, self.institution_pk, self.date_from, self.date_to, self.date_field)
        return ":".join("" if part is None else str(part) for part in parts)

    def query(self, **extra: object) -> str:
        """These filters plus `extra` as a query string (for drill-down links and exports)."""
        params: dict[str, object] = {
            "city": self.city_code,
            "institution": self.institution_pk or "",
            "date_from": self.date_from or "",
            "date_to": self.date_to or "",
            "date_field": self.date_field if self.date_from or self.date_to else "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _date_range(field: str, filters: DashboardFilters) -> Q:
    condition = Q()
    if filters.date_from:
        condition &= Q(**{f"{field}__gte": filters.date_from})
    if filters.date_to:
        condition &= Q(**{f"{field}__lte": filters.date_to})
    return condition


def dashboard_patents(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """Patents in scope matching the filters (city and institution are the owning institution's)."""
    qs = Patent.objects.all()
    if scope.institution_pk:
        qs = qs.filter(institution_id=scope.institution_pk)
    if scope.city_code:
        qs = qs.filter(institution__city_id=scope.city_code)
    if filters.city_code:
        qs = qs.filter(institution__city_id=filters.city_code)
    if filters.institution_pk:
        qs = qs.filter(institution_id=filters.institution_pk)
    field = "application_date" if filters.date_field == "application" else "created_at__date"
    return qs.filter(_date_range(field, filters))


def dashboard_enterprises(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    """Enterprises in scope (by their city; for an institution: those engaged with it), registered in the range."""
    qs = Enterprise.objects.all()
    institution_pk = scope.institution_pk or filters.institution_pk
    if institution_pk:
        engaged = Q(pk__in=PatentFollow.objects.filter(patent__institution_id=institution_pk).values("enterprise_id"))
        engaged |= Q(pk__in=DockingRequest.objects.filter(institution_id=institution_pk).values("enterprise_id"))
        qs = qs.filter(engaged)
    for city_code in (scope.city_code, filters.city_code):
        if city_code:
            qs = qs.filter(city_id=city_code)
    return qs.filter(_date_range("created_at__date", filters))


def dashboard_dockings(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[DockingRequest]:
    """Docking requests in scope (a city: its institutions' or its enterprises'), submitted in the date range."""
    qs = DockingRequest.objects.all()
    for institution_pk in (scope.institution_pk, filters.institution_pk):
        if institution_pk:
            qs = qs.filter(institution_id=institution_pk)
    for city_code in (scope.city_code, filters.city_code):
        if city_code:
            qs = qs.filter(Q(institution__city_id=city_code) | Q(enterprise__city_id=city_code))
    return qs.filter(_date_range("submitted_at__date", filters))


def dashboard_institutions(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Institution]:
    """Institutions in scope matching the city / institution filters."""
    qs = Institution.objects.all()
    for institution_pk in (scope.institution_pk, filters.institution_pk):
        if institution_pk:
            qs = qs.filter(pk=institution_pk)
    for city_code in (scope.city_code, filters.city_code):
        if city_code:
            qs = qs.filter(city_id=city_code)
    return qs


# --- industry concordance -----------------------------------------------------------------------


def concordance_table() -> dict[str, str]:
    """The concordance as {normalized IPC prefix: category code}."""
    return {ipc_normalize(p): c for p, c in IpcIndustryMapping.objects.values_list("ipc_prefix", "category")}


def industry_for_code(*, code: str, table: dict[str, str]) -> str:
    """The category of one IPC code by the longest matching prefix; UNCLASSIFIED when none matches."""
    normalized = ipc_normalize(code)
    for length in range(len(normalized), 0, -1):
        if normalized[:length] in table:
            return table[normalized[:length]]
    return UNCLASSIFIED


def patent_industry(*, patent: Patent, table: dict[str, str] | None = None) -> str:
    """A patent's derived category: from its main IPC code, or the first of its codes when the main one is empty."""
    code = patent.ipc_main or next(iter(patent.ipc_codes or []), "")
    return industry_for_code(code=code, table=concordance_table() if table is None else table)


def _ipc_key_expression() -> Any:
    """SQL: the code that decides a patent's category, upper case without spaces (as `patent_industry`)."""
    code = Coalesce(NullIf("ipc_main", Value("")), KT("ipc_codes__0"), Value(""), output_field=CharField())
    return Upper(Replace(code, Value(" "), Value("")))


def industry_label(code: str) -> str:
    """The category's name, or 未分类."""
    return str(IndustryCategory(code).label) if code in IndustryCategory.values else gettext("未分类")


def patents_in_industry(*, patents: QuerySet[Patent], category: str) -> QuerySet[Patent]:
    """Those of `patents` whose derived category is `category` (longest-prefix rule, evaluated in SQL)."""
    table = concordance_table()
    own = [p for p, c in table.items() if c == category]
    condition = Q()
    for prefix in own:
        longer_elsewhere = [
            p for p, c in table.items() if c != category and len(p) > len(prefix) and p.startswith(prefix)
        ]
        branch = Q(ipc_key__startswith=prefix)
        for other in longer_elsewhere:
            branch &= ~Q(ipc_key__startswith=other)
        condition |= branch
    annotated = patents.annotate(ipc_key=_ipc_key_expression())
    if category == UNCLASSIFIED:
        matched = Q()
        for prefix in table:
            matched |= Q(ipc_key__startswith=prefix)
        return annotated.exclude(matched) if table else annotated
    return annotated.filter(condition) if own else annotated.none()


def _industry_counts(patents: QuerySet[Patent]) -> dict[str, int]:
    """Patents per derived category: grouped by main IPC code in SQL (a few hundred groups), mapped in Python."""
    table = concordance_table()
    counts = dict.fromkeys([*IndustryCategory.values, UNCLASSIFIED], 0)
    by_main = patents.exclude(ipc_main="").values_list("ipc_main").annotate(n=Count("pk")).order_by()
    by_first_code = (
        patents.filter(ipc_main="")
        .annotate(code=Coalesce(KT("ipc_codes__0"), Value(""), output_field=CharField()))
        .values_list("code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for code, n in [*by_main, *by_first_code]:
        counts[industry_for_code(code=code or "", table=table)] += n
    return counts


# --- figures ------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _drill(kind: str, filters: DashboardFilters, **extra: object) -> str:
    return f"{reverse(f'dashboards:drill_{kind}')}?{filters.query(**extra)}"


@dataclass(frozen=True)
class _PatentGroup:
    institution_pk: int
    patent_type: str
    is_pooled: bool
    count: int


def _patent_groups(patents: QuerySet[Patent]) -> list[_PatentGroup]:
    """One scan: patents counted by institution, type and pooled-or-not (KPIs, cities, institutions, types)."""
    rows = patents.values_list("institution_id", "patent_type", "inventory_status").annotate(n=Count("pk")).order_by()
    return [_PatentGroup(pk, kind, status == InventoryStatus.POOLED, n) for pk, kind, status, n in rows]


def _is_unrestricted(qs: QuerySet) -> bool:
    """True when `qs` has no condition at all (the province without filters): subqueries on it can be skipped."""
    return not qs.query.where


def _kpis(
    *,
    scope: DashboardScope,
    filters: DashboardFilters,
    groups: list[_PatentGroup],
    response_rows: list[InstitutionResponseTime],
) -> dict[str, Any]:
    enterprises = dashboard_enterprises(scope=scope, filters=filters)
    dockings = dashboard_dockings(scope=scope, filters=filters)
    inventoried = sum(g.count for g in groups)
    inventions = sum(g.count for g in groups if g.patent_type == PatentType.INVENTION)
    # Separate EXISTS filters (not COUNT … FILTER (WHERE EXISTS …)): PostgreSQL plans them as hashed semi-joins.
    docking_counts = dockings.aggregate(
        docking_requests=Count("pk"),
        signed=Count("pk", filter=Q(status=DockingStatus.SIGNED)),
        signed_amount=Sum("signed_amount", filter=Q(status=DockingStatus.SIGNED)),
    )
    medians = [row.median_hours for row in response_rows if row.median_hours is not None]
    return {
        "institutions": len({g.institution_pk for g in groups}),
        "inventoried": inventoried,
        "pooled": sum(g.count for g in groups if g.is_pooled),
        "inventions": inventions,
        "invention_share": _share(inventions, inventoried),
        "national_invention_share": national_invention_share(),
        "enterprises": enterprises.count(),
        "following": enterprises.filter(Exists(PatentFollow.objects.filter(enterprise_id=OuterRef("pk")))).count(),
        "with_needs": enterprises.filter(Exists(TechNeed.objects.filter(enterprise_id=OuterRef("pk")))).count(),
        **docking_counts,
        "signed_amount": docking_counts["signed_amount"] or Decimal("0"),
        "median_response_hours": round(statistics.median(medians), 1) if medians else None,
    }


def _funnel(*, patents: QuerySet[Patent], kpis: dict[str, Any], filters: DashboardFilters) -> list[dict[str, Any]]:
    in_scope = Q() if _is_unrestricted(patents) else Q(patent__in=patents.values("pk"))
    follows = PatentFollow.objects.filter(in_scope)
    dockings = DockingRequest.objects.filter(in_scope, patent__isnull=False)
    counts = {
        "inventoried": kpis["inventoried"],
        "pooled": kpis["pooled"],
        "followed": follows.aggregate(n=Count("patent", distinct=True))["n"],
        **dockings.aggregate(
            docking=Count("patent", distinct=True),
            signed=Count("patent", distinct=True, filter=Q(status=DockingStatus.SIGNED)),
        ),
    }
    labels = {
        "inventoried": gettext("已盘点"),
        "pooled": gettext("已入库"),
        "followed": gettext("被关注"),
        "docking": gettext("对接中/已对接"),
        "signed": gettext("已签约"),
    }
    return [
        {
            "code": stage,
            "label": labels[stage],
            "count": counts[stage],
            "share": _share(counts[stage], counts["inventoried"]),
            "url": _drill("patents", filters, stage=stage),
        }
        for stage in FUNNEL_STAGES
    ]


def _by_city(*, groups: list[_PatentGroup], filters: DashboardFilters) -> list[dict[str, Any]]:
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
        {"code": code, "label": names[code], **counts, "url": _drill("patents", filters, city=code)}
        for code, counts in ranked
    ]


def _top_institutions(
    *, groups: list[_PatentGroup], dockings: QuerySet[DockingRequest], filters: DashboardFilters
) -> list[dict[str, Any]]:
    totals: dict[int, dict[str, int]] = {}
    for group in groups:
        row = totals.setdefault(group.institution_pk, {"inventoried": 0, "pooled": 0})
        row["inventoried"] += group.count
        row["pooled"] += group.count if group.is_pooled else 0
    names = dict(Institution.objects.filter(pk__in=totals).values_list("pk", "name"))
    top = sorted(totals, key=lambda pk: (-totals[pk]["inventoried"], names[pk]))[:TOP_INSTITUTIONS]
    signed = dict(
        dockings.filter(status=DockingStatus.SIGNED, institution_id__in=top)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    return [
        {
            "pk": pk,
            "label": names[pk],
            **totals[pk],
            "signed": signed.get(pk, 0),
            "url": _drill("patents", filters, institution=pk),
        }
        for pk in top
    ]


def _by_type(*, groups: list[_PatentGroup], filters: DashboardFilters) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "label": str(label),
            "count": sum(g.count for g in groups if g.patent_type == code),
            "url": _drill("patents", filters, patent_type=code),
        }
        for code, label in PatentType.choices
    ]


def _by_industry(*, patents: QuerySet[Patent], filters: DashboardFilters) -> list[dict[str, Any]]:
    counts = _industry_counts(patents)
    total = sum(counts.values())
    return [
        {
            "code": code,
            "label": industry_label(code),
            "count": n,
            "share": _share(n, total),
            "url": _drill("patents", filters, industry=code),
        }
        for code, n in counts.items()
    ]


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _trends(
    *, patents: QuerySet[Patent], dockings: QuerySet[DockingRequest], filters: DashboardFilters
) -> list[dict[str, Any]]:
    """Patents added to the platform and docking requests submitted, per month (the last 24 months, or the range)."""
    last = filters.date_to or timezone.localdate()
    first = filters.date_from or (last.replace(day=1) - timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    months = _months(first, last)[-60:]
    series = {}
    for name, qs, field in (("patents", patents, "created_at"), ("dockings", dockings, "submitted_at")):
        in_window = qs.filter(**{f"{field}__gte": timezone.make_aware(datetime.fromisoformat(f"{months[0]}-01"))})
        rows = in_window.annotate(month=TruncMonth(field)).values("month").annotate(n=Count("pk")).order_by()
        series[name] = {f"{row['month']:%Y-%m}": row["n"] for row in rows if row["month"] is not None}
    return [
        {"month": m, "patents": series["patents"].get(m, 0), "dockings": series["dockings"].get(m, 0)} for m in months
    ]


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


def _response_distribution(*, dockings: QuerySet[DockingRequest], filters: DashboardFilters) -> list[dict[str, Any]]:
    """First-response times in buckets (answered requests), plus the requests still waiting for an answer."""
    counts = dockings.aggregate(
        **{code: Count("pk", filter=response_bucket_q(code)) for code in RESPONSE_BUCKET_LABELS}
    )
    return [
        {"code": code, "label": gettext(label), "count": counts[code], "url": _drill("dockings", filters, bucket=code)}
        for code, label in RESPONSE_BUCKET_LABELS.items()
    ]


def _decline_reasons(*, dockings: QuerySet[DockingRequest], filters: DashboardFilters) -> list[dict[str, Any]]:
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
            "url": _drill("dockings", filters, status=DockingStatus.DECLINED, decline_reason=code),
        }
        for code, n in counts.items()
    ]


def _response_institutions(*, response_rows: list[InstitutionResponseTime]) -> list[dict[str, Any]]:
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


def dashboard_figures(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, Any]:
    """Every figure of the dashboard for `scope` and `filters`, computed now (see `dashboard_figures_cached`)."""
    patents = dashboard_patents(scope=scope, filters=filters)
    dockings = dashboard_dockings(scope=scope, filters=filters)
    groups = _patent_groups(patents)
    response_rows = institution_response_times(institutions=dashboard_institutions(scope=scope, filters=filters))
    kpis = _kpis(scope=scope, filters=filters, groups=groups, response_rows=response_rows)
    return {
        "scope": {"level": scope.level, "label": scope.label},
        "kpis": kpis,
        "funnel": _funnel(patents=patents, kpis=kpis, filters=filters),
        "cities": _by_city(groups=groups, filters=filters),
        "institutions": _top_institutions(groups=groups, dockings=dockings, filters=filters),
        "types": _by_type(groups=groups, filters=filters),
        "industries": _by_industry(patents=patents, filters=filters),
        "trends": _trends(patents=patents, dockings=dockings, filters=filters),
        "response_times": _response_distribution(dockings=dockings, filters=filters),
        "decline_reasons": _decline_reasons(dockings=dockings, filters=filters),
        "response_institutions": _response_institutions(response_rows=response_rows),
    }


def dashboard_cache_version() -> int:
    """The current cache generation; `dashboards.services.dashboard_cache_invalidate` moves it on."""
    return cast(int, cache.get_or_set(CACHE_VERSION_KEY, 1, timeout=None))  # never None: the default is stored


def dashboard_figures_cached(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, Any]:
    """`dashboard_figures` through the cache, keyed by data generation, language, scope and filters."""
    key = f"dashboards:figures:{dashboard_cache_version()}:{translation.get_language()}:{scope.key}:{filters.key}"
    figures = cache.get(key)
    if figures is None:
        figures = dashboard_figures(scope=scope, filters=filters)
        cache.set(key, figures, timeout=cache_seconds())
    return figures


# --- tables (what the exports and the printable report show) ----------------------------------------


@dataclass(frozen=True)
class DashboardTable:
    """One table of the dashboard: a slug for URLs, a Chinese title and headers, rows of plain values."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _kpi_rows(kpis: dict[str, Any]) -> list[list[Any]]:
    labels = [
        ("institutions", gettext("参与高校/院所")),
        ("inventoried", gettext("已盘点专利")),
        ("pooled", gettext("已入库专利")),
        ("inventions", gettext("发明专利")),
        ("invention_share", gettext("发明专利占比(%)")),
        ("national_invention_share", gettext("全国参考值：发明专利占比(%)")),
        ("enterprises", gettext("注册企业")),
        ("following", gettext("有关注的企业")),
        ("with_needs", gettext("发布需求的企业")),
        ("docking_requests", gettext("对接请求")),
        ("signed", gettext("已签约")),
        ("signed_amount", gettext("签约金额(元)")),
        ("median_response_hours", gettext("高校首次响应中位数(小时)")),
    ]
    return [[label, kpis[key]] for key, label in labels]


def dashboard_tables(*, figures: dict[str, Any]) -> list[DashboardTable]:
    """Every table of the dashboard built from `figures` (so exports show exactly the page's numbers)."""
    return [
        DashboardTable("kpis", gettext("核心指标"), [gettext("指标"), gettext("数值")], _kpi_rows(figures["kpis"])),
        DashboardTable(
            "funnel",
            gettext("转化漏斗"),
            [gettext("环节"), gettext("专利数"), gettext("占已盘点(%)")],
            [[r["label"], r["count"], r["share"]] for r in figures["funnel"]],
        ),
        DashboardTable(
            "cities",
            gettext("按城市"),
            [gettext("城市"), gettext("已盘点"), gettext("已入库")],
            [[r["label"], r["inventoried"], r["pooled"]] for r in figures["cities"]],
        ),
        DashboardTable(
            "institutions",
            gettext("高校/院所排名"),
            [gettext("高校/院所"), gettext("已盘点"), gettext("已入库"), gettext("已签约")],
            [[r["label"], r["inventoried"], r["pooled"], r["signed"]] for r in figures["institutions"]],
        ),
        DashboardTable(
            "types",
            gettext("按专利类型"),
            [gettext("专利类型"), gettext("专利数")],
            [[r["label"], r["count"]] for r in figures["types"]],
        ),
        DashboardTable(
            "industries",
            gettext("按战略性新兴产业（派生分类，非官方统计口径）"),
            [gettext("产业类别"), gettext("专利数"), gettext("占比(%)")],
            [[r["label"], r["count"], r["share"]] for r in figures["industries"]],
        ),
        DashboardTable(
            "trends",
            gettext("月度趋势"),
            [gettext("月份"), gettext("新增专利"), gettext("对接请求")],
            [[r["month"], r["patents"], r["dockings"]] for r in figures["trends"]],
        ),
        DashboardTable(
            "response_times",
            gettext("首次响应时长分布"),
            [gettext("响应时长"), gettext("对接请求数")],
            [[r["label"], r["count"]] for r in figures["response_times"]],
        ),
        DashboardTable(
            "decline_reasons",
            gettext("婉拒原因"),
            [gettext("婉拒原因"), gettext("次数")],
            [[r["label"], r["count"]] for r in figures["decline_reasons"]],
        ),
        DashboardTable(
            "response_institutions",
            gettext("高校响应时间"),
            [
                gettext("高校/院所"),
                gettext("已答复"),
                gettext("首次响应中位数(小时)"),
                gettext("待答复"),
                gettext("超时"),
            ],
            [
                [r["label"], r["answered"], r["median_hours"], r["waiting"], r["overdue"]]
                for r in figures["response_institutions"]
            ],
        ),
    ]


# --- drill-down lists ---------------------------------------------------------------------------


def drill_patents(*, scope: DashboardScope, filters: DashboardFilters, params: dict[str, str]) -> QuerySet[Patent]:
    """The patents behind a chart segment: `params` may name patent_type, industry, stage, month."""
    qs = dashboard_patents(scope=scope, filters=filters).select_related("institution", "institution__city")
    if params.get("patent_type") in PatentType.values:
        qs = qs.filter(patent_type=params["patent_type"])
    if params.get("industry") in [*IndustryCategory.values, UNCLASSIFIED]:
        qs = patents_in_industry(patents=qs, category=params["industry"])
    stage = params.get("stage")
    if stage == "pooled":
        qs = qs.filter(inventory_status=InventoryStatus.POOLED)
    elif stage == "followed":
        qs = qs.filter(Exists(PatentFollow.objects.filter(patent_id=OuterRef("pk"))))
    elif stage == "docking":
        qs = qs.filter(Exists(DockingRequest.objects.filter(patent_id=OuterRef("pk"))))
    elif stage == "signed":
        qs = qs.filter(Exists(DockingRequest.objects.filter(patent_id=OuterRef("pk"), status=DockingStatus.SIGNED)))
    return qs.order_by("institution__name", "application_number")


def drill_dockings(
    *, scope: DashboardScope, filters: DashboardFilters, params: dict[str, str]
) -> QuerySet[DockingRequest]:
    """The docking requests behind a chart segment: `params` may name status, decline_reason, bucket."""
    qs = dashboard_dockings(scope=scope, filters=filters).select_related("enterprise", "institution", "patent", "need")
    if params.get("status") in DockingStatus.values:
        qs = qs.filter(status=params["status"])
    if params.get("decline_reason") in DeclineReason.values:
        qs = qs.filter(decline_reason=params["decline_reason"])
    if (bucket := response_bucket_q(params.get("bucket", ""))) is not None:
        qs = qs.filter(bucket)
    return qs.order_by("-submitted_at", "-pk")


def drill_enterprises(
    *, scope: DashboardScope, filters: DashboardFilters, params: dict[str, str]
) -> QuerySet[Enterprise]:
    """The enterprises behind a KPI: `params` may name stage = following | with_needs."""
    qs = dashboard_enterprises(scope=scope, filters=filters).select_related("city")
    if params.get("stage") == "following":
        qs = qs.filter(Exists(PatentFollow.objects.filter(enterprise_id=OuterRef("pk"))))
    elif params.get("stage") == "with_needs":
        qs = qs.filter(Exists(TechNeed.objects.filter(enterprise_id=OuterRef("pk"))))
    return qs.order_by("name", "pk")


def drill_table(*, kind: str, rows: QuerySet) -> DashboardTable:
    """A drill-down list as a table for export (Chinese headers)."""
    if kind == "patents":
        return DashboardTable(
            "patents",
            gettext("专利清单"),
            [
                gettext("申请号"),
                gettext("专利名称"),
                gettext("专利类型"),
                gettext("主分类号"),
                gettext("申请日"),
                gettext("盘点状态"),
                gettext("高校/院所"),
                gettext("城市"),
            ],
            [
                [
                    p.application_number,
                    p.title,
                    p.get_patent_type_display(),
                    p.ipc_main,
                    p.application_date,
                    p.get_inventory_status_display(),
                    p.institution.name,
                    p.institution.city.name,
                ]
                for p in rows
            ],
        )
    if kind == "dockings":
        return DashboardTable(
            "dockings",
            gettext("对接请求清单"),
            [
                gettext("编号"),
                gettext("企业"),
                gettext("高校/院所"),
                gettext("对接标的"),
                gettext("状态"),
                gettext("提交时间"),
                gettext("首次响应时间"),
                gettext("婉拒原因"),
                gettext("合同金额(元)"),
            ],
            [
                [
                    d.pk,
                    d.enterprise.name,
                    d.institution.name,
                    d.subject_title,
                    d.get_status_display(),
                    timezone.localtime(d.submitted_at).replace(tzinfo=None),
                    timezone.localtime(d.responded_at).replace(tzinfo=None) if d.responded_at else None,
                    d.get_decline_reason_display(),
                    d.signed_amount,
                ]
                for d in rows
            ],
        )
    return DashboardTable(
        "enterprises",
        gettext("企业清单"),
        [gettext("企业名称"), gettext("统一社会信用代码"), gettext("城市"), gettext("注册日期")],
        [[e.name, e.uscc, e.city.name if e.city_id else "", e.registered_date] for e in rows],
    )

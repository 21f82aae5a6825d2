"""The province's supply and demand (docs/supply_demand.md): by 战略性新兴产业, IPC section and city — open needs,
satisfiable needs (their enterprise's top-k list holds a pooled patent at SUPPLY_DEMAND_THRESHOLD or more), unmet
needs (the technology gaps), pooled patents with demand, cold supply (matching.reading.supply). Read from what the
run stored (patents.PatentDemand, matching.EnterpriseSupply): no ranking here. Reads only.

A need is classified by its enterprise's closest pooled patent (EnterpriseSupply.best_patent: its IPC section and
derived industry, even below the threshold); a need whose enterprise has no list is 未分类 (its city is its
enterprise's). Patents are classified by their own IPC and their institution's city."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext

from core.cache_generation import dashboard_cache_version
from core.models import City
from core.selectors import city_list
from core.supply import cold_days, demand_threshold
from dashboards.cache import cache_seconds
from dashboards.concordance import (
    concordance_table,
    industry_counts,
    industry_for_code,
    industry_label,
    patents_in_industry,
)
from dashboards.models import UNCLASSIFIED, IndustryCategory
from dashboards.scope import DashboardScope
from enterprises.models import TechNeed
from matching.reading.supply import cold_patents
from matching.runs.current import current_run
from patents.models import InventoryStatus, Patent

DIMENSIONS = ("industry", "ipc_section", "city")
IPC_SECTIONS = tuple("ABCDEFGH")
MEASURES = ("open_needs", "satisfiable", "unmet", "patents_in_demand", "cold")
_BEST = "enterprise__supply__best_patent__"


def open_needs(*, scope: DashboardScope) -> QuerySet[TechNeed]:
    """Open needs in the scope: a city's are its enterprises' (province and institution scopes: the province's)."""
    needs = TechNeed.objects.filter(status=TechNeed.Status.OPEN)
    return needs.filter(enterprise__city_id=scope.city_code) if scope.city_code else needs


def satisfiable_q() -> Q:
    """A need whose enterprise's list holds a pooled patent at the threshold or above."""
    return Q(enterprise__supply__best_score__gte=demand_threshold())


def pooled_patents(*, scope: DashboardScope) -> QuerySet[Patent]:
    patents = Patent.objects.filter(inventory_status=InventoryStatus.POOLED)
    if scope.institution_pk:
        return patents.filter(institution_id=scope.institution_pk)
    return patents.filter(institution__city_id=scope.city_code) if scope.city_code else patents


def _groups(dimension: str, scope: DashboardScope) -> list[tuple[str, str]]:
    if dimension == "industry":
        return [(code, industry_label(code)) for code in [*IndustryCategory.values, UNCLASSIFIED]]
    if dimension == "ipc_section":
        return [*((s, s) for s in IPC_SECTIONS), ("", gettext("未分类"))]
    cities = City.objects.filter(code=scope.city_code) if scope.city_code else city_list()
    return [(c.code, c.name) for c in cities.order_by("code")]


def _need_counts(needs: QuerySet[TechNeed], dimension: str) -> dict[str, int]:
    if dimension == "city":
        return dict(needs.values_list("enterprise__city_id").annotate(n=Count("pk")).order_by())
    if dimension == "ipc_section":
        rows = needs.values_list(f"{_BEST}ipc_section").annotate(n=Count("pk")).order_by()
        out: dict[str, int] = {}
        for section, n in rows:
            out[section or ""] = out.get(section or "", 0) + n
        return out
    code = Coalesce(KeyTextTransform("0", f"{_BEST}ipc_codes"), Value(""), output_field=CharField())
    rows = needs.annotate(first=code).values_list(f"{_BEST}ipc_main", "first").annotate(n=Count("pk")).order_by()
    table, counts = concordance_table(), dict.fromkeys([*IndustryCategory.values, UNCLASSIFIED], 0)
    for main, first, n in rows:
        counts[industry_for_code(code=main or first or "", table=table)] += n
    return counts


def _patent_counts(patents: QuerySet[Patent], dimension: str) -> dict[str, int]:
    if dimension == "industry":
        return industry_counts(patents)
    field = "institution__city_id" if dimension == "city" else "ipc_section"
    return dict(patents.values_list(field).annotate(n=Count("pk")).order_by())


def supply_demand_rows(*, scope: DashboardScope, dimension: str) -> list[dict[str, Any]]:
    """One row per group of `dimension`: key, label and the five measures."""
    needs = open_needs(scope=scope)
    pooled = pooled_patents(scope=scope)
    counts = {
        "open_needs": _need_counts(needs, dimension),
        "satisfiable": _need_counts(needs.filter(satisfiable_q()), dimension),
        "patents_in_demand": _patent_counts(pooled.filter(demand__isnull=False), dimension),
        "cold": _patent_counts(cold_patents(patents=pooled), dimension),
    }
    rows = []
    for key, label in _groups(dimension, scope):
        row: dict[str, Any] = {"key": key, "label": label}
        for measure in ("open_needs", "satisfiable", "patents_in_demand", "cold"):
            row[measure] = counts[measure].get(key, 0)
        row["unmet"] = row["open_needs"] - row["satisfiable"]
        rows.append(row)
    return rows


def supply_demand_figures(*, scope: DashboardScope) -> dict[str, Any]:
    """Every figure of the supply-and-demand view: totals, and rows by industry, IPC section and city."""
    by = {dimension: supply_demand_rows(scope=scope, dimension=dimension) for dimension in DIMENSIONS}
    totals = {measure: sum(row[measure] for row in by["industry"]) for measure in MEASURES}
    run = current_run()
    return {
        "threshold": demand_threshold(),
        "top_k": settings.MATCHING_TOP_K,
        "cold_days": cold_days(),
        "run": run.pk if run is not None else None,
        "totals": totals,
        "by_industry": by["industry"],
        "by_ipc_section": by["ipc_section"],
        "by_city": by["city"],
    }


def _in_group_needs(needs: QuerySet[TechNeed], dimension: str, key: str) -> QuerySet[TechNeed]:
    if dimension == "city":
        return needs.filter(enterprise__city_id=key)
    if dimension == "ipc_section":
        if key:
            return needs.filter(**{f"{_BEST}ipc_section": key})
        return needs.filter(Q(**{f"{_BEST}isnull": True}) | Q(**{f"{_BEST}ipc_section": ""}))
    in_industry = patents_in_industry(patents=Patent.objects.all(), category=key).values("pk")
    if key == UNCLASSIFIED:
        return needs.filter(Q(**{f"{_BEST}isnull": True}) | Q(enterprise__supply__best_patent__in=in_industry))
    return needs.filter(enterprise__supply__best_patent__in=in_industry)


def unmet_needs(*, scope: DashboardScope, dimension: str = "", key: str = "") -> QuerySet[TechNeed]:
    """The open needs no pooled patent meets (in one group when `dimension` is given), newest first."""
    needs = open_needs(scope=scope).exclude(satisfiable_q())
    if dimension in DIMENSIONS:
        needs = _in_group_needs(needs, dimension, key)
    return needs.select_related("enterprise", "enterprise__city").order_by("-created_at", "-pk")


def cold_supply(*, scope: DashboardScope, dimension: str = "", key: str = "") -> QuerySet[Patent]:
    """The scope's cold pooled patents (in one group when `dimension` is given), longest pooled first."""
    patents = pooled_patents(scope=scope)
    if dimension == "city":
        patents = patents.filter(institution__city_id=key)
    elif dimension == "ipc_section":
        patents = patents.filter(ipc_section=key)
    elif dimension == "industry":
        patents = Patent.objects.filter(pk__in=patents_in_industry(patents=patents, category=key).values("pk"))
    return cold_patents(patents=patents).select_related("institution", "institution__city")


def supply_demand_figures_cached(*, scope: DashboardScope) -> dict[str, Any]:
    """supply_demand_figures for the API, cached at most a minute (keyed by the data generation, the run, the
    threshold and the language: a live re-rank since may be a minute late)."""
    run = current_run()
    key = (
        f"dashboards:supply:{dashboard_cache_version()}:{run.pk if run else '-'}:{demand_threshold()}:"
        f"{cold_days()}:{get_language()}:{scope.key}"
    )
    figures = cache.get(key)
    if figures is None:
        figures = supply_demand_figures(scope=scope)
        cache.set(key, figures, min(cache_seconds(), 60))
    return figures

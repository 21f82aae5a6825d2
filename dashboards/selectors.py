"""Reads of the dashboards app — the public entry points; the work lives in the modules named below.

- `dashboards.scope`: who sees what (DashboardScope), the chosen filters, titles naming the active filter
- `dashboards.measures`: one queryset per measure, and which city / dates a filter means for each
- `dashboards.concordance`: the IPC → industry derivation
- `dashboards.figures` and `dashboards.responses`: every figure, aggregated from the measures
- `dashboards.cache`: the cache keys (by the generation of core.cache_generation); here `dashboard_figures_cached`
- `dashboards.tables`: the tables of the report and the exports; `dashboards.drill`: drill-down lists
- `dashboards.charts`: the chart registry the page and its script read
- `dashboards.geo`: the map of the province's cities (a city bureau: its districts), per map measure
"""

from typing import Any

from django.core.cache import cache
from django.utils import translation

from dashboards.cache import cache_seconds, figures_cache_key
from dashboards.concordance import concordance_table, industry_for_code, patent_industry, patents_in_industry
from dashboards.drill import DRILLS, drill_dockings, drill_enterprises, drill_note_key, drill_patents
from dashboards.figures import dashboard_figures, national_invention_share
from dashboards.geo import MAP_STATIC_PATH, dashboard_map, district_label, map_measure
from dashboards.scope import DashboardFilters, DashboardScope, dashboard_scope_for, dashboard_title
from dashboards.tables import DashboardTable, dashboard_tables, drill_table, report_tables

__all__ = [
    "DRILLS",
    "DashboardFilters",
    "DashboardScope",
    "DashboardTable",
    "concordance_table",
    "dashboard_figures",
    "dashboard_figures_cached",
    "dashboard_map_cached",
    "district_label",
    "map_measure",
    "MAP_STATIC_PATH",
    "dashboard_scope_for",
    "dashboard_tables",
    "dashboard_title",
    "drill_dockings",
    "drill_enterprises",
    "drill_note_key",
    "drill_patents",
    "drill_table",
    "industry_for_code",
    "national_invention_share",
    "patent_industry",
    "patents_in_industry",
    "report_tables",
]


def dashboard_figures_cached(*, scope: DashboardScope, filters: DashboardFilters) -> dict[str, Any]:
    """`dashboard_figures` through the cache, keyed by figures schema, data generation, language, scope and filters."""
    key = figures_cache_key(language=translation.get_language(), scope_key=scope.key, filters_key=filters.key)
    figures = cache.get(key)
    if figures is None:
        figures = dashboard_figures(scope=scope, filters=filters)
        cache.set(key, figures, timeout=cache_seconds())
    return figures


def dashboard_map_cached(*, scope: DashboardScope, filters: DashboardFilters, measure: str) -> dict[str, Any] | None:
    """`dashboard_map` through the cache (the figures' key plus `:map`); `measure` only picks the shading."""
    key = figures_cache_key(language=translation.get_language(), scope_key=scope.key, filters_key=filters.key) + ":map"
    data = cache.get(key)
    if data is None:
        data = dashboard_map(scope=scope, filters=filters, measure=measure)
        cache.set(key, data, timeout=cache_seconds())
    return None if data is None else {**data, "measure": measure}

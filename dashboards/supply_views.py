"""The supply-and-demand view of the dashboard (bureau staff and admins): the chart and table by industry, IPC
section or city, the drill-down lists (unmet needs, cold patents) and the Excel export. Thin: dashboards.supply."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_bureau_or_admin, require_access
from core.http import AuthedHttpRequest
from core.params import page_param
from core.supply import cold_days, demand_threshold
from dashboards.exports import XLSX_CONTENT_TYPE, tables_xlsx
from dashboards.scope import DashboardScope, dashboard_scope_for
from dashboards.supply import DIMENSIONS, cold_supply, supply_demand_figures, supply_demand_rows, unmet_needs
from dashboards.tables import DashboardTable

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000


def _scope(request: AuthedHttpRequest) -> DashboardScope:
    scope = dashboard_scope_for(user=request.user)
    if scope is None:  # pragma: no cover - bureau staff and admins always have one
        raise Http404
    return scope


def _dimension(request: AuthedHttpRequest) -> str:
    dimension = request.GET.get("dim", "industry")
    return dimension if dimension in DIMENSIONS else "industry"


def dimension_labels() -> dict[str, str]:
    return {"industry": _("战略性新兴产业"), "ipc_section": _("IPC 部"), "city": _("城市")}


def measure_headers() -> list[str]:
    return [_("开放需求"), _("可满足需求"), _("未满足需求"), _("有需求的入库专利"), _("冷门专利")]


@require_access(is_bureau_or_admin, hidden=True)
def supply_page(request: AuthedHttpRequest) -> HttpResponse:
    """供需缺口: the five measures by the chosen dimension, a chart whose bars open the drill-down lists."""
    scope = _scope(request)
    dimension = _dimension(request)
    rows = supply_demand_rows(scope=scope, dimension=dimension)
    context = {
        "scope": scope,
        "dimension": dimension,
        "dimensions": dimension_labels(),
        "dimension_label": dimension_labels()[dimension],
        "rows": rows,
        "totals": {m: sum(row[m] for row in rows) for m in ("open_needs", "satisfiable", "unmet", "cold")},
        "chart": {"rows": rows, "dimension": dimension, "labels": measure_headers()},
        "supply_top_k": settings.MATCHING_TOP_K,
        "supply_threshold": demand_threshold(),
        "cold_days": cold_days(),
    }
    return render(request, "dashboards/supply.html", context)


@require_access(is_bureau_or_admin, hidden=True)
def supply_drill_page(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    """The unmet needs (揭榜挂帅 candidates) or the cold patents of one group."""
    scope = _scope(request)
    dimension, key = request.GET.get("dim", ""), request.GET.get("key", "")[:8]
    rows = (unmet_needs if kind == "unmet" else cold_supply)(scope=scope, dimension=dimension, key=key)
    context = {
        "kind": kind,
        "page": Paginator(rows, PAGE_SIZE).get_page(page_param(request.GET)),
        "query": urlencode({"dim": dimension, "key": key}),
        "supply_top_k": settings.MATCHING_TOP_K,
        "supply_threshold": demand_threshold(),
        "cold_days": cold_days(),
    }
    return render(request, "dashboards/supply_drill.html", context)


@require_access(is_bureau_or_admin, hidden=True)
def supply_export(request: AuthedHttpRequest) -> HttpResponse:
    """The figures by each dimension and the unmet needs, one sheet each (core/exports.py: formula-safe cells)."""
    scope = _scope(request)
    figures = supply_demand_figures(scope=scope)
    measures = ("open_needs", "satisfiable", "unmet", "patents_in_demand", "cold")
    tables = [
        DashboardTable(
            slug=f"supply-{dimension}",
            title=_("供需缺口（按%(dimension)s）") % {"dimension": label},
            headers=[label, *measure_headers()],
            rows=[[row["label"], *(row[m] for m in measures)] for row in figures[f"by_{dimension}"]],
        )
        for dimension, label in dimension_labels().items()
    ]
    needs = unmet_needs(scope=scope)[:EXPORT_MAX_ROWS]
    tables.append(
        DashboardTable(
            slug="supply-unmet",
            title=_("未满足需求"),
            headers=[_("需求名称"), _("关键词"), _("需求描述"), _("企业"), _("城市"), _("发布时间")],
            rows=[
                [
                    n.title,
                    n.keywords,
                    n.description,
                    n.enterprise.name,
                    getattr(n.enterprise.city, "name", ""),
                    n.created_at.date(),
                ]
                for n in needs
            ],
        )
    )
    name = f"supply-demand-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx"
    response = HttpResponse(tables_xlsx(tables=tables), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    return response

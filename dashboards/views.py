"""Dashboard pages: the charts page, a printable report, drill-down lists and exports (thin: selectors do the work)."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_officer_bureau_or_admin, require_access
from core.http import AuthedHttpRequest
from dashboards.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, table_csv, tables_xlsx
from dashboards.forms import DashboardFilterForm
from dashboards.selectors import (
    DashboardTable,
    dashboard_figures_cached,
    dashboard_scope_for,
    dashboard_tables,
    drill_dockings,
    drill_enterprises,
    drill_patents,
    drill_table,
)

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000
DRILLS = {"patents": drill_patents, "dockings": drill_dockings, "enterprises": drill_enterprises}
CHARTS = [
    {"key": "cities", "table": "cities", "title": gettext_lazy("按城市（地级市）")},
    {"key": "institutions", "table": "institutions", "title": gettext_lazy("高校/院所排名（前 15）"), "tall": True},
    {"key": "types", "table": "types", "title": gettext_lazy("按专利类型")},
    {
        "key": "industries",
        "table": "industries",
        "title": gettext_lazy("按战略性新兴产业"),
        "note": gettext_lazy("派生分类，非官方统计口径：由 IPC 主分类号经对照表推导。"),
    },
    {"key": "funnel", "table": "funnel", "title": gettext_lazy("转化漏斗：盘点 → 入库 → 关注 → 对接 → 签约")},
    {"key": "trends", "table": "trends", "title": gettext_lazy("月度趋势：新增专利与对接请求")},
    {"key": "response_times", "table": "response_times", "title": gettext_lazy("高校首次响应时长分布")},
    {"key": "decline_reasons", "table": "decline_reasons", "title": gettext_lazy("婉拒原因")},
]
CHART_LABELS = {
    "inventoried": gettext_lazy("已盘点"),
    "pooled": gettext_lazy("已入库"),
    "signed": gettext_lazy("已签约"),
    "count": gettext_lazy("数量"),
    "patents": gettext_lazy("新增专利"),
    "dockings": gettext_lazy("对接请求"),
}
DRILL_TITLES = {"patents": "专利清单", "dockings": "对接请求清单", "enterprises": "企业清单"}


def with_dashboard_scope(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Officers, bureau staff and admins (everyone else signed in gets a 404: the page is not theirs); passes the
    user's dashboard scope and filter form to the view."""

    @require_access(is_officer_bureau_or_admin, hidden=True)
    @wraps(view)
    def wrapped(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = dashboard_scope_for(user=request.user)
        if scope is None:
            raise Http404
        form = DashboardFilterForm(request.GET or None, scope=scope)
        return view(request, *args, scope=scope, form=form, **kwargs)

    return wrapped


def _download(content: bytes, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    return response


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@with_dashboard_scope
def dashboard_page(request: HttpRequest, *, scope: Any, form: DashboardFilterForm) -> HttpResponse:
    """KPI cards, the charts and the filter form."""
    filters = form.to_filters()
    figures = dashboard_figures_cached(scope=scope, filters=filters)
    context = {
        "scope": scope,
        "form": form,
        "figures": figures,
        "query": filters.query(),
        "charts": CHARTS,
        "chart_labels": {key: str(label) for key, label in CHART_LABELS.items()},
    }
    return render(request, "dashboards/dashboard.html", context)


@with_dashboard_scope
def dashboard_report(request: HttpRequest, *, scope: Any, form: DashboardFilterForm) -> HttpResponse:
    """Every table on one printable page."""
    filters = form.to_filters()
    figures = dashboard_figures_cached(scope=scope, filters=filters)
    context = {
        "scope": scope,
        "filters": filters,
        "figures": figures,
        "tables": dashboard_tables(figures=figures),
        "generated_at": timezone.localtime(),
    }
    return render(request, "dashboards/report.html", context)


@with_dashboard_scope
def dashboard_export(
    request: HttpRequest, slug: str, file_format: str, *, scope: Any, form: DashboardFilterForm
) -> HttpResponse:
    """One table (or `all`, Excel only: every table, one sheet each) as .xlsx or .csv."""
    if file_format not in ("xlsx", "csv"):
        raise Http404
    figures = dashboard_figures_cached(scope=scope, filters=form.to_filters())
    tables = dashboard_tables(figures=figures)
    if slug != "all":
        tables = [t for t in tables if t.slug == slug]
    if not tables or (file_format == "csv" and len(tables) != 1):
        raise Http404
    return _export(tables, name=f"dashboard-{slug}-{_stamp()}", file_format=file_format)


def _export(tables: list[DashboardTable], *, name: str, file_format: str) -> HttpResponse:
    if file_format == "xlsx":
        return _download(tables_xlsx(tables=tables), name=f"{name}.xlsx", content_type=XLSX_CONTENT_TYPE)
    return _download(table_csv(table=tables[0]), name=f"{name}.csv", content_type=CSV_CONTENT_TYPE)


@with_dashboard_scope
def drill_page(request: HttpRequest, kind: str, *, scope: Any, form: DashboardFilterForm) -> HttpResponse:
    """The rows behind a chart segment, with the same filters; `?format=xlsx|csv` downloads them."""
    filters = form.to_filters()
    rows = DRILLS[kind](scope=scope, filters=filters, params=request.GET.dict())
    file_format = request.GET.get("format")
    if file_format in ("xlsx", "csv"):
        table = drill_table(kind=kind, rows=rows[:EXPORT_MAX_ROWS])
        return _export([table], name=f"{kind}-{_stamp()}", file_format=file_format)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "kind": kind,
        "title": _(DRILL_TITLES[kind]),
        "scope": scope,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "patent_list_query": _patent_list_query(request) if kind == "patents" else "",
    }
    return render(request, "dashboards/drill.html", context)


def _patent_list_query(request: HttpRequest) -> str:
    """The existing patent list supports institution, type and pooled status, not cities, industries or dates."""
    unsupported = {"city", "industry", "date_from", "date_to", "date_field"}
    if unsupported & {k for k, v in request.GET.items() if v} or request.GET.get("stage") not in (None, "", "pooled"):
        return ""
    params = {"institution": request.GET.get("institution", ""), "patent_type": request.GET.get("patent_type", "")}
    if request.GET.get("stage") == "pooled":
        params["inventory_status"] = "pooled"
    return urlencode({k: v for k, v in params.items() if v}) or "all"

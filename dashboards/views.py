"""Dashboard pages: the charts page, a printable report, drill-down lists and exports (thin: selectors do the work)."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_officer_bureau_or_admin, require_access
from core.exports import download, export_audit
from core.http import AuthedHttpRequest
from core.params import page_param
from dashboards.charts import chart_registry
from dashboards.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, table_csv, tables_xlsx
from dashboards.forms import DashboardFilterForm
from dashboards.inventory_rate import (
    college_inventory_rates,
    college_step_shares,
    inventory_rate_rows,
    inventory_rate_table,
    step_share_rows,
)
from dashboards.measures import DATE_RANGE_MEANING, MEASURE_NOTES
from dashboards.selectors import (
    DRILLS,
    MAP_STATIC_PATH,
    DashboardFilters,
    DashboardScope,
    DashboardTable,
    dashboard_figures_cached,
    dashboard_map_cached,
    dashboard_scope_for,
    dashboard_tables,
    dashboard_title,
    district_label,
    drill_note_key,
    drill_table,
    map_measure,
    report_tables,
)

PAGE_SIZE = 50
LAGGING_RATE = 0.5  # an institution below half its valid patents inventoried is flagged as lagging
EXPORT_MAX_ROWS = 100_000
EXPORT_FORMATS = ("xlsx", "csv")
DRILL_TITLES = {"patents": "专利清单", "dockings": "对接请求清单", "enterprises": "企业清单"}


def _is_export(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    return "file_format" in kwargs or request.GET.get("format") in EXPORT_FORMATS


def _invalid_filters(
    request: HttpRequest, *, scope: DashboardScope, form: DashboardFilterForm, export: bool
) -> HttpResponse:
    """A 400 for filters the form refuses: the API's JSON error for downloads, the form with its errors for pages."""
    if export:
        error = {"code": "invalid", "message": "输入有误 / Invalid input", "details": form.error_details()}
        return JsonResponse({"error": error}, status=400, json_dumps_params={"ensure_ascii": False})
    context = {"scope": scope, "form": form, "action": request.path}
    return render(request, "dashboards/invalid_filters.html", context, status=400)


def with_dashboard_scope(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Officers, bureau staff and admins with a dashboard scope (everyone else signed in gets a 404: the page is not
    theirs), with filters the form accepts (else a 400 and nothing computed)."""

    @require_access(is_officer_bureau_or_admin, hidden=True)
    @wraps(view)
    def wrapped(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = dashboard_scope_for(user=request.user)
        if scope is None:
            raise Http404
        form = DashboardFilterForm(request.GET, scope=scope)
        if not form.is_valid():
            return _invalid_filters(request, scope=scope, form=form, export=_is_export(request, kwargs))
        return view(request, *args, scope=scope, form=form, filters=form.to_filters(), **kwargs)

    return wrapped


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@with_dashboard_scope
def dashboard_page(
    request: HttpRequest, *, scope: DashboardScope, form: DashboardFilterForm, filters: DashboardFilters
) -> HttpResponse:
    """KPI cards, the charts (from the chart registry) and the filter form."""
    figures = dashboard_figures_cached(scope=scope, filters=filters)
    context = {
        "scope": scope,
        "form": form,
        "filters": filters,
        "figures": figures,
        "query": filters.query(),
        "charts": chart_registry(),
        "map": dashboard_map_cached(scope=scope, filters=filters, measure=map_measure(request.GET.get("measure"))),
        "map_geo": MAP_STATIC_PATH,
        "map_keep": parse_qsl(filters.query()),  # the filters in force, kept by the measure selector's form
        "measure_notes": MEASURE_NOTES,
        "date_range_meaning": DATE_RANGE_MEANING,
    }
    return render(request, "dashboards/dashboard.html", context)


@with_dashboard_scope
def dashboard_report(
    request: HttpRequest, *, scope: DashboardScope, form: DashboardFilterForm, filters: DashboardFilters
) -> HttpResponse:
    """Every chart (drawn as SVG, so it prints) and every table on one printable page; months with no activity are
    left out of the monthly table."""
    figures = dashboard_figures_cached(scope=scope, filters=filters)
    context = {
        "scope": scope,
        "filters": filters,
        "figures": figures,
        "charts": chart_registry(),
        "map": dashboard_map_cached(scope=scope, filters=filters, measure=map_measure(request.GET.get("measure"))),
        "map_geo": MAP_STATIC_PATH,
        "map_keep": parse_qsl(filters.query()),  # the filters in force, kept by the measure selector's form
        "tables": report_tables(figures=figures),
        "measure_notes": MEASURE_NOTES,
        "date_range_meaning": DATE_RANGE_MEANING,
        "generated_at": timezone.localtime(),
    }
    return render(request, "dashboards/report.html", context)


@with_dashboard_scope
def dashboard_export(
    request: HttpRequest,
    slug: str,
    file_format: str,
    *,
    scope: DashboardScope,
    form: DashboardFilterForm,
    filters: DashboardFilters,
) -> HttpResponse:
    """One table (or `all`, Excel only: every table, one sheet each) as .xlsx or .csv."""
    if file_format not in EXPORT_FORMATS:
        raise Http404
    figures = dashboard_figures_cached(scope=scope, filters=filters)
    tables = dashboard_tables(figures=figures)
    if slug != "all":
        tables = [t for t in tables if t.slug == slug]
    if not tables or (file_format == "csv" and len(tables) != 1):
        raise Http404
    return _export(request, tables, name=f"dashboard-{slug}-{_stamp()}", file_format=file_format)


def _export(request: HttpRequest, tables: list[DashboardTable], *, name: str, file_format: str) -> HttpResponse:
    export_audit(request, name=name, file_format=file_format, rows=sum(len(table.rows) for table in tables))
    if file_format == "xlsx":
        return download(tables_xlsx(tables=tables), name=f"{name}.xlsx", content_type=XLSX_CONTENT_TYPE)
    return download(table_csv(table=tables[0]), name=f"{name}.csv", content_type=CSV_CONTENT_TYPE)


@with_dashboard_scope
def drill_page(
    request: HttpRequest, kind: str, *, scope: DashboardScope, form: DashboardFilterForm, filters: DashboardFilters
) -> HttpResponse:
    """The rows behind a chart segment, with the same filters; `?format=xlsx|csv` downloads them."""
    params = request.GET.dict()
    rows = DRILLS[kind](scope=scope, filters=filters, params=params)
    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        table = drill_table(kind=kind, rows=rows[:EXPORT_MAX_ROWS])
        return _export(request, [table], name=f"{kind}-{_stamp()}", file_format=file_format)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "kind": kind,
        "title": _(DRILL_TITLES[kind]),
        "scope": scope,
        "heading": " · ".join(
            part
            for part in (
                dashboard_title(scope=scope, filters=filters),
                district_label(scope=scope, filters=filters, code=params.get("district", "")),
            )
            if part
        ),
        "measure_note": MEASURE_NOTES[drill_note_key(kind=kind, params=params)],
        "page": Paginator(rows, PAGE_SIZE).get_page(page_param(request.GET)),
        "query": query.urlencode(),
        "patent_list_query": _patent_list_query(request, filters) if kind == "patents" else "",
    }
    return render(request, "dashboards/drill.html", context)


@with_dashboard_scope
def inventory_rate_page(
    request: HttpRequest, *, scope: DashboardScope, form: DashboardFilterForm, filters: DashboardFilters
) -> HttpResponse:
    """Each institution's 盘点率, lagging first; with an institution chosen, its colleges; `?format=xlsx|csv`."""
    rows = inventory_rate_rows(scope=scope, filters=filters)
    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        return _export(
            request, [inventory_rate_table(rows=rows)], name=f"inventory-rate-{_stamp()}", file_format=file_format
        )
    one = rows[0] if len(rows) == 1 and (filters.institution_pk or scope.institution_pk) else None
    colleges = college_inventory_rates(institution_pk=one.pk) if one is not None and one.pk is not None else []
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "scope": scope,
        "form": form,
        "rows": rows,
        "one": one,
        "colleges": colleges,
        "step_rows": step_share_rows(scope=scope, filters=filters),
        "college_steps": college_step_shares(institution_pk=one.pk) if one is not None and one.pk is not None else [],
        "query": query.urlencode(),
        "reported": sum(1 for row in rows if row.held is not None),
        "lagging": sum(1 for row in rows if row.rate is not None and row.rate < LAGGING_RATE),
        "lagging_rate": LAGGING_RATE,
    }
    return render(request, "dashboards/inventory_rate.html", context)


def _patent_list_query(request: HttpRequest, filters: DashboardFilters) -> str:
    """The existing patent list supports institution, type and pooled status, not cities, districts, industries or
    dates."""
    unsupported = {"city", "district", "industry", "date_from", "date_to", "date_field"}
    if unsupported & {k for k, v in request.GET.items() if v} or request.GET.get("stage") not in (None, "", "pooled"):
        return ""
    # the institution the form accepted (an officer's scope is theirs already), never the raw parameter
    params = {"institution": filters.institution_pk or "", "patent_type": request.GET.get("patent_type", "")}
    if request.GET.get("stage") == "pooled":
        params["inventory_status"] = "pooled"
    return urlencode({k: v for k, v in params.items() if v}) or "all"

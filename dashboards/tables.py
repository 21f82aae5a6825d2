"""Tables: what the exports and the printable report show, built from the figures (so files show the page's numbers)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.formatting import with_hours_unit


@dataclass(frozen=True)
class DashboardTable:
    """One table of the dashboard: a slug for URLs, a Chinese title and headers, rows of plain values;
    `id_columns` hold identifiers (numbers shown without thousands separators)."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    id_columns: tuple[int, ...] = ()


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
        ("docking_patents", gettext("对接请求涉及专利(件)")),
        ("signed", gettext("已签约")),
        ("signed_patents", gettext("已签约涉及专利(件)")),
        ("signed_amount", gettext("签约金额(元)")),
        ("median_response_hours", with_hours_unit(gettext("高校首次响应中位数"))),
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
            [gettext("月份"), gettext("新增专利"), gettext("新增关注"), gettext("对接请求"), gettext("已签约")],
            [[r["month"], r["patents"], r["follows"], r["dockings"], r["signed"]] for r in figures["trends"]],
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
                with_hours_unit(gettext("首次响应时间中位数")),
                gettext("待答复"),
                gettext("超时"),
            ],
            [
                [r["label"], r["answered"], r["median_hours"], r["waiting"], r["overdue"]]
                for r in figures["response_institutions"]
            ],
        ),
    ]


def report_tables(*, figures: dict[str, Any]) -> list[DashboardTable]:
    """The printable report's tables: those of `dashboard_tables`, without the months in which nothing happened (no
    row of zeros; the exports keep every month)."""
    tables = dashboard_tables(figures=figures)
    return [
        DashboardTable(t.slug, t.title, t.headers, [r for r in t.rows if any(r[1:])], t.id_columns)
        if t.slug == "trends"
        else t
        for t in tables
    ]


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
                gettext("录入平台日期"),
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
                    timezone.localdate(p.created_at),
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
                gettext("签约日期"),
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
                    d.signed_day,
                ]
                for d in rows
            ],
            id_columns=(0,),
        )
    return DashboardTable(
        "enterprises",
        gettext("企业清单"),
        [
            gettext("企业名称"),
            gettext("统一社会信用代码"),
            gettext("城市"),
            gettext("注册日期"),
            gettext("平台注册日期"),
        ],
        [
            [e.name, e.uscc, e.city.name if e.city_id else "", e.registered_date, timezone.localdate(e.created_at)]
            for e in rows
        ],
    )

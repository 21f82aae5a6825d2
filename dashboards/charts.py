"""The chart registry: every chart of the dashboard declared once. The page renders a container per entry and
serialises the registry (json_script "dashboard-charts"); static/js/dashboard.js draws each entry from it."""

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from dashboards.measures import MEASURE_NOTES


@dataclass(frozen=True)
class Series:
    """One series of a chart: the key of the figure rows it plots and its legend label."""

    key: str
    label: str | Promise


@dataclass(frozen=True)
class Chart:
    """One chart: `key` names both the figures it draws and its container; `kind` the drawing (bar, pie, funnel,
    trend); `table` the export slug of its data; `measure` which counting rule it follows (MEASURE_NOTES)."""

    key: str
    title: str | Promise
    kind: str
    measure: str
    series: tuple[Series, ...] = ()
    table: str = ""
    note: str | Promise = ""
    horizontal: bool = False
    tall: bool = False

    def as_json(self) -> dict[str, Any]:
        """The entry as plain JSON values (lazy translations resolved), plus the measure's note."""
        data = asdict(self)
        data["title"], data["note"] = str(self.title), str(self.note)
        data["series"] = [{"key": s.key, "label": str(s.label)} for s in self.series]
        data["measure_note"] = str(MEASURE_NOTES[self.measure])
        return data


_INVENTORIED = Series("inventoried", gettext_lazy("已盘点"))
_POOLED = Series("pooled", gettext_lazy("已入库"))
_COUNT = Series("count", gettext_lazy("数量"))
CHARTS = (
    Chart("cities", gettext_lazy("按城市（地级市）"), "bar", "patents", (_INVENTORIED, _POOLED), table="cities"),
    Chart(
        "institutions",
        gettext_lazy("高校/院所排名（前 15）"),
        "bar",
        "patents",
        (_INVENTORIED, _POOLED, Series("signed", gettext_lazy("已签约"))),
        table="institutions",
        horizontal=True,
        tall=True,
    ),
    Chart("types", gettext_lazy("按专利类型"), "pie", "patents", table="types"),
    Chart(
        "industries",
        gettext_lazy("按战略性新兴产业"),
        "pie",
        "patents",
        table="industries",
        note=gettext_lazy("派生分类，非官方统计口径：由 IPC 主分类号经对照表推导。"),
    ),
    Chart(
        "funnel",
        gettext_lazy("转化漏斗：盘点 → 入库 → 关注 → 对接 → 签约"),
        "funnel",
        "patents",
        table="funnel",
        note=gettext_lazy(
            "选择日期范围时，“被关注”“有对接请求”“已签约”是范围内被关注、收到对接请求、签约的专利，"
            "不限于范围内盘点的专利，故不计占比。"
        ),
    ),
    Chart(
        "trends",
        gettext_lazy("月度趋势：新增专利、关注、对接请求与签约"),
        "trend",
        "dockings",
        (
            Series("patents", gettext_lazy("新增专利")),
            Series("follows", gettext_lazy("新增关注")),
            Series("dockings", gettext_lazy("对接请求")),
            Series("signed", gettext_lazy("已签约")),
        ),
        table="trends",
        note=gettext_lazy(
            "专利按所选日期口径计入月份（未选日期范围时按录入平台日期），关注按关注日期，对接请求按提交日期，"
            "签约按签约日期。"
        ),
    ),
    Chart("response_times", gettext_lazy("高校首次响应时长分布"), "bar", "dockings", (_COUNT,), table="response_times"),
    Chart(
        "decline_reasons",
        gettext_lazy("婉拒原因"),
        "bar",
        "dockings",
        (_COUNT,),
        table="decline_reasons",
        horizontal=True,
    ),
)


def chart_registry() -> list[dict[str, Any]]:
    """Every chart as JSON for the page (in the active language)."""
    return [chart.as_json() for chart in CHARTS]

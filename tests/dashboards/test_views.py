"""Dashboard pages, exports and API: access by role, the same numbers everywhere, formula-safe files."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.selectors import DashboardFilters, dashboard_figures, dashboard_scope_for
from patents.models import Institution, Patent

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","点我")'


def _sheet_rows(content: bytes, title: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook[title].iter_rows(values_only=True))


@pytest.mark.parametrize("who", ["bureau", "city_bureau", "hust_officer", "platform_admin"])
def test_dashboard_page_for_roles_with_a_scope(client, request, who, demo):
    # given
    client.force_login(request.getfixturevalue(who))

    # when
    response = client.get(reverse("dashboards:dashboard"))

    # then
    assert response.status_code == 200
    assert "vendor/echarts/echarts.min.js" in response.content.decode()
    assert "派生分类，非官方统计口径" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboards:dashboard"),
        reverse("dashboards:report"),
        reverse("dashboards:export", args=["kpis", "xlsx"]),
        reverse("dashboards:drill_patents"),
        reverse("dashboards-api:figures"),
    ],
)
def test_enterprise_members_get_404(client, enterprise_member, url):
    # given
    client.force_login(enterprise_member)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client):
    # when
    response = client.get(reverse("dashboards:dashboard"))

    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_city_bureau_page_shows_only_its_city(client, demo, yichang_bureau):
    # given
    client.force_login(yichang_bureau)

    # when
    response = client.get(reverse("dashboards:dashboard"), {"city": "4201"})  # not its city: ignored

    # then
    figures = response.context["figures"]
    assert figures["kpis"]["inventoried"] == Patent.objects.filter(institution__city_id="4205").count() == 3
    assert [r["code"] for r in figures["cities"]] == ["4205"]


def test_workbook_has_every_table_with_the_page_numbers(client, demo, bureau):
    # given
    client.force_login(bureau)
    figures = dashboard_figures(scope=dashboard_scope_for(user=bureau), filters=DashboardFilters())

    # when
    response = client.get(reverse("dashboards:export", args=["all", "xlsx"]))

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "核心指标",
        "转化漏斗",
        "按城市",
        "高校_院所排名",
        "按专利类型",
        "按战略性新兴产业（派生分类，非官方统计口径）",
        "月度趋势",
        "首次响应时长分布",
        "婉拒原因",
        "高校响应时间",
    ]
    kpis = dict(_sheet_rows(response.content, "核心指标")[1:])
    assert kpis["已盘点专利"] == figures["kpis"]["inventoried"] == 15
    assert kpis["已入库专利"] == figures["kpis"]["pooled"] == 10
    assert kpis["签约金额(元)"] == 2000000.0
    assert _sheet_rows(response.content, "按城市") == [
        ("城市", "已盘点", "已入库"),
        ("武汉市", 10, 7),
        ("宜昌市", 3, 2),
        ("襄阳市", 2, 1),
    ]
    assert _sheet_rows(response.content, "转化漏斗")[1:] == [
        (r["label"], r["count"], r["share"]) for r in figures["funnel"]
    ]


def test_exports_never_carry_formulas(client, demo, bureau):
    # given
    hust = demo.institutions["华中科技大学"]
    Institution.objects.filter(pk=hust.pk).update(name=HOSTILE)
    Patent.objects.filter(institution=hust).update(title="+SUM(A1:A9)")
    client.force_login(bureau)

    # when
    workbook_bytes = client.get(reverse("dashboards:export", args=["institutions", "xlsx"])).content
    csv_text = client.get(reverse("dashboards:export", args=["institutions", "csv"])).content.decode("utf-8-sig")
    drill = client.get(reverse("dashboards:drill_patents"), {"institution": hust.pk, "format": "xlsx"}).content

    # then
    rows = _sheet_rows(workbook_bytes, "高校_院所排名")
    assert rows[1] == ("'" + HOSTILE, 6, 4, 1)
    assert list(csv.reader(io.StringIO(csv_text)))[1] == ["'" + HOSTILE, "6", "4", "1"]
    drill_rows = _sheet_rows(drill, "专利清单")
    assert len(drill_rows) == 7
    assert {row[1] for row in drill_rows[1:]} == {"'+SUM(A1:A9)"}
    assert {row[6] for row in drill_rows[1:]} == {"'" + HOSTILE}
    for content in (workbook_bytes, drill):
        for sheet in load_workbook(io.BytesIO(content)).worksheets:
            assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []


def test_csv_export_of_one_table_has_chinese_headers(client, demo, bureau):
    # given
    client.force_login(bureau)

    # when
    response = client.get(reverse("dashboards:export", args=["types", "csv"]))

    # then
    assert response.content.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [
        ["专利类型", "专利数"],
        ["发明", "9"],
        ["实用新型", "4"],
        ["外观设计", "2"],
    ]


def test_unknown_export_is_404(client, bureau):
    # given
    client.force_login(bureau)

    # when
    responses = [
        client.get(reverse("dashboards:export", args=["nope", "xlsx"])),
        client.get(reverse("dashboards:export", args=["all", "csv"])),
        client.get(reverse("dashboards:export", args=["kpis", "pdf"])),
    ]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404]


def test_printable_report_lists_every_table(client, demo, bureau):
    # given
    client.force_login(bureau)

    # when
    response = client.get(reverse("dashboards:report"))

    # then
    assert response.status_code == 200
    assert [t.slug for t in response.context["tables"]] == [
        "kpis",
        "funnel",
        "cities",
        "institutions",
        "types",
        "industries",
        "trends",
        "response_times",
        "decline_reasons",
        "response_institutions",
    ]
    # the print rules come with the page's style sheet (no inline <style> under the Content-Security-Policy)
    assert f'<link rel="stylesheet" href="{static("css/dashboards.css")}">' in response.content.decode()
    assert "@media print" in Path(finders.find("css/dashboards.css")).read_text(encoding="utf-8")


def test_drill_down_page_counts_and_scope(client, demo, hust_officer):
    # given
    client.force_login(hust_officer)

    # when
    response = client.get(reverse("dashboards:drill_patents"), {"stage": "followed"})

    # then
    assert response.context["page"].paginator.count == 4
    assert {p.institution.name for p in response.context["page"].object_list} == {"华中科技大学"}


def test_api_returns_the_figures(client_for, demo, city_bureau):
    # when
    response = client_for(city_bureau).get(reverse("dashboards-api:figures"))

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"level": "city", "label": "武汉市", "title": "武汉市"}
    assert body["kpis"]["inventoried"] == Patent.objects.filter(institution__city_id="4201").count() == 10
    assert [r["code"] for r in body["funnel"]] == ["inventoried", "pooled", "followed", "docking", "signed"]

"""The bureau's figures read right: thousands separators on the KPI cards, drill-down lists and the report, one
unit for response times, and exports whose numbers stay numbers (Excel shows separators, CSV stays plain)."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from patents.models import InventoryStatus, Patent, PatentType

pytestmark = pytest.mark.django_db

EXTRA_PATENTS = 1200  # with the demo's 15: 1,215 inventoried


@pytest.fixture
def many_patents(demo):
    institution = demo.institutions["华中科技大学"]
    Patent.objects.bulk_create(
        Patent(
            application_number=f"2025{n:08d}.X",
            title=f"一种储能电池管理方法{n}",
            patent_type=PatentType.INVENTION,
            institution=institution,
            inventory_status=InventoryStatus.INVENTORIED,
        )
        for n in range(EXTRA_PATENTS)
    )
    return demo


def _kpi(html: str, key: str) -> str:
    """The card's figure and note as text (the template's line breaks between and inside its elements ignored)."""
    match = re.search(rf'data-kpi="{key}">.*?<strong>(.*?)</strong>(.*?)</div>', re.sub(r">\s+<", "><", html), re.S)
    assert match, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1) + match.group(2))).strip()


def test_kpi_cards_group_thousands_in_chinese(client, many_patents, bureau):
    # given
    client.force_login(bureau)

    # when
    html = client.get(reverse("dashboards:dashboard")).content.decode()

    # then
    assert _kpi(html, "inventoried") == "1,215"
    assert _kpi(html, "signed") == "2涉及专利 2 件 · 合同金额 ¥2,000,000"
    assert _kpi(html, "median_response_hours").startswith("200.0 小时")


def test_kpi_cards_in_english_use_the_same_separators_and_h(client, many_patents, bureau):
    # given
    client.force_login(bureau)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    # when
    html = client.get(reverse("dashboards:dashboard")).content.decode()

    # then
    assert _kpi(html, "inventoried") == "1,215"
    assert _kpi(html, "median_response_hours").startswith("200.0 h")
    assert '"label": "\\u226424 h"' in html  # ≤24 h: the response-time chart's buckets, as the page serialises them


def test_drill_down_count_and_report_group_thousands(client, many_patents, bureau):
    # given
    client.force_login(bureau)

    # when
    drill = client.get(reverse("dashboards:drill_patents")).content.decode()
    report = client.get(reverse("dashboards:report")).content.decode()

    # then
    assert '<p class="muted" data-testid="drill-count">共 1,215 条</p>' in drill
    assert '<td>已盘点专利</td><td class="num">1,215</td>' in report
    assert '<td>签约金额(元)</td><td class="num">2,000,000.00</td>' in report
    assert '<td>高校首次响应中位数(小时)</td><td class="num">200.0</td>' in report


def test_excel_cells_are_numbers_with_a_separator_format_and_csv_stays_plain(client, many_patents, bureau):
    # given
    client.force_login(bureau)

    # when
    workbook = load_workbook(io.BytesIO(client.get(reverse("dashboards:export", args=["kpis", "xlsx"])).content))
    csv_text = client.get(reverse("dashboards:export", args=["kpis", "csv"])).content.decode("utf-8-sig")
    dockings = load_workbook(io.BytesIO(client.get(reverse("dashboards:drill_dockings"), {"format": "xlsx"}).content))

    # then
    cells = {row[0].value: row[1] for row in workbook["核心指标"].iter_rows(min_row=2)}
    assert (cells["已盘点专利"].value, cells["已盘点专利"].number_format) == (1215, "#,##0")
    assert (cells["签约金额(元)"].value, cells["签约金额(元)"].number_format) == (2000000.0, "#,##0.00")
    assert (cells["高校首次响应中位数(小时)"].value, cells["高校首次响应中位数(小时)"].number_format) == (
        200.0,
        "#,##0.0#",
    )
    assert ["已盘点专利", "1215"] in list(csv.reader(io.StringIO(csv_text)))
    first = next(dockings["对接请求清单"].iter_rows(min_row=2))
    assert (isinstance(first[0].value, int), first[0].number_format) == (True, "General")  # an id, not a count

"""The inventory's export: the filtered rows in the page's order, typed cells, formula-safe, only the own
institution's patents."""

from datetime import date, datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from patents.forms import PatentInventoryFilterSet
from patents.selectors import patent_list
from tests.export_files import csv_rows, formula_cells, xlsx_cells, xlsx_rows
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db

FILTERS = {"inventory_status": "pooled", "o": "-application_date"}


@pytest.fixture
def inventory(institution, other_institution):
    """Three pooled and one inventoried patent of the institution (one titled like a formula), one of another."""
    for i, day in enumerate((date(2019, 3, 1), date(2021, 7, 9), date(2020, 1, 15))):
        PatentFactory(institution=institution, application_date=day, title=f"一种传感器{i}")
    PatentFactory(institution=institution, application_date=date(2022, 2, 2), title='=HYPERLINK("http://x")')
    PatentFactory(institution=institution, inventory_status="inventoried", application_date=date(2023, 1, 1))
    PatentFactory(institution=other_institution, application_date=date(2024, 1, 1), title="武大的专利")


def _on_screen(officer) -> list[str]:
    query = QueryDict(mutable=True)
    query.update(FILTERS)
    filterset = PatentInventoryFilterSet(query, queryset=patent_list(user=officer))
    return [p.application_number for p in filterset.qs]


def test_inventory_xlsx_has_the_filtered_rows_in_order_typed(client, officer, inventory):
    # given
    client.force_login(officer)

    # when
    page = client.get(reverse("patents:inventory"), FILTERS)
    response = client.get(reverse("patents:inventory"), {**FILTERS, "format": "xlsx"})

    # then
    rows = xlsx_rows(response)
    assert rows[0] == [
        "申请号",
        "专利名称",
        "专利类型",
        "申请日",
        "法律状态",
        "价值等级",
        "转化方式",
        "盘点状态",
        "未入库原因",
        "更新时间",
    ]
    assert [r[0] for r in rows[1:]] == _on_screen(officer)
    assert [r[0] for r in rows[1:]] == [p.application_number for p in page.context["page"].object_list]
    assert [r[3] for r in rows[1:]] == [
        datetime(2022, 2, 2),
        datetime(2021, 7, 9),
        datetime(2020, 1, 15),
        datetime(2019, 3, 1),
    ]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert {r[7] for r in rows[1:]} == {"已入库"}
    assert "武大的专利" not in {r[1] for r in rows[1:]}
    cells = xlsx_cells(response)[1]
    assert (cells[3].data_type, cells[3].number_format) == ("d", "yyyy-mm-dd")
    assert cells[9].data_type == "d"
    assert formula_cells(response) == []


def test_inventory_csv_matches_and_page_offers_both_links(client, officer, inventory):
    # given
    client.force_login(officer)

    # when
    page = client.get(reverse("patents:inventory"), FILTERS)
    response = client.get(reverse("patents:inventory"), {**FILTERS, "format": "csv"})

    # then
    rows = csv_rows(response)
    assert [r[0] for r in rows[1:]] == _on_screen(officer)
    assert [r[3] for r in rows[1:]] == ["2022-02-02", "2021-07-09", "2020-01-15", "2019-03-01"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    html = page.content.decode()
    assert 'href="?inventory_status=pooled&amp;o=-application_date&amp;format=xlsx"' in html
    assert 'href="?inventory_status=pooled&amp;o=-application_date&amp;format=csv"' in html
    assert "最多 10,000 行" in html


def test_inventory_export_is_the_own_institutions_only(client, other_officer, inventory):
    # given
    client.force_login(other_officer)

    # when
    rows = xlsx_rows(client.get(reverse("patents:inventory"), {"format": "xlsx"}))

    # then
    assert [r[1] for r in rows[1:]] == ["武大的专利"]


def test_inventory_export_with_a_refused_filter_is_a_400(client, officer, inventory):
    # given
    client.force_login(officer)

    # when
    response = client.get(reverse("patents:inventory"), {"application_year": "abc", "format": "csv"})

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert list(body["error"]["details"]) == ["application_year"]

"""盘点率: each institution's inventoried valid patents against the valid patents it reports holding, lagging first;
the figures equal direct queries, every scope sees its own institutions only."""

from datetime import date

import pytest
from django.urls import reverse

from core.models import City
from dashboards.inventory_rate import inventory_rate_rows
from dashboards.scope import DashboardFilters, dashboard_scope_for
from patents.models import College, Institution, Patent
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db
RATE_STATUSES = ["valid", "unknown"]


@pytest.fixture
def inventories(institution, other_institution):
    # HUST holds 10 and has 6 counted (2 pooled); WHU holds 4 and has 3 counted (3 pooled); 三峡大学 reports nothing
    yichang = Institution.objects.create(name="三峡大学", moe_code="4142011075", city=City.objects.get(code="4205"))
    institution.patents_held, institution.patents_held_on = 10, date(2026, 6, 30)
    institution.save()
    other_institution.patents_held = 4
    other_institution.save()
    college = College.objects.create(institution=institution, name="计算机学院")
    for legal, status, n, college_of in [
        ("valid", "pooled", 2, college),
        ("valid", "inventoried", 3, None),
        ("unknown", "not_pooled", 1, college),
        ("invalid", "pooled", 4, None),  # lapsed: on neither side
        ("pending", "inventoried", 2, None),  # an application: on neither side
    ]:
        PatentFactory.create_batch(
            n, institution=institution, legal_status=legal, inventory_status=status, college=college_of
        )
    PatentFactory.create_batch(3, institution=other_institution, legal_status="valid", inventory_status="pooled")
    PatentFactory.create_batch(2, institution=yichang, legal_status="valid", inventory_status="inventoried")
    return institution, other_institution, yichang


def _direct(institution: Institution) -> tuple[int, int]:
    counted = Patent.objects.filter(institution=institution, legal_status__in=RATE_STATUSES)
    return counted.count(), counted.filter(inventory_status="pooled").count()


def test_the_figures_equal_direct_queries_and_the_lagging_come_first(inventories, bureau):
    # given
    hust, whu, yichang = inventories
    # when
    rows = inventory_rate_rows(scope=dashboard_scope_for(user=bureau), filters=DashboardFilters())
    # then: HUST 6/10 lags WHU 3/4; 三峡大学 has not reported, so it comes last without a rate
    assert [row.name for row in rows] == ["华中科技大学", "武汉大学", "三峡大学"]
    for row, institution in zip(rows, (hust, whu, yichang), strict=True):
        assert (row.inventoried, row.pooled) == _direct(institution)
        assert row.held == institution.patents_held
    assert [row.rate for row in rows] == [6 / 10, 3 / 4, None]
    assert [row.pooled_share for row in rows] == [2 / 6, 1.0, 0.0]


def test_bureau_page_lists_every_institution_and_drills_into_colleges(client, inventories, bureau):
    # given
    hust = inventories[0]
    client.force_login(bureau)
    # when
    page = client.get(reverse("dashboards:inventory_rate"))
    drill = client.get(reverse("dashboards:inventory_rate"), {"institution": hust.pk})
    # then
    assert page.status_code == 200
    assert [row.name for row in page.context["rows"]] == ["华中科技大学", "武汉大学", "三峡大学"]
    assert (page.context["reported"], page.context["lagging"]) == (2, 0)
    assert "未填报" in page.content.decode()
    colleges = {(c.name, c.inventoried, c.pooled) for c in drill.context["colleges"]}
    computer = Patent.objects.filter(institution=hust, college__name="计算机学院", legal_status__in=RATE_STATUSES)
    no_college = Patent.objects.filter(institution=hust, college=None, legal_status__in=RATE_STATUSES)
    assert colleges == {
        ("计算机学院", computer.count(), computer.filter(inventory_status="pooled").count()),
        ("", no_college.count(), no_college.filter(inventory_status="pooled").count()),
    }
    assert "未指定学院" in drill.content.decode()


def test_city_staff_see_their_city_and_officers_their_own_institution(client, inventories, city_bureau, officer):
    # given
    _hust, _whu, yichang = inventories
    # when
    client.force_login(city_bureau)
    city_page = client.get(reverse("dashboards:inventory_rate"))
    outside = client.get(reverse("dashboards:inventory_rate"), {"institution": yichang.pk})
    client.force_login(officer)
    own_page = client.get(reverse("dashboards:inventory_rate"))
    # then
    assert [row.name for row in city_page.context["rows"]] == ["华中科技大学", "武汉大学"]
    assert outside.status_code == 400
    assert [row.name for row in own_page.context["rows"]] == ["华中科技大学"]
    assert [c.name for c in own_page.context["colleges"]] == ["计算机学院", ""]


def test_enterprise_members_do_not_get_the_page(client, inventories, enterprise_member):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.get(reverse("dashboards:inventory_rate"))
    # then
    assert response.status_code == 404


def test_the_csv_export_holds_the_same_rows(client, inventories, bureau):
    # given
    client.force_login(bureau)
    # when
    response = client.get(reverse("dashboards:inventory_rate"), {"format": "csv"})
    # then
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert response.status_code == 200
    assert lines[0].split(",")[:6] == ["高校/院所", "城市", "持有有效专利", "统计日期", "已盘点（有效）", "盘点率"]
    assert lines[1].split(",")[:6] == ["华中科技大学", "武汉市", "10", "2026-06-30", "6", "0.6"]
    assert lines[3].split(",")[:6] == ["三峡大学", "宜昌市", "", "", "2", ""]

"""One definition per measure: every KPI, funnel stage, chart segment and drill-down count of the dashboard equals a
direct ORM query, for the province, a city and an institution — with requests that cross city lines."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse

from dashboards.selectors import (
    DashboardFilters,
    dashboard_figures,
    dashboard_scope_for,
    drill_dockings,
    drill_enterprises,
    drill_patents,
)
from enterprises.models import DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from patents.models import Patent
from tests.dashboards.demo import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def crossing(demo):
    """A 宜昌 enterprise signed with a 武汉 university, and a need-based request (no patent) signed in 宜昌."""
    yichang_enterprise = demo.enterprises["宜昌清源环保科技有限公司"]
    hust_patent = demo.patents["一种数控机床夹具"]
    common = {"submitted_at": NOW - timedelta(days=40), "expires_at": NOW + timedelta(days=20)}
    DockingRequest.objects.create(
        enterprise=yichang_enterprise,
        institution=hust_patent.institution,
        patent=hust_patent,
        status=DockingStatus.SIGNED,
        signed_amount=Decimal("50000.00"),
        responded_at=NOW - timedelta(days=39),
        **common,
    )
    need = TechNeed.objects.create(enterprise=yichang_enterprise, title="污泥资源化")
    DockingRequest.objects.create(
        kind=DockingRequest.Kind.NEED,
        enterprise=yichang_enterprise,
        institution=demo.institutions["三峡大学"],
        need=need,
        status=DockingStatus.SIGNED,
        signed_amount=Decimal("30000.00"),
        responded_at=NOW - timedelta(days=38),
        **common,
    )
    return demo


def _direct(patents: QuerySet, dockings: QuerySet, enterprises: QuerySet) -> dict:
    """The figures recomputed from plain ORM queries (the documented rule: patents and requests by the university,
    enterprises by their own city)."""
    signed = dockings.filter(status=DockingStatus.SIGNED)
    return {
        "kpis": {
            "inventoried": patents.count(),
            "pooled": patents.filter(inventory_status="pooled").count(),
            "enterprises": enterprises.count(),
            "following": enterprises.filter(follows__isnull=False).distinct().count(),
            "with_needs": enterprises.filter(needs__isnull=False).distinct().count(),
            "docking_requests": dockings.count(),
            "signed": signed.count(),
            "signed_amount": signed.aggregate(s=Sum("signed_amount"))["s"] or Decimal("0"),
            "signed_patents": patents.filter(docking_requests__in=signed).distinct().count(),
        },
        "funnel": {
            "inventoried": patents.count(),
            "pooled": patents.filter(inventory_status="pooled").count(),
            "followed": patents.filter(follows__isnull=False).distinct().count(),
            "docking": patents.filter(docking_requests__in=dockings).distinct().count(),
            "signed": patents.filter(docking_requests__in=signed).distinct().count(),
        },
        "types": {kind: patents.filter(patent_type=kind).count() for kind in ("invention", "utility_model", "design")},
        "declined": dockings.filter(status=DockingStatus.DECLINED).count(),
    }


CASES = {
    "province": (lambda demo: Q(), lambda demo: Q(), {}),
    "city 宜昌": (lambda demo: Q(institution__city_id="4205"), lambda demo: Q(city_id="4205"), {"city_code": "4205"}),
    "institution 华中科技大学": (
        lambda demo: Q(institution=demo.institutions["华中科技大学"]),
        lambda demo: (
            Q(follows__patent__institution=demo.institutions["华中科技大学"])
            | Q(docking_requests__institution=demo.institutions["华中科技大学"])
        ),
        {"institution": "华中科技大学"},
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_every_figure_and_drill_down_equals_a_direct_query(crossing, bureau, case):
    # given
    demo = crossing
    patent_q, enterprise_q, filter_args = CASES[case]
    if "institution" in filter_args:
        filter_args = {"institution_pk": demo.institutions[filter_args["institution"]].pk}
    filters = DashboardFilters(**filter_args)
    scope = dashboard_scope_for(user=bureau)
    expected = _direct(
        Patent.objects.filter(patent_q(demo)),
        DockingRequest.objects.filter(patent_q(demo)),
        Enterprise.objects.filter(enterprise_q(demo)).distinct(),
    )

    # when
    figures = dashboard_figures(scope=scope, filters=filters)

    # then: KPIs, funnel, types
    assert {key: figures["kpis"][key] for key in expected["kpis"]} == expected["kpis"]
    assert {row["code"]: row["count"] for row in figures["funnel"]} == expected["funnel"]
    assert {row["code"]: row["count"] for row in figures["types"]} == expected["types"]
    assert figures["funnel"][4]["count"] == figures["kpis"]["signed_patents"]
    # then: every drill-down list has the count of the figure it opens
    for row in figures["funnel"]:
        assert drill_patents(scope=scope, filters=filters, params={"stage": row["code"]}).count() == row["count"]
    for row in figures["types"]:
        assert drill_patents(scope=scope, filters=filters, params={"patent_type": row["code"]}).count() == row["count"]
    for row in figures["cities"]:
        by_city = DashboardFilters(**{**filter_args, "city_code": row["code"]})
        assert drill_patents(scope=scope, filters=by_city, params={}).count() == row["inventoried"]
    for params, kpi in (({}, "docking_requests"), ({"status": "signed"}, "signed")):
        assert drill_dockings(scope=scope, filters=filters, params=params).count() == figures["kpis"][kpi]
    for row in figures["response_times"]:
        assert drill_dockings(scope=scope, filters=filters, params={"bucket": row["code"]}).count() == row["count"]
    for row in figures["decline_reasons"]:
        params = {"status": "declined", "decline_reason": row["code"]}
        assert drill_dockings(scope=scope, filters=filters, params=params).count() == row["count"]
    assert sum(row["count"] for row in figures["decline_reasons"]) == expected["declined"]
    for params, kpi in (
        ({}, "enterprises"),
        ({"stage": "following"}, "following"),
        ({"stage": "with_needs"}, "with_needs"),
    ):
        assert drill_enterprises(scope=scope, filters=filters, params=params).count() == figures["kpis"][kpi]


def test_city_kpi_funnel_and_drill_down_agree_for_yichang(client, crossing, yichang_bureau):
    # given
    client.force_login(yichang_bureau)

    # when
    page = client.get(reverse("dashboards:dashboard"))
    drill = client.get(reverse("dashboards:drill_dockings"), {"status": "signed"})

    # then: the 宜昌 enterprise's deal with 华中科技大学 counts in 武汉 (the university's city), not here
    kpis, funnel = page.context["figures"]["kpis"], page.context["figures"]["funnel"]
    assert (kpis["docking_requests"], kpis["signed"], kpis["signed_patents"], funnel[4]["count"]) == (3, 2, 1, 1)
    assert drill.context["page"].paginator.count == 2
    assert "对接请求按被请求高校/院所所在城市统计" in page.content.decode()
    assert PatentFollow.objects.count() == 8

"""Every dashboard figure against a direct ORM query on the demo-like fixture, in each scope."""

import statistics
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from dashboards.selectors import (
    DashboardFilters,
    dashboard_figures,
    dashboard_figures_cached,
    dashboard_scope_for,
    drill_dockings,
    drill_enterprises,
    drill_patents,
)
from enterprises.models import DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from enterprises.selectors.docking import docking_decline_reason_counts, institution_response_times
from patents.models import Institution, Patent
from patents.services import patents_unpool

pytestmark = pytest.mark.django_db


def _figures(user, **filters):
    return dashboard_figures(scope=dashboard_scope_for(user=user), filters=DashboardFilters(**filters))


def test_province_kpis_match_direct_queries(demo, bureau):
    # given
    patents = Patent.objects.all()
    signed = DockingRequest.objects.filter(status=DockingStatus.SIGNED)
    medians = [r.median_hours for r in institution_response_times() if r.median_hours is not None]

    # when
    kpis = _figures(bureau)["kpis"]

    # then
    assert kpis == {
        "institutions": Institution.objects.filter(patents__isnull=False).distinct().count(),
        "inventoried": patents.count(),
        "pooled": patents.filter(inventory_status="pooled").count(),
        "inventions": patents.filter(patent_type="invention").count(),
        "invention_share": round(100 * patents.filter(patent_type="invention").count() / patents.count(), 1),
        "national_invention_share": 25.2,
        "enterprises": Enterprise.objects.count(),
        "following": Enterprise.objects.filter(follows__isnull=False).distinct().count(),
        "with_needs": Enterprise.objects.filter(needs__isnull=False).distinct().count(),
        "docking_requests": DockingRequest.objects.count(),
        "docking_patents": patents.filter(docking_requests__isnull=False).distinct().count(),
        "signed": signed.count(),
        "signed_amount": signed.aggregate(s=Sum("signed_amount"))["s"],
        "signed_patents": patents.filter(docking_requests__status=DockingStatus.SIGNED).distinct().count(),
        "median_response_hours": round(statistics.median(medians), 1),
    }
    assert (kpis["institutions"], kpis["inventoried"], kpis["pooled"], kpis["inventions"]) == (4, 15, 10, 9)
    assert (kpis["enterprises"], kpis["following"], kpis["with_needs"]) == (6, 5, 2)
    assert (kpis["docking_requests"], kpis["signed"], kpis["signed_amount"]) == (8, 2, Decimal("2000000.00"))


def test_national_reference_is_configurable(demo, bureau, settings):
    # given
    settings.DASHBOARD_NATIONAL_INVENTION_SHARE = 31.5

    # when
    kpis = _figures(bureau)["kpis"]

    # then
    assert kpis["national_invention_share"] == 31.5


def test_funnel_matches_direct_queries(demo, bureau):
    # when
    funnel = {stage["code"]: stage["count"] for stage in _figures(bureau)["funnel"]}

    # then
    assert funnel == {
        "inventoried": Patent.objects.count(),
        "pooled": Patent.objects.filter(inventory_status="pooled").count(),
        "followed": Patent.objects.filter(follows__isnull=False).distinct().count(),
        "docking": Patent.objects.filter(docking_requests__isnull=False).distinct().count(),
        "signed": Patent.objects.filter(docking_requests__status="signed").distinct().count(),
    }
    assert list(funnel.values()) == [15, 10, 8, 8, 2]


def test_city_institution_and_type_charts_match_direct_queries(demo, bureau):
    # when
    figures = _figures(bureau)

    # then
    assert [(r["code"], r["inventoried"], r["pooled"]) for r in figures["cities"]] == [
        (
            code,
            Patent.objects.filter(institution__city_id=code).count(),
            Patent.objects.filter(institution__city_id=code, inventory_status="pooled").count(),
        )
        for code in ("4201", "4205", "4206")
    ]
    assert [(r["label"], r["inventoried"], r["signed"]) for r in figures["institutions"]] == [
        ("华中科技大学", 6, 1),
        ("武汉大学", 4, 0),
        ("三峡大学", 3, 1),
        ("湖北文理学院", 2, 0),
    ]
    assert {r["code"]: r["count"] for r in figures["types"]} == {
        kind: Patent.objects.filter(patent_type=kind).count() for kind in ("invention", "utility_model", "design")
    }


def test_city_bureau_sees_only_its_city(demo, yichang_bureau):
    # when
    figures = _figures(yichang_bureau)

    # then
    in_city = Patent.objects.filter(institution__city_id="4205")
    city_dockings = DockingRequest.objects.filter(institution__city_id="4205")  # the university's city
    assert figures["scope"] == {"level": "city", "label": "宜昌市", "title": "宜昌市"}
    assert figures["kpis"]["inventoried"] == in_city.count() == 3
    assert figures["kpis"]["enterprises"] == Enterprise.objects.filter(city_id="4205").count() == 2
    assert figures["kpis"]["docking_requests"] == city_dockings.count() == 2
    assert [r["code"] for r in figures["cities"]] == ["4205"]
    assert [r["label"] for r in figures["institutions"]] == ["三峡大学"]


def test_officer_sees_only_their_institution(demo, hust_officer):
    # given
    hust = demo.institutions["华中科技大学"]

    # when
    figures = _figures(hust_officer)

    # then
    engaged = Enterprise.objects.filter(
        Q(follows__patent__institution=hust) | Q(docking_requests__institution=hust)
    ).distinct()
    assert figures["kpis"]["inventoried"] == Patent.objects.filter(institution=hust).count() == 6
    assert figures["kpis"]["institutions"] == 1
    assert figures["kpis"]["enterprises"] == engaged.count() == 2
    assert figures["kpis"]["docking_requests"] == DockingRequest.objects.filter(institution=hust).count() == 4
    assert [r["label"] for r in figures["institutions"]] == ["华中科技大学"]


def test_enterprise_member_has_no_dashboard(demo, enterprise_member):
    # when
    scope = dashboard_scope_for(user=enterprise_member)

    # then
    assert scope is None


def test_city_and_date_filters(demo, bureau):
    # when
    wuhan = _figures(bureau, city_code="4201")
    since_2023 = _figures(bureau, date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))

    # then
    assert wuhan["kpis"]["inventoried"] == Patent.objects.filter(institution__city_id="4201").count() == 10
    assert since_2023["kpis"]["inventoried"] == Patent.objects.filter(application_date__year=2023).count() == 5


def test_institution_filter(demo, bureau):
    # given
    whu = demo.institutions["武汉大学"]

    # when
    figures = _figures(bureau, institution_pk=whu.pk)

    # then
    assert figures["kpis"]["inventoried"] == Patent.objects.filter(institution=whu).count() == 4
    assert figures["kpis"]["docking_requests"] == DockingRequest.objects.filter(institution=whu).count() == 1


def test_response_distribution_and_declines(demo, bureau):
    # given
    hours = [
        (d.responded_at - d.submitted_at).total_seconds() / 3600
        for d in DockingRequest.objects.filter(responded_at__isnull=False)
    ]

    # when
    figures = _figures(bureau)

    # then
    assert {r["code"]: r["count"] for r in figures["response_times"]} == {
        "le24": sum(h <= 24 for h in hours),
        "le72": sum(24 < h <= 72 for h in hours),
        "le168": sum(72 < h <= 168 for h in hours),
        "le336": sum(168 < h <= 336 for h in hours),
        "gt336": sum(h > 336 for h in hours),
        "waiting": DockingRequest.objects.filter(status="submitted", responded_at__isnull=True).count(),
    }
    assert {r["code"]: r["count"] for r in figures["decline_reasons"]} == docking_decline_reason_counts(user=bureau)
    assert {r["code"]: r["count"] for r in figures["decline_reasons"] if r["count"]} == {"price": 2, "maturity": 1}


def test_monthly_trend_counts_every_row(demo, bureau):
    # when
    trends = _figures(bureau, date_from=date(2025, 11, 1), date_to=date(2026, 5, 31), date_field="created")["trends"]

    # then
    assert [r["month"] for r in trends] == ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert sum(r["patents"] for r in trends) == Patent.objects.count()
    assert sum(r["dockings"] for r in trends) == DockingRequest.objects.count()
    assert sum(r["follows"] for r in trends) == PatentFollow.objects.count() > 0
    signed = DockingRequest.objects.filter(status="signed")
    assert sum(r["signed"] for r in trends) == signed.count() > 0
    # each series counts its rows in the month of its own date
    for row in trends:
        year, month = (int(part) for part in row["month"].split("-"))
        assert row["signed"] == signed.filter(signed_date__year=year, signed_date__month=month).count()


def test_drill_down_lists_match_the_chart_segments(demo, bureau):
    # given
    scope, filters = dashboard_scope_for(user=bureau), DashboardFilters()
    figures = dashboard_figures(scope=scope, filters=filters)

    # when
    signed = drill_patents(scope=scope, filters=filters, params={"stage": "signed"})
    yichang = drill_patents(scope=scope, filters=DashboardFilters(city_code="4205"), params={})
    designs = drill_patents(scope=scope, filters=filters, params={"patent_type": "design"})
    price = drill_dockings(scope=scope, filters=filters, params={"status": "declined", "decline_reason": "price"})
    slow = drill_dockings(scope=scope, filters=filters, params={"bucket": "le168"})
    following = drill_enterprises(scope=scope, filters=filters, params={"stage": "following"})

    # then
    assert signed.count() == figures["funnel"][4]["count"] == 2
    assert yichang.count() == figures["cities"][1]["inventoried"] == 3
    assert designs.count() == 2
    assert price.count() == 2
    assert slow.count() == next(r["count"] for r in figures["response_times"] if r["code"] == "le168") == 1
    assert (
        following.count()
        == figures["kpis"]["following"]
        == PatentFollow.objects.values("enterprise").distinct().count()
    )
    assert TechNeed.objects.count() == 3


def test_figures_are_cached_and_invalidated_by_the_services_that_write(
    demo, bureau, hust_officer, django_capture_on_commit_callbacks
):
    # given
    scope, filters = dashboard_scope_for(user=bureau), DashboardFilters()
    before = dashboard_figures_cached(scope=scope, filters=filters)["kpis"]["pooled"]
    Patent.objects.filter(pk=demo.patents["一种数控机床夹具"].pk).update(inventory_status="pooled")  # not a service

    # when
    stale = dashboard_figures_cached(scope=scope, filters=filters)["kpis"]["pooled"]
    with django_capture_on_commit_callbacks(execute=True):
        patents_unpool(patents=[demo.patents["智能手环"]], user=hust_officer, reason="不再转化")
    fresh = dashboard_figures_cached(scope=scope, filters=filters)["kpis"]["pooled"]

    # then
    assert (before, stale, fresh) == (10, 10, 11)

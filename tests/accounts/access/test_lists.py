"""One scope rule (accounts.access, applied by the owners' selectors) behind every list: pages and API agree with
direct queries of the rule, and city staff never see a row of another city, also not by pk."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from core.models import City
from enterprises.models import DockingRequest, Enterprise, PatentFollow, TechNeed
from matching.live.ranking import patent_push_list
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents.models import Institution, Patent
from tests.enterprises.factories import DockingRequestFactory, PatentFactory, TechNeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cities(pooled_patents, matching_enterprises, institution, wuhan):
    """Wuhan: 40 pooled patents, 5 enterprises. Yichang: an institution with 3 patents, 2 enterprises that fit the
    Wuhan patents as well as the Wuhan ones do; needs, follows and dockings across the two cities."""
    yichang = City.objects.get(code="4205")
    yichang_institution = Institution.objects.create(name="三峡大学", moe_code="4142011075", city=yichang)
    yichang_patents = [
        PatentFactory(institution=yichang_institution, inventory_status=status)
        for status in ("pooled", "inventoried", "not_pooled")
    ]
    PatentFactory(institution=institution, inventory_status="inventoried")
    yichang_enterprises = [
        Enterprise.objects.create(
            name=f"宜昌测试企业{i}有限公司",
            uscc=f"91420500MA4K{i:05d}X"[:18],
            city=yichang,
            business_scope=matching_enterprises[i].business_scope,
        )
        for i in range(2)
    ]
    wuhan_enterprise = matching_enterprises[0]
    TechNeedFactory(enterprise=wuhan_enterprise)
    TechNeedFactory(enterprise=wuhan_enterprise, status=TechNeed.Status.CLOSED)
    TechNeedFactory(enterprise=yichang_enterprises[0])
    PatentFollow.objects.create(enterprise=wuhan_enterprise, patent=yichang_patents[0])
    PatentFollow.objects.create(enterprise=yichang_enterprises[0], patent=pooled_patents[0])
    DockingRequestFactory(enterprise=wuhan_enterprise, patent=yichang_patents[0])
    DockingRequestFactory(enterprise=yichang_enterprises[0], patent=pooled_patents[0])
    match_run_execute_inline(run=MatchRun.objects.create())
    return {"yichang": yichang, "yichang_patents": yichang_patents, "yichang_enterprises": yichang_enterprises}


@pytest.fixture
def staff(make_user, wuhan, institution):
    return {
        "province": make_user("bureau", Role.BUREAU_PROVINCE),
        "city": make_user("bureau_wuhan", Role.BUREAU_CITY, city=wuhan),
        "officer": make_user("officer_a", Role.OFFICER, institution=institution),
    }


def _expected(who: str, wuhan: City, institution: Institution) -> dict[str, set[int]]:
    """The rule written out as direct ORM queries, per role."""
    if who == "province":
        patents, enterprises, needs = Patent.objects.all(), Enterprise.objects.all(), TechNeed.objects.all()
        dockings = DockingRequest.objects.all()
    elif who == "city":
        patents = Patent.objects.filter(institution__city=wuhan)
        enterprises = Enterprise.objects.filter(city=wuhan)
        needs = TechNeed.objects.filter(enterprise__city=wuhan)
        dockings = DockingRequest.objects.filter(institution__city=wuhan)
    else:
        patents, enterprises = Patent.objects.filter(institution=institution), Enterprise.objects.all()
        needs = TechNeed.objects.filter(status="open")
        dockings = DockingRequest.objects.filter(institution=institution)
    return {
        "patents": set(patents.values_list("pk", flat=True)),
        "enterprises": set(enterprises.values_list("pk", flat=True)),
        "needs": set(needs.values_list("pk", flat=True)),
        "dockings": set(dockings.values_list("pk", flat=True)),
    }


def _api_pks(client, url: str) -> set[int]:
    body = client.get(url, {"page_size": 200}).json()
    assert body["next"] is None  # one page holds them all
    return {row["pk"] for row in body["results"]}


@pytest.mark.parametrize(
    ("who", "counts"),
    [
        ("province", {"patents": 44, "enterprises": 7, "needs": 3, "dockings": 2}),
        ("city", {"patents": 41, "enterprises": 5, "needs": 2, "dockings": 1}),
        ("officer", {"patents": 41, "enterprises": 7, "needs": 2, "dockings": 1}),
    ],
)
def test_pages_and_api_list_exactly_what_the_rule_allows(
    client, client_for, two_cities, staff, wuhan, institution, who, counts
):
    # given
    user = staff[who]
    expected = _expected(who, wuhan, institution)
    api = client_for(user)
    client.force_login(user)
    # when
    page = client.get(reverse("patents:list"))
    listed = {
        "patents": _api_pks(api, "/api/v1/patents/"),
        "enterprises": _api_pks(api, "/api/v1/enterprises/"),
        "needs": _api_pks(api, "/api/v1/needs/"),
        "dockings": _api_pks(api, "/api/v1/docking/"),
    }
    # then
    assert {name: len(pks) for name, pks in expected.items()} == counts
    assert listed == expected
    assert page.context["page"].paginator.count == counts["patents"]


@pytest.mark.parametrize("who", ["province", "city", "officer"])
def test_matched_enterprises_are_those_of_the_push_list_the_user_may_see(
    client_for, two_cities, staff, pooled_patents, wuhan, institution, who
):
    # given
    patent = pooled_patents[0]
    ranked = [pk for pk, _ in patent_push_list(patent_id=patent.pk, k=settings.MATCHING_TOP_K)]
    visible = _expected(who, wuhan, institution)["enterprises"]
    # when
    body = client_for(staff[who]).get(f"/api/v1/patents/{patent.pk}/matched-enterprises/", {"page_size": 200}).json()
    # then
    assert [row["enterprise_pk"] for row in body["results"]] == [pk for pk in ranked if pk in visible]
    yichang_pks = {e.pk for e in two_cities["yichang_enterprises"]}
    assert bool(yichang_pks & set(ranked)) is True  # the out-of-city enterprises do fit the patent
    assert bool(yichang_pks & {row["enterprise_pk"] for row in body["results"]}) is (who != "city")


def test_city_staff_get_404_for_every_out_of_city_row_by_pk(client, client_for, two_cities, staff):
    # given
    api = client_for(staff["city"])
    client.force_login(staff["city"])
    patent = two_cities["yichang_patents"][0]
    enterprise = two_cities["yichang_enterprises"][0]
    need = TechNeed.objects.get(enterprise=enterprise)
    # follows and docking requests belong to the patent's side: those about the Yichang university's patent
    docking = DockingRequest.objects.get(patent=patent)
    follow = PatentFollow.objects.get(patent=patent)
    # when
    statuses = [
        api.get(f"/api/v1/patents/{patent.pk}/").status_code,
        api.get(f"/api/v1/patents/{patent.pk}/matched-enterprises/").status_code,
        api.get(f"/api/v1/enterprises/{enterprise.pk}/").status_code,
        api.get(f"/api/v1/needs/{need.pk}/").status_code,
        api.get(f"/api/v1/docking/{docking.pk}/").status_code,
        client.get(reverse("patents:detail", args=[patent.pk])).status_code,
        client.get(reverse("enterprises:docking_detail", args=[docking.pk])).status_code,
    ]
    follows = _api_pks(api, "/api/v1/follows/") if api.get("/api/v1/follows/").status_code == 200 else set()
    # then
    assert statuses == [404] * 7
    assert follow.pk not in follows


def test_city_home_figures_equal_the_rule(client, two_cities, staff, wuhan):
    # given
    client.force_login(staff["city"])
    # when
    kpis = client.get("/").context["kpis"]
    # then
    assert (kpis["inventoried"], kpis["enterprises"], kpis["needs"]) == (
        Patent.objects.filter(institution__city=wuhan).count(),
        Enterprise.objects.filter(city=wuhan).count(),
        TechNeed.objects.filter(enterprise__city=wuhan).count(),
    )

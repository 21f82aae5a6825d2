"""One scope rule (accounts.access, applied by the owners' selectors) behind every list: pages and API agree with
direct queries of the rule, and city staff never see a row of another city, also not by pk."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts import access
from accounts.models import Role, User
from core.models import City
from enterprises.models import DockingRequest, Enterprise, PatentFollow, TechNeed
from enterprises.selectors import docking as docking_selectors
from enterprises.selectors import follows as follow_selectors
from enterprises.selectors import needs as need_selectors
from enterprises.selectors import profile as enterprise_selectors
from imports import selectors as import_selectors
from imports.models import ImportJob
from matching.live.ranking import patent_push_list
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from patents import selectors as patent_selectors
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


# --- every predicate and every scoped queryset, role by role ------------------------------------------------------

ROLES = ("anonymous", "no_role", "officer", "member", "province", "city", "admin", "superuser")
PREDICATE_ROLES = {
    access.is_signed_in: {"no_role", "officer", "member", "province", "city", "admin", "superuser"},
    access.is_platform_admin: {"admin", "superuser"},
    access.is_province_staff: {"province", "admin", "superuser"},
    access.is_city_staff: {"city"},
    access.is_bureau: {"province", "city"},
    access.is_bureau_or_admin: {"province", "city", "admin", "superuser"},
    access.is_officer: {"officer"},
    access.is_officer_bureau_or_admin: {"officer", "province", "city", "admin", "superuser"},
    access.is_enterprise_member: {"member"},
    access.has_role: {"officer", "member", "province", "city", "admin", "superuser"},
}


@pytest.fixture
def users(make_user, wuhan, institution, enterprise):
    """One user per role (and the two edge cases: a signed-in user without a role, a superuser without one)."""
    return {
        "anonymous": AnonymousUser(),
        "no_role": User.objects.create_user(username="norole", password="Test-pass-2026"),
        "officer": make_user("officer_a", Role.OFFICER, institution=institution),
        "member": make_user("member", Role.ENTERPRISE, enterprise=enterprise),
        "province": make_user("bureau", Role.BUREAU_PROVINCE),
        "city": make_user("bureau_wuhan", Role.BUREAU_CITY, city=wuhan),
        "admin": make_user("admin", Role.ADMIN),
        "superuser": User.objects.create_superuser(username="root", password="Test-pass-2026"),
    }


def test_the_predicate_table_names_every_predicate_of_the_module():
    # given
    declared = {name for name in dir(access) if name.startswith(("is_", "has_")) and callable(getattr(access, name))}
    # when
    tested = {predicate.__name__ for predicate in PREDICATE_ROLES}
    # then
    assert tested == declared


@pytest.mark.parametrize("predicate", list(PREDICATE_ROLES), ids=lambda predicate: predicate.__name__)
def test_each_predicate_admits_exactly_its_roles(users, predicate):
    # when
    admitted = {role for role in ROLES if predicate(users[role])}
    # then
    assert admitted == PREDICATE_ROLES[predicate]


@pytest.fixture
def world(wuhan, institution, other_institution, enterprise, users):
    """Wuhan: two institutions (3 + 1 patents), the member's enterprise with an open and a closed need. Yichang: an
    institution with 1 patent, an enterprise with an open need. Follows, dockings and import jobs across both."""
    yichang = City.objects.get(code="4205")
    far_institution = Institution.objects.create(name="三峡大学", moe_code="4142011075", city=yichang)
    far_enterprise = Enterprise.objects.create(name="宜昌测试企业有限公司", uscc="91420500MA4K00001X", city=yichang)
    patents = {
        "own_pooled": PatentFactory(institution=institution),
        "own_inventoried": PatentFactory(institution=institution, inventory_status="inventoried"),
        "own_not_pooled": PatentFactory(institution=institution, inventory_status="not_pooled"),
        "other_pooled": PatentFactory(institution=other_institution),
        "far_pooled": PatentFactory(institution=far_institution),
    }
    needs = {
        "own_open": TechNeedFactory(enterprise=enterprise),
        "own_closed": TechNeedFactory(enterprise=enterprise, status=TechNeed.Status.CLOSED),
        "far_open": TechNeedFactory(enterprise=far_enterprise),
    }
    follows = {
        "own_on_own": PatentFollow.objects.create(enterprise=enterprise, patent=patents["own_pooled"]),
        "far_on_other": PatentFollow.objects.create(enterprise=far_enterprise, patent=patents["other_pooled"]),
    }
    dockings = {
        "own_to_own": DockingRequestFactory(enterprise=enterprise, patent=patents["own_pooled"]),
        "far_to_other": DockingRequestFactory(enterprise=far_enterprise, patent=patents["other_pooled"]),
    }
    jobs = {
        "own_institution": ImportJob.objects.create(kind="patents", institution=institution, original_name="a.csv"),
        "by_province": ImportJob.objects.create(
            kind="enterprises", created_by=users["province"], original_name="b.csv"
        ),
    }
    enterprises = {"own": enterprise, "far": far_enterprise}
    institutions = {"own": institution, "other": other_institution, "far": far_institution}
    return {
        "patents": patents,
        "needs": needs,
        "follows": follows,
        "dockings": dockings,
        "jobs": jobs,
        "enterprises": enterprises,
        "institutions": institutions,
    }


ALL_PATENTS = {"own_pooled", "own_inventoried", "own_not_pooled", "other_pooled", "far_pooled"}
WUHAN_PATENTS = {"own_pooled", "own_inventoried", "own_not_pooled", "other_pooled"}
POOLED = {"own_pooled", "other_pooled", "far_pooled"}
SCOPES = {
    # role: (patents, pooled patents, enterprises, needs, follows, dockings, statistics institutions, import jobs)
    "anonymous": (set(), set(), set(), set(), set(), set(), set(), set()),
    "no_role": (set(), set(), set(), set(), set(), set(), set(), set()),
    "officer": (
        {"own_pooled", "own_inventoried", "own_not_pooled"},
        {"own_pooled"},
        {"own", "far"},
        {"own_open", "far_open"},
        {"own_on_own"},
        {"own_to_own"},
        {"own"},
        {"own_institution"},
    ),
    "member": (POOLED, POOLED, {"own"}, {"own_open", "own_closed"}, {"own_on_own"}, {"own_to_own"}, set(), set()),
    "province": (
        ALL_PATENTS,
        POOLED,
        {"own", "far"},
        {"own_open", "own_closed", "far_open"},
        {"own_on_own", "far_on_other"},
        {"own_to_own", "far_to_other"},
        {"own", "other", "far"},
        {"by_province"},
    ),
    "city": (
        WUHAN_PATENTS,
        {"own_pooled", "other_pooled"},
        {"own"},
        {"own_open", "own_closed"},
        # the patent side: a Yichang enterprise's follow and request about a Wuhan university's patent are Wuhan's
        {"own_on_own", "far_on_other"},
        {"own_to_own", "far_to_other"},
        {"own", "other"},
        set(),
    ),
}
SCOPES["admin"] = SCOPES["superuser"] = (
    *SCOPES["province"][:7],
    {"own_institution", "by_province"},
)


def _names(objects: dict, queryset) -> set[str]:
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, obj in objects.items() if obj.pk in pks}


@pytest.mark.parametrize("role", ROLES)
def test_each_scoped_queryset_holds_exactly_what_the_role_may_see(users, world, role):
    # given
    user = users[role]
    # when
    seen = (
        _names(world["patents"], patent_selectors.patents_visible_to(user=user)),
        _names(world["patents"], patent_selectors.patents_pooled_visible_to(user=user)),
        _names(world["enterprises"], enterprise_selectors.enterprises_visible_to(user=user)),
        _names(world["needs"], need_selectors.needs_visible_to(user=user)),
        _names(world["follows"], follow_selectors.follows_visible_to(user=user)),
        _names(world["dockings"], docking_selectors.dockings_visible_to(user=user)),
        _names(world["institutions"], patent_selectors.institutions_in_statistics_of(user=user)),
        _names(world["jobs"], import_selectors.import_jobs_visible_to(user=user)),
    )
    # then
    assert seen == SCOPES[role]


@pytest.mark.parametrize("role", ROLES)
def test_docking_visible_to_agrees_with_the_docking_queryset(users, world, role):
    # given
    user = users[role]
    # when
    one_by_one = {
        name
        for name, docking in world["dockings"].items()
        if docking_selectors.docking_visible_to(user=user, docking=docking)
    }
    # then
    assert one_by_one == SCOPES[role][5]


# --- the page decorator, the DRF permission and the declarations read back ----------------------------------------


def _page(request):
    return HttpResponse("ok")


@pytest.mark.parametrize(
    ("role", "hidden", "expected"),
    [
        ("officer", False, 200),
        ("member", False, 403),
        ("member", True, 404),
        ("no_role", False, 403),
    ],
)
def test_require_access_lets_in_the_predicate_and_refuses_the_rest(rf, users, role, hidden, expected):
    # given
    view = access.require_access(access.is_officer, hidden=hidden)(_page)
    request = rf.get("/somewhere/")
    request.user = users[role]
    # when
    try:
        status = view(request).status_code
    except PermissionDenied:
        status = 403
    except Http404:
        status = 404
    # then
    assert status == expected
    assert access.access_rule_of(view) == access.AccessRule(access.is_officer, hidden)


def test_require_access_sends_anonymous_users_to_the_login_page(rf, users):
    # given
    view = access.require_access(access.is_officer)(_page)
    request = rf.get("/somewhere/")
    request.user = users["anonymous"]
    # when
    response = view(request)
    # then
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/somewhere/")


class _MemberWrites(APIView):
    permission_classes = [access.access_permission(access.is_enterprise_member)]

    def get(self, request):
        return Response({"ok": True})


class _HiddenFromOthers(APIView):
    permission_classes = [access.access_permission(access.is_enterprise_member, hidden=True)]

    def get(self, request):
        return Response({"ok": True})


@pytest.mark.parametrize(
    ("role", "view", "expected"),
    [
        ("member", _MemberWrites, (200, {"ok": True})),
        (
            "officer",
            _MemberWrites,
            (
                403,
                {
                    "error": {
                        "code": "permission_denied",
                        "message": "仅企业用户可以执行此操作 / Only enterprise members can do this",
                        "details": {},
                    }
                },
            ),
        ),
        (
            "officer",
            _HiddenFromOthers,
            (404, {"error": {"code": "not_found", "message": "未找到。", "details": {}}}),
        ),
    ],
)
def test_access_permission_answers_in_the_api_error_format(users, role, view, expected):
    # given
    request = APIRequestFactory().get("/api/v1/somewhere/")
    force_authenticate(request, user=users[role])
    # when
    response = view.as_view()(request)
    # then
    assert (response.status_code, response.data) == expected


def test_access_permission_for_some_actions_leaves_the_others_to_signed_in_users():
    # given
    permission = access.access_permission(access.is_enterprise_member, actions=("create",))
    viewset = type("_Viewset", (viewsets.ViewSet,), {"permission_classes": [permission]})
    callback = viewset.as_view({"get": "list", "post": "create"})
    # when
    rules = (access.access_rule_of(callback, "GET"), access.access_rule_of(callback, "POST"))
    # then
    assert rules == (access.AccessRule(access.is_signed_in), access.AccessRule(access.is_enterprise_member))


# --- navigation flags -----------------------------------------------------------------------------------------------

NAV = {
    "officer": [
        "/",
        "/patents/inventory/",
        "/patents/import/",
        "/patents/import/jobs/",
        "/dashboards/",
        "/enterprises/docking/inbox/",
        "/enterprises/followers/",
        "/enterprises/notifications/",
    ],
    "member": [
        "/",
        "/matching/recommendations/",
        "/matching/search/",
        "/enterprises/needs/",
        "/enterprises/follows/",
        "/enterprises/docking/",
        "/enterprises/notifications/",
    ],
    "province": [
        "/",
        "/patents/",
        "/dashboards/",
        "/matching/runs/",
        "/enterprises/review/",
        "/enterprises/notifications/",
    ],
    "city": ["/", "/patents/", "/dashboards/", "/enterprises/review/", "/enterprises/notifications/"],
    "admin": ["/", "/dashboards/", "/matching/runs/", "/enterprises/notifications/", "/admin/"],
}


@pytest.mark.parametrize("role", list(NAV))
def test_each_role_sees_its_own_navigation(client, users, role):
    # given
    client.force_login(users[role])
    # when
    html = client.get(reverse("patents:list")).content.decode()
    # then
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert nav is not None
    assert re.findall(r'<a href="([^"]*)"', nav.group(0)) == NAV[role]


ROLE_VALUES = {
    "officer": "officer",
    "member": "enterprise",
    "province": "bureau_province",
    "city": "bureau_city",
    "admin": "admin",
}


@pytest.mark.parametrize("role", ROLES)
def test_nav_flags_are_the_predicates_of_the_user(rf, users, role):
    # given
    request = rf.get("/")
    request.user = users[role]
    user = users[role]
    # when
    flags = access.nav_access(request)["access"]
    # then
    assert flags == {
        **{name: predicate(user) for name, predicate in access.NAV_FLAGS.items()},
        "role": ROLE_VALUES.get(role, ""),
        "opens_admin": role in ("admin", "superuser"),
    }


def test_no_template_compares_roles():
    # given
    templates = sorted((settings.BASE_DIR / "templates").rglob("*.html"))
    roles = "|".join(Role.values)
    role_test = re.compile(rf"user_role|user\.role\b|is_platform_admin|is_superuser|==\s*['\"](?:{roles})['\"]")
    # when
    offending = [str(path) for path in templates if role_test.search(path.read_text(encoding="utf-8"))]
    # then
    assert len(templates) > 40
    assert offending == []

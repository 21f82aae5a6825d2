"""Every scoped queryset of the owners' selectors, role by role."""

import pytest

from core.models import City
from enterprises.models import Enterprise, PatentFollow, TechNeed
from enterprises.selectors import docking as docking_selectors
from enterprises.selectors import follows as follow_selectors
from enterprises.selectors import needs as need_selectors
from enterprises.selectors import profile as enterprise_selectors
from imports import selectors as import_selectors
from imports.models import ImportJob
from patents import selectors as patent_selectors
from patents.models import Institution, PatentInventor
from tests.accounts.access.helpers import ROLES
from tests.enterprises.factories import DockingRequestFactory, PatentFactory, TechNeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(wuhan, institution, other_institution, enterprise, users, college, other_college):
    """Wuhan: two institutions (3 + 1 patents), the member's enterprise with an open and a closed need. Yichang: an
    institution with 1 patent, an enterprise with an open need. Follows, dockings and import jobs across both. The own
    pooled patent is the college admin's college's and linked to the inventor; the own not-pooled one is another
    college's."""
    yichang = City.objects.get(code="4205")
    far_institution = Institution.objects.create(name="三峡大学", moe_code="4142011075", city=yichang)
    far_enterprise = Enterprise.objects.create(name="宜昌测试企业有限公司", uscc="91420500MA4K00001X", city=yichang)
    patents = {
        "own_pooled": PatentFactory(institution=institution, college=college),
        "own_inventoried": PatentFactory(institution=institution, inventory_status="inventoried"),
        "own_not_pooled": PatentFactory(institution=institution, inventory_status="not_pooled", college=other_college),
        "other_pooled": PatentFactory(institution=other_institution),
        "far_pooled": PatentFactory(institution=far_institution),
    }
    PatentInventor.objects.create(patent=patents["own_pooled"], user=users["inventor"])
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
    # the college's patents and their follows and dockings; no enterprise list, no needs, no statistics
    "college_admin": ({"own_pooled"}, {"own_pooled"}, set(), set(), {"own_on_own"}, {"own_to_own"}, set(), set()),
    # the linked patents only
    "inventor": ({"own_pooled"}, {"own_pooled"}, set(), set(), set(), set(), set(), set()),
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


@pytest.mark.parametrize("role", ROLES)
def test_the_patent_rules_read_through_a_relation_hold_the_same_rows_as_the_subquery(users, world, role):
    # given: rows that reach a patent (dockings), filtered by the rule on the joined patent and by the subquery
    user = users[role]
    dockings = DockingRequestFactory._meta.model.objects.all()
    # when
    joined = (
        set(dockings.filter(patent_selectors.patents_visible_q(user=user, via="patent__"))),
        set(dockings.filter(patent_selectors.patents_pooled_q(user=user, via="patent__"))),
    )
    subquery = (
        set(dockings.filter(patent__in=patent_selectors.patents_visible_to(user=user))),
        set(dockings.filter(patent__in=patent_selectors.patents_pooled_visible_to(user=user))),
    )
    # then
    assert joined == subquery

"""Navigation flags: each role sees its own navigation, and no template compares roles."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import access
from accounts.models import Role
from tests.accounts.access.helpers import ROLES

pytestmark = pytest.mark.django_db


NAV = {
    "officer": [
        "/",
        "/patents/inventory/",
        "/patents/import/",
        "/patents/import/jobs/",
        "/dashboards/",
        "/matching/needs/hall/",
        "/enterprises/docking/inbox/",
        "/enterprises/followers/",
        "/enterprises/notifications/",
    ],
    "college_admin": [
        "/",
        "/patents/",
        "/patents/review/",
        "/patents/import/",
        "/patents/import/jobs/",
        "/enterprises/notifications/",
    ],
    "inventor": ["/", "/patents/mine/", "/enterprises/notifications/"],
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
        "/dashboards/supply/",
        "/dashboards/",
        "/matching/needs/hall/",
        "/matching/runs/",
        "/enterprises/review/",
        "/enterprises/notifications/",
    ],
    "city": [
        "/",
        "/patents/",
        "/dashboards/supply/",
        "/dashboards/",
        "/matching/needs/hall/",
        "/enterprises/review/",
        "/enterprises/notifications/",
    ],
    "admin": [
        "/",
        "/dashboards/",
        "/matching/needs/hall/",
        "/matching/runs/",
        "/enterprises/notifications/",
        "/admin/",
    ],
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
    "college_admin": "college_admin",
    "inventor": "inventor",
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

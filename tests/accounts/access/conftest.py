"""Fixtures of the access tests: one user per role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role, User


@pytest.fixture
def users(make_user, wuhan, institution, enterprise, college):
    """One user per role (and the two edge cases: a signed-in user without a role, a superuser without one)."""
    return {
        "anonymous": AnonymousUser(),
        "no_role": User.objects.create_user(username="norole", password="Test-pass-2026"),
        "officer": make_user("officer_a", Role.OFFICER, institution=institution),
        "college_admin": make_user("college_cs", Role.COLLEGE_ADMIN, institution=institution, college=college),
        "inventor": make_user("inventor_a", Role.INVENTOR, institution=institution, college=college),
        "member": make_user("member", Role.ENTERPRISE, enterprise=enterprise),
        "province": make_user("bureau", Role.BUREAU_PROVINCE),
        "city": make_user("bureau_wuhan", Role.BUREAU_CITY, city=wuhan),
        "admin": make_user("admin", Role.ADMIN),
        "superuser": User.objects.create_superuser(username="root", password="Test-pass-2026"),
    }

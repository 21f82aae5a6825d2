"""Every predicate of accounts.access, role by role."""

import pytest

from accounts import access
from tests.accounts.access.helpers import ROLES

pytestmark = pytest.mark.django_db


PREDICATE_ROLES = {
    access.is_signed_in: {
        "no_role",
        "officer",
        "college_admin",
        "inventor",
        "member",
        "province",
        "city",
        "admin",
        "superuser",
    },
    access.is_platform_admin: {"admin", "superuser"},
    access.is_province_staff: {"province", "admin", "superuser"},
    access.is_city_staff: {"city"},
    access.is_bureau: {"province", "city"},
    access.is_bureau_or_admin: {"province", "city", "admin", "superuser"},
    access.is_officer: {"officer"},
    access.is_college_admin: {"college_admin"},
    access.is_inventor: {"inventor"},
    access.is_reviewer: {"officer", "college_admin"},
    access.is_patent_describer: {"officer", "college_admin", "inventor"},
    access.is_officer_bureau_or_admin: {"officer", "province", "city", "admin", "superuser"},
    access.is_enterprise_member: {"member"},
    access.has_role: {"officer", "college_admin", "inventor", "member", "province", "city", "admin", "superuser"},
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

"""User creation and the role groups (accounts.services)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from accounts.models import Role, User
from accounts.services import ROLE_PERMISSIONS, roles_ensure, user_create

pytestmark = pytest.mark.django_db


def test_user_create_binds_the_role_and_puts_the_user_in_its_group(institution):
    # when
    user = user_create(
        username="officer_c",
        password="Test-pass-2026",
        role=Role.OFFICER,
        email="c@hust.edu.cn",
        institution=institution,
    )
    # then
    user = User.objects.get(pk=user.pk)
    assert (user.username, user.role, user.institution_id, user.email) == (
        "officer_c",
        "officer",
        institution.pk,
        "c@hust.edu.cn",
    )
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert user.check_password("Test-pass-2026") is True
    assert list(user.groups.values_list("name", flat=True)) == ["officer"]


def test_user_create_makes_admins_django_staff_and_superusers():
    # when
    user = user_create(username="admin2", password="Test-pass-2026", role=Role.ADMIN)
    # then
    assert (user.is_staff, user.is_superuser, list(user.groups.values_list("name", flat=True))) == (
        True,
        True,
        ["admin"],
    )


@pytest.mark.parametrize(
    ("role", "field"),
    [(Role.OFFICER, "institution"), (Role.ENTERPRISE, "enterprise"), (Role.BUREAU_CITY, "city")],
)
def test_user_create_refuses_a_role_without_its_binding_and_writes_nothing(role, field):
    # given
    before = User.objects.count()
    # when
    with pytest.raises(ValidationError) as raised:
        user_create(username="unbound", password="Test-pass-2026", role=role)
    # then
    assert raised.value.messages != []
    assert User.objects.count() == before
    assert User.objects.filter(username="unbound").exists() is False


def test_user_create_refuses_a_taken_username_and_writes_nothing(officer, institution):
    # given
    before = User.objects.count()
    # when
    with pytest.raises(ValidationError) as raised:
        user_create(username="officer_a", password="Test-pass-2026", role=Role.OFFICER, institution=institution)
    # then
    assert list(raised.value.message_dict) == ["username"]
    assert User.objects.count() == before


def test_roles_ensure_gives_each_group_its_permissions_and_is_idempotent():
    # when
    first = roles_ensure()
    second = roles_ensure()
    # then
    assert first == second
    assert set(first) == {
        "officer",
        "enterprise",
        "bureau_province",
        "bureau_city",
        "admin",
        "college_admin",
        "inventor",
    }
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        if role == Role.ADMIN:
            assert len(held) == first["admin"] == Permission.objects.count()
        else:
            assert held == set(codenames)
    assert Group.objects.filter(name__in=list(first)).count() == 7

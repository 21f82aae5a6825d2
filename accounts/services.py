"""Writes for users, roles and API tokens."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Role, User

if TYPE_CHECKING:
    from enterprises.models import Enterprise

# Model permissions each role's group holds; object-level scoping (own institution, own enterprise)
# is enforced by selectors and API permissions on top of these.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: ["patents.view_patent", "patents.change_patent", "patents.add_patent", "patents.view_institution"],
    Role.ENTERPRISE: [
        "patents.view_patent",
        "enterprises.view_enterprise",
        "enterprises.change_enterprise",
        "enterprises.view_techneed",
        "enterprises.add_techneed",
        "enterprises.change_techneed",
    ],
    Role.BUREAU_PROVINCE: [
        "patents.view_patent",
        "patents.view_institution",
        "enterprises.view_enterprise",
        "enterprises.view_techneed",
    ],
    Role.BUREAU_CITY: [
        "patents.view_patent",
        "patents.view_institution",
        "enterprises.view_enterprise",
        "enterprises.view_techneed",
    ],
    Role.COLLEGE_ADMIN: ["patents.view_patent", "patents.change_patent", "patents.add_patent"],
    Role.INVENTOR: ["patents.view_patent", "patents.change_patent"],
    Role.ADMIN: [],  # admins get every permission (see roles_ensure)
}


def roles_ensure() -> dict[str, int]:
    """Create one group per role with its permissions; idempotent (called by migration and tests)."""
    return roles_ensure_with(group_model=Group, permission_model=Permission)


@transaction.atomic
def roles_ensure_with(*, group_model: type[Group], permission_model: type[Permission]) -> dict[str, int]:
    """roles_ensure on explicit models, so the data migration can pass its historical ones (same fields)."""
    counts: dict[str, int] = {}
    all_perms = list(permission_model.objects.select_related("content_type"))
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=str(role))
        if role == Role.ADMIN:
            perms = all_perms
        else:
            perms = [p for p in all_perms if f"{p.content_type.app_label}.{p.codename}" in codenames]
        group.permissions.set(perms)
        counts[str(role)] = len(perms)
    return counts


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    email: str = "",
    first_name: str = "",
    institution=None,
    enterprise=None,
    city=None,
    college=None,
) -> User:
    """Create a user with a role and put them in the role's group (role "" : a signed-in user without a role, e.g. the
    claimant of an enterprise while the claim waits for review)."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        role=role,
        institution=institution,
        enterprise=enterprise,
        city=city,
        college=college,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


@transaction.atomic
def user_enterprise_bind(*, user: User, enterprise: "Enterprise", username: str | None = None) -> User:
    """Make a user without a role a member of `enterprise` (the enterprise role and its group); optionally rename it.

    `username` is taken only when no other account holds it (case-insensitively); otherwise the name is kept.
    """
    if user.role and user.role != Role.ENTERPRISE:
        raise ValueError(f"user {user.pk} has the role {user.role}; only a user without a role becomes a member")
    fields = ["role", "enterprise"]
    user.role = Role.ENTERPRISE
    user.enterprise = enterprise
    if username and not User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        user.username = username
        fields.append("username")
    user.save(update_fields=fields)
    group, _ = Group.objects.get_or_create(name=Role.ENTERPRISE)
    user.groups.add(group)
    return user


def api_token_is_expired(*, token: Token) -> bool:
    """True once the token is older than settings.API_TOKEN_TTL_DAYS."""
    return token.created < timezone.now() - timedelta(days=settings.API_TOKEN_TTL_DAYS)


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The user's API token: the current one while it is valid, a new one (new key and clock) once it expired."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and api_token_is_expired(token=token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def api_token_revoke(*, user: User) -> int:
    """Delete the user's API token (sign-out); returns how many were deleted (0 or 1)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted

"""Who may act as an enterprise member in the API."""

from rest_framework.exceptions import PermissionDenied

from accounts.models import Role, User


def enterprise_member(user: User) -> User:
    """The user if they are an enterprise member, else 403."""
    if user.role != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied("仅企业用户可以执行此操作 / Only enterprise members can do this")
    return user

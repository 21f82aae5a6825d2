"""Reads of in-app notifications: a user's own, the unread count, who a notification to an enterprise reaches."""

from django.db.models import QuerySet

from accounts.models import Role, User
from enterprises.models import (
    Notification,
)


def enterprise_recipients() -> QuerySet[User]:
    """The users a notification to an enterprise reaches: its active enterprise members (a push to an enterprise
    with none reaches nobody, so it is not made)."""
    return User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise__isnull=False)


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread."""
    return notification_list(user=user).filter(read_at__isnull=True).count()

"""Template helpers for the enterprise pages and the hooks other apps' templates include."""

from django import template
from django.utils.translation import gettext_lazy as _

from enterprises.docking import ACTION_LABELS
from enterprises.models import DockingStatus
from enterprises.selectors.follows import PatentActionsState, patent_actions_state
from enterprises.selectors.notifications import notification_unread_count
from patents.models import Patent

register = template.Library()


@register.simple_tag(takes_context=True)
def patent_actions(context: template.Context, patent: Patent) -> PatentActionsState | None:
    """Follow / docking state of `patent` for the signed-in user (None when nobody is signed in)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return patent_actions_state(user=request.user, patent=patent)


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """How many unread notifications the signed-in user has."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return notification_unread_count(user=request.user)


@register.filter
def action_label(action: str) -> str:
    """Label of a docking action (or of the initial submission)."""
    return str(ACTION_LABELS.get(action, action))


@register.filter
def status_label(status: str) -> str:
    """Label of a docking status."""
    try:
        return str(DockingStatus(status).label)
    except ValueError:
        return status or str(_("—"))

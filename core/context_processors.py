"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    """Role of the current user (for navigation) and whether to show the demo-data banner."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    return {"user_role": role, "show_demo_banner": settings.SHOW_DEMO_BANNER}

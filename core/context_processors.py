"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    """Whether to show the demo-data banner (navigation flags come from accounts.access.nav_access)."""
    return {"show_demo_banner": settings.SHOW_DEMO_BANNER}

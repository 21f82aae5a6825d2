"""The signed-in user's home page, one per role (the top layer: it reads from every app)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import Role
from core.http import AuthedHttpRequest
from portal.home import home_context


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The signed-in user's home page; each role gets its own template and figures."""
    role = request.user.role or (Role.ADMIN if request.user.is_superuser else "")
    templates: dict[str, str] = {
        Role.OFFICER: "portal/home_officer.html",
        Role.ENTERPRISE: "portal/home_enterprise.html",
        Role.BUREAU_PROVINCE: "portal/home_bureau.html",
        Role.BUREAU_CITY: "portal/home_bureau.html",
        Role.ADMIN: "portal/home_admin.html",
    }
    template = templates.get(role, "portal/home_norole.html")
    return render(request, template, home_context(user=request.user))

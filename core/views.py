"""Portal pages shared by every role: home (one per role) and health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.access import is_signed_in, require_access
from accounts.models import Role
from core.home import home_context
from core.http import AuthedHttpRequest


@require_access(is_signed_in)
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The signed-in user's home page; each role gets its own template and figures."""
    role = request.user.role or (Role.ADMIN if request.user.is_superuser else "")
    templates: dict[str, str] = {
        Role.OFFICER: "core/home_officer.html",
        Role.ENTERPRISE: "core/home_enterprise.html",
        Role.BUREAU_PROVINCE: "core/home_bureau.html",
        Role.BUREAU_CITY: "core/home_bureau.html",
        Role.ADMIN: "core/home_admin.html",
    }
    template = templates.get(role, "core/home_norole.html")
    return render(request, template, home_context(user=request.user))


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose healthchecks: the web process answers and reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

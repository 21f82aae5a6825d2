"""Portal pages shared by every role: home (one per role), health check and the favicon."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from accounts.models import Role
from core.home import home_context
from core.http import AuthedHttpRequest


@login_required
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


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico whatever the page links: send them to the static icon."""
    return redirect(static("favicon.ico"), permanent=True)

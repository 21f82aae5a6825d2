"""Portal pages shared by every role: home (one per role) and health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.access import (
    is_bureau,
    is_enterprise_member,
    is_officer,
    is_platform_admin,
    is_signed_in,
    require_access,
)
from core.home import home_context
from core.http import AuthedHttpRequest


@require_access(is_signed_in)
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The signed-in user's home page; each role gets its own template and figures."""
    user = request.user
    template = "core/home_norole.html"
    if is_officer(user):
        template = "core/home_officer.html"
    elif is_enterprise_member(user):
        template = "core/home_enterprise.html"
    elif is_bureau(user):
        template = "core/home_bureau.html"
    elif is_platform_admin(user):
        template = "core/home_admin.html"
    return render(request, template, home_context(user=request.user))


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose healthchecks: the web process answers and reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

"""The signed-in user's home page, one per role (the top layer: it reads from every app)."""

from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import (
    is_bureau,
    is_college_admin,
    is_enterprise_member,
    is_inventor,
    is_officer,
    is_platform_admin,
    is_signed_in,
    require_access,
)
from core.http import AuthedHttpRequest
from enterprises.services.saved_searches import home_visit_record
from portal.home import home_context


@require_access(is_signed_in)
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The signed-in user's home page; each role gets its own template and figures."""
    user = request.user
    template = "portal/home_norole.html"
    since = None
    if is_officer(user):
        template = "portal/home_officer.html"
    elif is_college_admin(user):
        template = "portal/home_college.html"
    elif is_inventor(user):
        template = "portal/home_inventor.html"
    elif is_enterprise_member(user):
        template = "portal/home_enterprise.html"
        since = home_visit_record(user=user)  # what is new is new since the previous visit
    elif is_bureau(user):
        template = "portal/home_bureau.html"
    elif is_platform_admin(user):
        template = "portal/home_admin.html"
    return render(request, template, home_context(user=request.user, since=since))

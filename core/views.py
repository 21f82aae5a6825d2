"""Portal pages shared by every role: sign-in and sign-out, health check and the favicon."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static

from accounts.services import api_token_revoke
from core.throttling import LOGIN_SCOPE, page_throttle_wait, throttle_count, throttle_message


class LoginView(auth_views.LoginView):
    """Django's sign-in page, throttled per client address with the API's token endpoint (one counter of failed
    sign-ins: a successful one is not counted)."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = page_throttle_wait(request, scope=LOGIN_SCOPE, count=False)
        if wait is not None:
            context = self.get_context_data(form=self.get_form(), throttled=throttle_message(seconds=wait))
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        throttle_count(self.request, scope=LOGIN_SCOPE)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Sign out of the portal; the user's API token is revoked too."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            api_token_revoke(user=request.user)  # type: ignore[arg-type]
        return super().post(request, *args, **kwargs)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose healthchecks: the web process answers and reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico whatever the page links: send them to the static icon."""
    return redirect(static("favicon.ico"), permanent=True)

"""Self sign-up of an enterprise account and the enterprise's profile page."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import is_enterprise_member, require_access
from core.errors import ConflictError
from core.http import AuthedHttpRequest, client_ip
from core.throttling import REGISTRATION_SCOPE, page_throttle_wait, throttle_message
from enterprises.forms import ProfileForm, SignupForm
from enterprises.services.profile import enterprise_profile_update
from enterprises.services.registration import enterprise_register
from enterprises.views._helpers import form_error_from


def signup(request: HttpRequest) -> HttpResponse:
    """Anyone may register an enterprise (throttled per address); a new one lands in the bureau's review queue."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and (wait := page_throttle_wait(request, scope=REGISTRATION_SCOPE)) is not None:
        form.add_error(None, throttle_message(seconds=wait))
        response = render(request, "enterprises/signup.html", {"form": form}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = enterprise_register(
                password=data["password1"],
                name=data["name"],
                uscc=data["uscc"],
                city_code=data["city"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                ip_address=client_ip(request),
            )
        except ConflictError as exc:
            form_error_from(form, exc, field=str(exc.extra.get("field", "uscc")))
        except ValidationError as exc:
            form_error_from(form, exc, aliases={"password": "password1", "city_code": "city"})
        else:
            login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
            code = registration.enterprise.uscc
            if not registration.enterprise.is_verified:
                messages.warning(
                    request,
                    _(
                        "注册成功，登录用户名为统一社会信用代码 %(code)s。企业信息需知识产权局审核，"
                        "审核通过前可以完善企业信息、发布技术需求，但暂不能发起对接。"
                    )
                    % {"code": code},
                )
            else:
                messages.success(
                    request,
                    _("注册成功，登录用户名为统一社会信用代码 %(code)s。请完善企业信息。") % {"code": code},
                )
            return redirect("enterprises:profile")
    return render(request, "enterprises/signup.html", {"form": form})


@require_access(is_enterprise_member)
def profile(request: AuthedHttpRequest) -> HttpResponse:
    """The member's enterprise profile: city, industry, size, business scope, products, website, contact."""
    enterprise = request.user.enterprise
    assert enterprise is not None  # require_access(is_enterprise_member) checked enterprise_id
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(enterprise))
    if request.method == "POST" and form.is_valid():
        try:
            enterprise_profile_update(enterprise=enterprise, actor=request.user, data=dict(form.cleaned_data))
        except ValidationError as exc:
            enterprise.refresh_from_db()
            form_error_from(form, exc)
        else:
            messages.success(request, _("企业信息已保存。"))
            return redirect("enterprises:profile")
    return render(request, "enterprises/profile.html", {"form": form, "enterprise": enterprise})

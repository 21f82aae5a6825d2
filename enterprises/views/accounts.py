"""Self sign-up of an enterprise account and the enterprise's profile page."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import is_enterprise_member, require_access
from common.validators.uscc import UsccVerdict
from core.errors import ConflictError
from core.http import AuthedHttpRequest
from enterprises.forms import ProfileForm, SignupForm
from enterprises.services.profile import enterprise_profile_update
from enterprises.services.registration import enterprise_register
from enterprises.views._helpers import form_error_from


def signup(request: HttpRequest) -> HttpResponse:
    """Anyone may register an enterprise; a code flagged for review lands in the bureau's queue."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = enterprise_register(
                username=data["username"],
                password=data["password1"],
                name=data["name"],
                uscc=data["uscc"],
                city_code=data["city"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except ConflictError as exc:
            form_error_from(form, exc, field="uscc")
        except ValidationError as exc:
            form_error_from(form, exc, aliases={"password": "password1", "city_code": "city"})
        else:
            login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
            if registration.verdict is UsccVerdict.REVIEW:
                messages.warning(
                    request,
                    _("注册成功。您的统一社会信用代码需要知识产权局人工审核，审核通过前暂不能发起对接。"),
                )
            else:
                messages.success(request, _("注册成功，欢迎使用专利盘活对接平台。请完善企业信息。"))
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

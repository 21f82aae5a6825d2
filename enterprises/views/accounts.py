"""Self sign-up of an enterprise account and the enterprise's profile page."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_enterprise_member, is_signed_in, require_access
from core.errors import ApplicationError, ConflictError
from core.http import AuthedHttpRequest, client_ip
from core.throttling import REGISTRATION_SCOPE, page_throttle_wait, throttle_message
from enterprises.forms import ProfileForm, SignupForm
from enterprises.services.claims import enterprise_claim_code_redeem
from enterprises.services.profile import enterprise_profile_update
from enterprises.services.registration import Registration, enterprise_register
from enterprises.views._helpers import form_error_from


def signup(request: HttpRequest) -> HttpResponse:
    """Anyone may register an enterprise (throttled per address); a new one lands in the bureau's review queue, an
    enterprise of the imported registry is claimed (waiting for the bureau, or at once with a claim code)."""
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
                claim_code=data["claim_code"],
                ip_address=client_ip(request),
            )
        except ConflictError as exc:
            form_error_from(form, exc, field=str(exc.extra.get("field", "uscc")))
        except ValidationError as exc:
            form_error_from(form, exc, aliases={"password": "password1", "city_code": "city"})
        else:
            login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
            code = registration.enterprise.uscc
            if registration.is_pending_claim:
                _claim_pending_message(request, registration=registration)
                return redirect("home")
            if registration.claim is not None:
                messages.success(
                    request,
                    _("认领成功，登录用户名为统一社会信用代码 %(code)s，您填写的联系人已成为企业联系人。")
                    % {"code": code},
                )
            else:  # a new enterprise: it waits for the bureau's check
                messages.warning(
                    request,
                    _(
                        "注册成功，登录用户名为统一社会信用代码 %(code)s。企业信息需知识产权局审核，"
                        "审核通过前可以完善企业信息、发布技术需求，但暂不能发起对接。"
                    )
                    % {"code": code},
                )
            return redirect("enterprises:profile")
    return render(request, "enterprises/signup.html", {"form": form})


def _claim_pending_message(request: HttpRequest, *, registration: Registration) -> None:
    """What a claimant of a registry enterprise is told after signing up: the username, what waits, what follows."""
    messages.warning(
        request,
        _(
            "认领申请已提交，登录用户名为 %(username)s。知识产权局将对照企业名录审核，结果以站内通知（及邮件）告知。"
            "审核通过前账号不绑定该企业：不能关注专利、发布需求或发起对接，企业联系信息保持不变；通过后账号绑定该企业，"
            "登录用户名改为统一社会信用代码 %(code)s，您填写的联系人将替换企业现有联系人。"
            "如需立即认领，请联系知识产权局向企业登记的联系人发放认领码。"
        )
        % {"username": registration.user.username, "code": registration.enterprise.uscc},
    )
    if registration.other_pending_claims:
        messages.info(
            request,
            _("该企业另有 %(n)s 份认领申请在审核中，知识产权局核实后最多批准其中一份。")
            % {"n": registration.other_pending_claims},
        )


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


@require_POST
@require_access(is_signed_in)
def claim_code_redeem(request: AuthedHttpRequest) -> HttpResponse:
    """The claimant of a pending claim enters the claim code the bureau issued: the claim is approved at once
    (throttled at the sign-up rate, per signed-in account)."""
    if (wait := page_throttle_wait(request, scope=REGISTRATION_SCOPE)) is not None:
        messages.error(request, throttle_message(seconds=wait))
        return redirect("home")
    try:
        claim = enterprise_claim_code_redeem(
            claimant=request.user, claim_code=request.POST.get("claim_code", ""), ip_address=client_ip(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            _("认领成功，登录用户名为统一社会信用代码 %(code)s，您填写的联系人已成为企业联系人。")
            % {"code": claim.enterprise.uscc},
        )
        return redirect("enterprises:profile")
    return redirect("home")

"""Forms of the enterprise pages: they parse input; the services validate the rules and write."""

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.forms import IdModelChoiceField
from core.selectors import city_list
from core.validators import single_line_text
from enterprises.industry import industry_division_choices, industry_section_choices
from enterprises.models import DeclineReason, Enterprise, TechNeed
from patents.models import Institution, TransferMode

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _city_choices() -> list[tuple[str, str | Promise]]:
    return [("", _("请选择城市")), *((city.code, city.name) for city in city_list())]


def _choices_set(field: forms.Field, choices: list[tuple[str, Any]]) -> None:
    """Fill a declared ChoiceField's choices (a label or a group of them per value) when the form is built."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class SignupForm(forms.Form):
    """Self sign-up of an enterprise account (its username is the code: see enterprises.services.registration)."""

    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput(render_value=False))
    name = forms.CharField(label=_("企业名称"), max_length=200, validators=[single_line_text])
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18 位，见营业执照；小写字母会自动改为大写。注册后即为登录用户名"),
    )
    city = forms.ChoiceField(label=_("所在城市"), choices=())
    contact_name = forms.CharField(label=_("联系人"), max_length=64, validators=[single_line_text])
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False, validators=[single_line_text])
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False, help_text=_("用于接收对接通知"))
    claim_code = forms.CharField(
        label=_("认领码"),
        max_length=40,
        required=False,
        help_text=_(
            "企业名录中已有的企业：如知识产权局已向企业登记的联系人发放认领码，填写后认领立即生效；不填则提交认领申请，"
            "由知识产权局审核"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(self.fields["city"], _city_choices())

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致 / The two passwords differ"))
        return cleaned


class ProfileForm(forms.Form):
    """An enterprise's profile (the USCC is fixed at sign-up)."""

    name = forms.CharField(label=_("企业名称"), max_length=200, validators=[single_line_text])
    city = forms.ChoiceField(label=_("所在城市"), choices=(), required=False)
    industry_section = forms.ChoiceField(label=_("行业门类"), choices=(), required=False)
    industry_division = forms.ChoiceField(label=_("行业大类"), choices=(), required=False)
    size = forms.ChoiceField(label=_("规模"), choices=[("", "—"), *Enterprise.Size.choices], required=False)
    business_scope = forms.CharField(label=_("经营范围"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    products = forms.CharField(label=_("主要产品"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False, validators=[single_line_text])
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False, validators=[single_line_text])
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(self.fields["city"], _city_choices())
        _choices_set(self.fields["industry_section"], [("", "—"), *industry_section_choices()])
        _choices_set(self.fields["industry_division"], [("", "—"), *industry_division_choices()])

    @staticmethod
    def initial_for(enterprise: Enterprise) -> dict:
        """The form's initial values from a stored enterprise."""
        initial = {field: getattr(enterprise, field) for field in ProfileForm.base_fields if field != "city"}
        initial["city"] = enterprise.city_id or ""
        return initial


class TechNeedForm(forms.Form):
    """Create or edit a technology need."""

    title = forms.CharField(label=_("需求名称"), max_length=200, validators=[single_line_text])
    description = forms.CharField(label=_("需求描述"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    keywords = forms.CharField(
        label=_("关键词"),
        max_length=300,
        required=False,
        help_text=_("用逗号或顿号分隔"),
        validators=[single_line_text],
    )
    budget_min = forms.DecimalField(
        label=_("预算下限(元)"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    budget_max = forms.DecimalField(
        label=_("预算上限(元)"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    preferred_mode = forms.ChoiceField(
        label=_("期望转化方式"), choices=[("", "—"), *TransferMode.choices], required=False
    )
    deadline = forms.DateField(label=_("截止日期"), required=False, widget=DATE_INPUT)

    @staticmethod
    def initial_for(need: TechNeed) -> dict:
        """The form's initial values from a stored need."""
        return {field: getattr(need, field) for field in TechNeedForm.base_fields}


class DockingCreateForm(forms.Form):
    """A docking request: about a patent (a need may be cited) or from a need to a chosen institution."""

    need = forms.ChoiceField(label=_("关联的技术需求"), choices=(), required=False)
    institution = IdModelChoiceField(
        label=_("对接的高校/院所"), queryset=Institution.objects.filter(is_active=True), required=False
    )
    message = forms.CharField(
        label=_("对接说明"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("说明贵企业的应用场景与合作设想")
    )
    # filled in from the profile (enterprises.selectors.docking.docking_contact_defaults); the service checks them
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=_("联系电话和联系邮箱至少填写一项，高校据此联系您"),
    )
    contact_email = forms.CharField(label=_("联系邮箱"), max_length=254, required=False, widget=forms.EmailInput)
    expires_on = forms.DateField(label=_("有效期至"), required=False, widget=DATE_INPUT, help_text=_("不填则 60 天"))

    def __init__(self, *args, needs=(), about_patent: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(self.fields["need"], [("", "—"), *((str(n.pk), n.title) for n in needs)])
        if about_patent:  # the patent's own institution is asked: shown on the page, never picked
            del self.fields["institution"]


class TransitionForm(forms.Form):
    """One transition of a docking request; which fields matter depends on the action (the service checks)."""

    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decline_reason = forms.ChoiceField(label=_("婉拒原因"), choices=[("", "—"), *DeclineReason.choices], required=False)
    transfer_mode = forms.ChoiceField(label=_("转化方式"), choices=[("", "—"), *TransferMode.choices], required=False)
    amount = forms.DecimalField(label=_("合同金额(元)"), max_digits=14, decimal_places=2, required=False, min_value=0)
    signed_date = forms.DateField(label=_("签约日期"), required=False, widget=DATE_INPUT)
    contract_file = forms.FileField(label=_("合同文件（PDF 或图片）"), required=False)


class ReviewForm(forms.Form):
    """The bureau's decision on a flagged registration, or on a claim of a registry enterprise."""

    decision = forms.ChoiceField(choices=[("approve", _("通过")), ("reject", _("驳回"))], widget=forms.HiddenInput)
    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class ClaimCodeForm(forms.Form):
    """The bureau issues a claim code for a registry enterprise, named by its code."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)

"""Forms of the review chain's pages: the queue's filters and bulk actions, an inventor's description, the invitation
and its acceptance (the rules are in patents.review and patents.invitations)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import IdModelMultipleChoiceField
from patents.models import College, Patent, ReviewStatus, TransferMode
from patents.review_rules import REVIEW_STEPS

STEP_LABELS = dict(ReviewStatus.choices)


class ReviewFilterForm(forms.Form):
    """The queue's filters: the step and the college."""

    step = forms.ChoiceField(
        label=_("审核环节"), required=False, choices=[("", _("全部环节"))] + [(s, STEP_LABELS[s]) for s in REVIEW_STEPS]
    )
    college = forms.ModelChoiceField(
        label=_("学院"), required=False, queryset=College.objects.none(), empty_label=_("全部学院")
    )

    def __init__(self, *args: Any, colleges: QuerySet[College], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["college"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = colleges


class ReviewBulkForm(forms.Form):
    """Approve, return (with a comment) or mark not to pool (with a reason) the selected patents of the queue."""

    APPROVE, RETURN, REJECT = "approve", "return", "reject"

    action = forms.ChoiceField(
        label=_("批量操作"), choices=[(APPROVE, _("审核通过")), (RETURN, _("退回")), (REJECT, _("不予入库"))]
    )
    patents = IdModelMultipleChoiceField(
        queryset=Patent.objects.none(),
        error_messages={
            "required": "请先勾选专利 / select at least one patent",
            "invalid_choice": "所选专利不在您的待审核列表中 / a selected patent is not in your queue",
            "invalid_pk_value": "所选专利不在您的待审核列表中 / a selected patent is not in your queue",
        },
    )
    comment = forms.CharField(label=_("意见或原因"), required=False, max_length=500)

    def __init__(self, *args: Any, patents: QuerySet[Patent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["patents"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = patents


class DescribeForm(forms.Form):
    """What an inventor says about their patent."""

    title = forms.CharField(label=_("专利名称"), max_length=300)
    abstract = forms.CharField(label=_("摘要"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    claims = forms.CharField(label=_("权利要求"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    transfer_modes = forms.MultipleChoiceField(
        label=_("同意的转化方式"),
        required=False,
        choices=[(value, label) for value, label in TransferMode.choices if value != TransferMode.OPEN_LICENCE],
        widget=forms.CheckboxSelectMultiple,
    )


class InviteForm(forms.Form):
    """Invite an inventor by e-mail to some of the inviter's patents (by application number, one a line)."""

    email = forms.EmailField(label=_("发明人邮箱"))
    numbers = forms.CharField(
        label=_("专利申请号"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一个申请号")
    )
    college = forms.ModelChoiceField(
        label=_("所属学院"), required=False, queryset=College.objects.none(), empty_label=_("不指定")
    )

    def __init__(self, *args: Any, patents: QuerySet[Patent], colleges: QuerySet[College], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scoped = patents
        field = self.fields["college"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = colleges

    def clean_numbers(self) -> list[Patent]:
        numbers = [n.strip() for n in self.cleaned_data["numbers"].split() if n.strip()]
        found = {p.application_number: p for p in self.scoped.filter(application_number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                f"不是您可管理的专利：{'、'.join(missing)} / not among your patents: {', '.join(missing)}"
            )
        return list(found.values())


class AcceptForm(forms.Form):
    """The invitee's username and password."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise forms.ValidationError("两次输入的密码不一致 / the passwords differ")
        return data

"""Forms of the officer's inventory pages: upload, patent edit, pooling terms, bulk actions, list filters."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from common.tabular import CSV_EXTENSIONS, XLSX_EXTENSIONS, TableError
from core.forms import IdModelMultipleChoiceField
from core.validators import single_line_text
from imports.validation import upload_check
from patents.filters import PatentFilterSet
from patents.institutions import PATENTS_HELD_MAX
from patents.models import OpenLicencePayment, Patent, PatentAssessment, TransferMode
from patents.services import EDITABLE_FIELDS, NEGATIVE_AMOUNT_MESSAGE
from patents.valuation import Indicators

UPLOAD_EXTENSIONS = sorted(CSV_EXTENSIONS | XLSX_EXTENSIONS)
IPC_SECTIONS = [
    ("A", _("A 人类生活必需")),
    ("B", _("B 作业；运输")),
    ("C", _("C 化学；冶金")),
    ("D", _("D 纺织；造纸")),
    ("E", _("E 固定建筑物")),
    ("F", _("F 机械工程；照明；加热")),
    ("G", _("G 物理")),
    ("H", _("H 电学")),
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ImportUploadForm(forms.Form):
    """An inventory file and the write policy; the size is checked before the file is read."""

    file = forms.FileField(
        label=_("盘点清单文件"),
        help_text=_("CSV（UTF-8 或 GBK）或 Excel .xlsx，第一行为表头"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_EXTENSIONS)}),
    )
    valid_rows_only = forms.BooleanField(
        label=_("仅导入有效行"),
        required=False,
        help_text=_("不勾选时，只要有一行有错误就不写入任何数据；勾选后写入有效行，错误行可下载修改后重新上传。"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            upload_check(upload=upload)  # the same door check as the API: size, extension, first bytes
        except TableError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        return upload


class PatentEditForm(forms.Form):
    """The descriptive fields an officer may edit (patents.services.EDITABLE_FIELDS), with the model's labels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "application_date": DATE_WIDGET,
            "grant_date": DATE_WIDGET,
            "abstract": forms.Textarea(attrs={"rows": 5}),
            "claims": forms.Textarea(attrs={"rows": 8}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        self.fields.update(fields_for_model(Patent, fields=EDITABLE_FIELDS, widgets=widgets))
        for name in ("title", "applicant"):  # one-line names: they reach notification and e-mail titles
            self.fields[name].validators.append(single_line_text)


class _ModesField(forms.MultipleChoiceField):
    """Transfer modes: more values than there are modes is refused before any value is looked at (the API's JSON
    reaches this form: a huge list must not be checked item by item)."""

    def to_python(self, value: Any) -> list[str]:
        most = len(TransferMode.choices)
        if isinstance(value, list | tuple) and len(value) > most:
            raise ValidationError(
                "最多 %(max)d 种转化方式，收到 %(length)d 项 / At most %(max)d transfer modes, got %(length)d",
                code="too_long",
                params={"max": most, "length": len(value)},
            )
        return super().to_python(value)


AMOUNT_LIMITS: dict[str, Any] = {"min_value": 0, "max_digits": 14, "decimal_places": 2}
AMOUNT_ERRORS = {"min_value": NEGATIVE_AMOUNT_MESSAGE}


class PatentTermsForm(forms.Form):
    """Pooling terms: the one definition of their field rules, used by the page and by PUT /api/v1/patents/{pk}/terms/.

    Completeness and the open-licence caps are checked by patents.services.patent_terms_set.
    """

    transfer_modes = _ModesField(label=_("转化方式"), choices=TransferMode.choices, widget=forms.CheckboxSelectMultiple)
    price_min = forms.DecimalField(
        label=_("意向价格下限(元)"), error_messages=AMOUNT_ERRORS, required=False, **AMOUNT_LIMITS
    )
    price_max = forms.DecimalField(
        label=_("意向价格上限(元)"), error_messages=AMOUNT_ERRORS, required=False, **AMOUNT_LIMITS
    )
    price_negotiable = forms.BooleanField(label=_("价格面议"), required=False)
    contact = forms.CharField(label=_("联系人"), required=False, max_length=100, validators=[single_line_text])
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=32, validators=[single_line_text])
    open_licence_payment = forms.ChoiceField(
        label=_("开放许可付费方式"), required=False, choices=[("", "—"), *OpenLicencePayment.choices]
    )
    open_licence_lump_sum = forms.DecimalField(
        label=_("一次性总额(元)"), error_messages=AMOUNT_ERRORS, required=False, **AMOUNT_LIMITS
    )
    open_licence_royalty_rate = forms.DecimalField(
        label=_("提成比例(%)"),
        error_messages=AMOUNT_ERRORS,
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
    )
    open_licence_entry_fee = forms.DecimalField(
        label=_("入门费(元)"), error_messages=AMOUNT_ERRORS, required=False, **AMOUNT_LIMITS
    )
    open_licence_years = forms.IntegerField(
        label=_("许可期限(年)"),
        required=False,
        min_value=1,
        max_value=50,
        error_messages={
            "min_value": "许可期限至少 1 年 / the licence runs at least 1 year",
            "max_value": "许可期限最长 50 年 / the licence runs at most 50 years",
        },
    )

    @classmethod
    def initial_for(cls, patent: Patent) -> dict[str, Any]:
        return {name: getattr(patent, name) for name in cls.base_fields}


class BulkActionForm(forms.Form):
    """Which action to apply to which of the officer's patents."""

    POOL = "pool"
    UNPOOL = "unpool"
    MODES = "modes"

    action = forms.ChoiceField(
        label=_("批量操作"), choices=[(POOL, _("入库")), (UNPOOL, _("移出（未入库）")), (MODES, _("设置转化方式"))]
    )
    patents = IdModelMultipleChoiceField(
        queryset=Patent.objects.none(),
        error_messages={
            "required": "请先勾选专利 / select at least one patent",
            "invalid_choice": "所选专利不存在或不属于本单位 / a selected patent is not one of yours",
            "invalid_pk_value": "所选专利不存在或不属于本单位 / a selected patent is not one of yours",
        },
    )
    reason = forms.CharField(label=_("未入库原因"), required=False, max_length=300)
    transfer_modes = forms.MultipleChoiceField(
        label=_("转化方式"),
        required=False,
        choices=[(value, label) for value, label in TransferMode.choices if value != TransferMode.OPEN_LICENCE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "开放许可须在专利页面逐件声明付费条件 / declare open-licence terms on each patent's page"
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, patents: QuerySet[Patent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["patents"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = patents


class PatentInventoryFilterSet(PatentFilterSet):
    """The officer's own inventory: PatentFilterSet without the institution filter, plus IPC sections and sorting."""

    ipc_section = django_filters.ChoiceFilter(label=_("IPC 部"), choices=IPC_SECTIONS, empty_label=_("全部 IPC 部"))
    o = django_filters.OrderingFilter(
        fields=(
            ("application_date", "application_date"),
            ("application_number", "application_number"),
            ("title", "title"),
            ("updated_at", "updated"),
            ("demand_enterprises", "demand"),  # annotated by patents.selectors.patents_with_demand
        ),
    )
    demand = django_filters.ChoiceFilter(
        label=_("需求"),
        choices=[("yes", _("有需求")), ("no", _("无需求"))],
        empty_label=_("全部需求"),
        method="filter_demand",
    )

    class Meta:
        model = Patent
        fields = ["inventory_status", "patent_type", "ipc_section", "legal_status", "value_grade"]

    def filter_demand(self, queryset: QuerySet[Patent], name: str, value: str) -> QuerySet[Patent]:
        """有需求: at least one enterprise ranks it above the threshold in the current run; 无需求: none does."""
        return queryset.filter(demand__isnull=value == "no")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = {
            "inventory_status": _("全部状态"),
            "patent_type": _("全部类型"),
            "legal_status": _("全部法律状态"),
            "value_grade": _("全部等级"),
        }
        for name, label in empty.items():
            self.filters[name].extra["empty_label"] = label  # before the form is built from the filters


class InstitutionStockForm(forms.Form):
    """How many valid patents the institution holds, as of a date (the service checks the bounds again)."""

    held = forms.IntegerField(
        label=_("持有有效专利数"),
        min_value=0,
        max_value=PATENTS_HELD_MAX,
        help_text=_("本单位作为专利权人、目前有效的专利总数（含未入库的）；盘点率 = 已盘点的有效专利 ÷ 此数。"),
    )
    as_of = forms.DateField(label=_("统计日期"), widget=forms.DateInput(attrs={"type": "date"}))


YES_NO_UNKNOWN = [("", _("未填写")), ("yes", _("是")), ("no", _("否"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class PatentAssessmentForm(forms.Form):
    """The value self-assessment's indicators (patents.valuation) and the settled grade with its note."""

    trl = forms.TypedChoiceField(
        label=_("技术成熟度(TRL)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("未填写")), *[(str(n), str(n)) for n in range(1, 10)]],
        help_text=_("1–3 级：原理或概念；4–6 级：实验室或中试验证；7–9 级：样机或在实际环境中验证、已量产。"),
    )
    implemented = forms.ChoiceField(label=_("已实施"), required=False, choices=YES_NO_UNKNOWN)
    has_family = forms.BooleanField(label=_("有同族专利或PCT申请"), required=False)
    application_fields = forms.CharField(label=_("应用领域"), required=False, max_length=300)
    industry = forms.CharField(label=_("所属产业"), required=False, max_length=100)
    inventor_consent = forms.ChoiceField(label=_("发明人同意转化"), required=False, choices=YES_NO_UNKNOWN)
    consent_modes = forms.MultipleChoiceField(
        label=_("同意的转化方式"),
        required=False,
        choices=TransferMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    grade = forms.ChoiceField(
        label=_("认定等级"),
        required=False,
        choices=[("", _("采用自评等级")), ("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")],
    )
    note = forms.CharField(label=_("调整说明"), required=False, max_length=300, validators=[single_line_text])

    def indicators(self) -> Indicators:
        data = self.cleaned_data
        return Indicators(
            trl=data.get("trl"),
            implemented=_yes_no(data.get("implemented", "")),
            has_family=bool(data.get("has_family")),
            application_fields=data.get("application_fields", ""),
            industry=data.get("industry", ""),
            inventor_consent=_yes_no(data.get("inventor_consent", "")),
        )

    @staticmethod
    def initial_for(assessment: PatentAssessment | None) -> dict[str, object]:
        if assessment is None:
            return {}

        def yes_no(value: bool | None) -> str:
            return "" if value is None else ("yes" if value else "no")

        return {
            "trl": assessment.trl,
            "implemented": yes_no(assessment.implemented),
            "has_family": assessment.has_family,
            "application_fields": assessment.application_fields,
            "industry": assessment.industry,
            "inventor_consent": yes_no(assessment.inventor_consent),
            "consent_modes": assessment.consent_modes,
            "grade": assessment.grade if assessment.grade != assessment.derived_grade else "",
            "note": assessment.grade_note,
        }

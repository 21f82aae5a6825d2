"""The dashboard's filter form: city, institution and a date range, limited to the user's scope."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.selectors import city_list
from dashboards.selectors import DashboardFilters, DashboardScope
from patents.models import Institution


class DashboardFilterForm(forms.Form):
    """Filters a user may choose; a choice outside the scope is invalid (and then ignored)."""

    city = forms.ChoiceField(label=_("城市"), required=False)
    institution = forms.ChoiceField(label=_("高校/院所"), required=False)
    date_field = forms.ChoiceField(
        label=_("日期口径"),
        required=False,
        choices=[("application", _("专利申请日")), ("created", _("录入平台日期"))],
    )
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, scope: DashboardScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        cities = city_list()
        institutions = Institution.objects.order_by("name")
        if scope.city_code:
            cities = cities.filter(code=scope.city_code)
            institutions = institutions.filter(city_id=scope.city_code)
        if scope.institution_pk:
            del self.fields["city"], self.fields["institution"]
            return
        if scope.city_code:
            del self.fields["city"]
        else:
            city = self.fields["city"]
            assert isinstance(city, forms.ChoiceField)
            city.choices = [("", _("全部城市")), *cities.values_list("code", "name")]
        institution = self.fields["institution"]
        assert isinstance(institution, forms.ChoiceField)
        institution.choices = [("", _("全部高校/院所")), *institutions.values_list("pk", "name")]

    def to_filters(self) -> DashboardFilters:
        """The chosen filters (none when the form is invalid)."""
        if not self.is_valid():
            return DashboardFilters()
        data = self.cleaned_data
        institution = data.get("institution")
        return DashboardFilters(
            city_code=data.get("city") or "",
            institution_pk=int(institution) if institution else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            date_field=data.get("date_field") or "application",
        )

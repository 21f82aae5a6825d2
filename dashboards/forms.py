"""The dashboard's filter form: city, institution and a date range, limited to the user's scope.

The one validation of these parameters: the charts page, the report, the drill-down lists, the exports and
`/api/v1/dashboard/` all read them through this form and compute nothing when it is invalid.
"""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.selectors import city_list
from dashboards.scope import DashboardFilters, DashboardScope
from patents.models import Institution

EARLIEST_DATE = date(1985, 4, 1)  # the Chinese Patent Law took effect; no application is older


def latest_date() -> date:
    """The latest date a filter may name: a year from today."""
    return timezone.localdate() + timedelta(days=366)


class DashboardFilterForm(forms.Form):
    """Filters a user may choose (with a city chosen, the institutions offered are the city's): a city or institution
    outside the scope, a date outside EARLIEST_DATE ..
    `latest_date()` or a start after the end is an error (a form error on pages, a 400 in the API and exports)."""

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
        self.institution_cities: list[dict[str, Any]] = []
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
        # every institution of the scope with its city, for the script that narrows the list as a city is chosen
        rows = list(institutions.values_list("pk", "name", "city_id"))
        self.institution_cities = [{"pk": pk, "name": name, "city": city} for pk, name, city in rows]
        institution = self.fields["institution"]
        assert isinstance(institution, forms.ChoiceField)
        institution.choices = [("", _("全部高校/院所")), *[(pk, name) for pk, name, _city in rows]]
        chosen_city = self.data.get("city") if "city" in self.fields else None
        if chosen_city and any(city == chosen_city for _pk, _name, city in rows):
            # a chosen city narrows the list offered to its institutions (and the one chosen, if it lies elsewhere:
            # any institution in scope stays valid, with no figures in another city)
            chosen = str(self.data.get("institution") or "")
            offered = [(pk, name) for pk, name, city in rows if city == chosen_city or str(pk) == chosen]
            institution.widget.choices = [("", _("全部高校/院所")), *offered]

    def _clean_date(self, name: str) -> date | None:
        value: date | None = self.cleaned_data.get(name)
        if value is not None and not EARLIEST_DATE <= value <= latest_date():
            start, end = EARLIEST_DATE.isoformat(), latest_date().isoformat()
            raise forms.ValidationError(
                _("日期须在 %(start)s 至 %(end)s 之间 / The date must be between %(start)s and %(end)s"),
                code="out_of_range",
                params={"start": start, "end": end},
            )
        return value

    def clean_date_from(self) -> date | None:
        return self._clean_date("date_from")

    def clean_date_to(self) -> date | None:
        return self._clean_date("date_to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(
                _("起始日期不能晚于结束日期 / The start date must not be after the end date"), code="date_order"
            )
        return data

    def error_details(self) -> dict[str, list[str]]:
        """The errors as the API's `details` ({field: [messages]}, form-wide ones under non_field_errors)."""
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in self.errors.items()
        }

    def to_filters(self) -> DashboardFilters:
        """The chosen filters; only for a valid form (callers answer an invalid one with its errors)."""
        if not self.is_valid():
            raise ValueError("invalid dashboard filters")  # a caller that skipped the check: never compute on them
        data = self.cleaned_data
        institution = data.get("institution")
        return DashboardFilters(
            city_code=data.get("city") or "",
            institution_pk=int(institution) if institution else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            date_field=data.get("date_field") or "application",
        )

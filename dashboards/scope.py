"""Who sees which part of the dashboards (scope) and what they chose on the page (filters).

Scope: the province bureau and admins see everything, a city bureau its city, an officer their institution. Which
city a row belongs to is decided per measure in `dashboards.measures` (patents and docking requests: the
university's city; enterprises: the enterprise's own city). Others have no scope (callers answer 404).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.access import is_city_staff, is_officer, is_province_staff
from accounts.models import User
from core.models import City
from patents.models import Institution


@dataclass(frozen=True)
class DashboardScope:
    """What part of the data a user's dashboard covers."""

    level: str  # "province" | "city" | "institution"
    label: str
    city_code: str | None = None
    institution_pk: int | None = None

    @property
    def key(self) -> str:
        return f"{self.level}:{self.city_code or ''}:{self.institution_pk or ''}"


def dashboard_scope_for(*, user: User) -> DashboardScope | None:
    """The user's dashboard scope, or None when the user has no dashboard (enterprises, no role: callers 404)."""
    if is_province_staff(user):
        return DashboardScope(level="province", label=gettext("全省"))
    if is_city_staff(user):
        assert user.city is not None  # city_id is set
        return DashboardScope(level="city", label=user.city.name, city_code=user.city_id)
    if is_officer(user):
        assert user.institution is not None  # institution_id is set
        return DashboardScope(level="institution", label=user.institution.name, institution_pk=user.institution_id)
    return None


@dataclass(frozen=True)
class DashboardFilters:
    """Filters chosen on the page (validated by `DashboardFilterForm`); dates apply as `dashboards.measures` says."""

    city_code: str = ""
    institution_pk: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    date_field: str = "application"  # "application" (申请日) | "created" (录入平台)

    @property
    def has_range(self) -> bool:
        """Whether a date range is chosen (without one, `date_field` changes no figure)."""
        return bool(self.date_from or self.date_to)

    @property
    def key(self) -> str:
        """Everything the figures depend on: the date field only with a range (the same figures without one)."""
        date_field = self.date_field if self.has_range else ""
        parts = (self.city_code, self.institution_pk, self.date_from, self.date_to, date_field)
        return ":".join("" if part is None else str(part) for part in parts)

    def query(self, **extra: object) -> str:
        """These filters plus `extra` as a query string (for drill-down links and exports)."""
        params: dict[str, object] = {
            "city": self.city_code,
            "institution": self.institution_pk or "",
            "date_from": self.date_from or "",
            "date_to": self.date_to or "",
            "date_field": self.date_field if self.has_range else "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def date_range_q(field: str, filters: DashboardFilters) -> Q:
    """The filters' date range on `field` (both ends included). A `<moment>__date` field is compared as the moment
    from local midnight of the first day to local midnight after the last: the same rows as the `__date` lookup
    (local days, the current time zone), but the database can use the column's statistics and index."""
    condition = Q()
    if field.endswith("__date"):
        moment = field.removesuffix("__date")
        if filters.date_from:
            condition &= Q(**{f"{moment}__gte": _local_midnight(filters.date_from)})
        if filters.date_to and filters.date_to < date.max:
            condition &= Q(**{f"{moment}__lt": _local_midnight(filters.date_to + timedelta(days=1))})
        return condition
    if filters.date_from:
        condition &= Q(**{f"{field}__gte": filters.date_from})
    if filters.date_to:
        condition &= Q(**{f"{field}__lte": filters.date_to})
    return condition


def drill_url(kind: str, filters: DashboardFilters, **extra: object) -> str:
    """The drill-down list `kind` (patents | dockings | enterprises) behind a figure, with the same filters."""
    return f"{reverse(f'dashboards:drill_{kind}')}?{filters.query(**extra)}"


def dashboard_title(*, scope: DashboardScope, filters: DashboardFilters) -> str:
    """The title of what the figures cover: "武汉市 · 2026-01-01 至 2026-06-30（专利按申请日）" (unfiltered: the
    scope). The range is of everything that happened (`dashboards.measures`); the date field concerns patents."""
    parts = [scope.label]
    if filters.city_code and not scope.city_code:
        parts = [City.objects.filter(code=filters.city_code).values_list("name", flat=True).first() or scope.label]
    if filters.institution_pk and not scope.institution_pk:
        name = Institution.objects.filter(pk=filters.institution_pk).values_list("name", flat=True).first()
        parts.append(name or "")
    if filters.has_range:
        start = date_format(filters.date_from, "Y-m-d") if filters.date_from else "…"
        end = date_format(filters.date_to, "Y-m-d") if filters.date_to else "…"
        patents = gettext("专利按申请日") if filters.date_field == "application" else gettext("专利按录入日期")
        parts.append(gettext("%(start)s 至 %(end)s（%(patents)s）") % {"start": start, "end": end, "patents": patents})
    return " · ".join(part for part in parts if part)

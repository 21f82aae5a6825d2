"""Drill-down lists: the rows behind a figure, read through the same measure the figure counts."""

from django.db.models import Case, DateField, Q, QuerySet, When

from core.selectors import districts_of_city
from dashboards.concordance import patents_in_industry
from dashboards.geo import UNKNOWN_DISTRICT
from dashboards.measures import (
    ENTERPRISE_STAGES,
    PATENT_STAGES,
    SIGNED,
    STAGE_NOTES,
    docking_requests,
    docking_requests_signed,
    enterprises_registered,
    patents_inventoried,
    signing_day,
)
from dashboards.models import UNCLASSIFIED, IndustryCategory
from dashboards.responses import response_bucket_q
from dashboards.scope import DashboardFilters, DashboardScope
from enterprises.models import DeclineReason, DockingRequest, DockingStatus, Enterprise
from patents.models import Patent, PatentType


def district_q(*, scope: DashboardScope, filters: DashboardFilters, district: str) -> Q | None:
    """Rows of a university in `district` (a 区/县 code of the map's district table; `unknown`: in none of the
    city's districts), None for no or a malformed district."""
    if district == UNKNOWN_DISTRICT:
        codes = [d.code for d in districts_of_city(scope.city_code or filters.city_code)]
        return ~Q(institution__district_code__in=codes)
    if len(district) == 6 and district.isdigit():
        return Q(institution__district_code=district)
    return None


def drill_patents(*, scope: DashboardScope, filters: DashboardFilters, params: dict[str, str]) -> QuerySet[Patent]:
    """The patents behind a chart segment: `params` may name a funnel stage, patent_type and industry."""
    measure = PATENT_STAGES.get(params.get("stage", ""), patents_inventoried)
    qs = measure(scope=scope, filters=filters).select_related("institution", "institution__city")
    if params.get("patent_type") in PatentType.values:
        qs = qs.filter(patent_type=params["patent_type"])
    if params.get("industry") in [*IndustryCategory.values, UNCLASSIFIED]:
        qs = patents_in_industry(patents=qs, category=params["industry"])
    if (in_district := district_q(scope=scope, filters=filters, district=params.get("district", ""))) is not None:
        qs = qs.filter(in_district)
    return qs.order_by("institution__name", "application_number")


def drill_dockings(
    *, scope: DashboardScope, filters: DashboardFilters, params: dict[str, str]
) -> QuerySet[DockingRequest]:
    """The docking requests behind a chart segment: `params` may name status, decline_reason, bucket. Requests
    submitted in the range; `status=signed`: the deals signed in the range (the 已签约 card), whenever submitted."""
    measure = docking_requests_signed if params.get("status") == DockingStatus.SIGNED else docking_requests
    qs = measure(scope=scope, filters=filters).select_related("enterprise", "institution", "patent", "need")
    qs = qs.annotate(signed_day=Case(When(SIGNED, then=signing_day()), output_field=DateField()))
    if params.get("status") in DockingStatus.values:
        qs = qs.filter(status=params["status"])
    if params.get("decline_reason") in DeclineReason.values:
        qs = qs.filter(decline_reason=params["decline_reason"])
    if (bucket := response_bucket_q(params.get("bucket", ""))) is not None:
        qs = qs.filter(bucket)
    if (in_district := district_q(scope=scope, filters=filters, district=params.get("district", ""))) is not None:
        qs = qs.filter(in_district)
    return qs.order_by("-submitted_at", "-pk")


def drill_enterprises(
    *, scope: DashboardScope, filters: DashboardFilters, params: dict[str, str]
) -> QuerySet[Enterprise]:
    """The enterprises behind a KPI: `params` may name stage = following | with_needs."""
    measure = ENTERPRISE_STAGES.get(params.get("stage", ""), enterprises_registered)
    return measure(scope=scope, filters=filters).select_related("city").order_by("name", "pk")


def drill_note_key(*, kind: str, params: dict[str, str]) -> str:
    """Which of `MEASURE_NOTES` explains the list: a funnel stage's own events, follows for 有关注的企业."""
    if kind == "patents":
        return STAGE_NOTES.get(params.get("stage", ""), "patents")
    if kind == "enterprises" and params.get("stage") == "following":
        return "follows"
    return kind


DRILLS = {"patents": drill_patents, "dockings": drill_dockings, "enterprises": drill_enterprises}

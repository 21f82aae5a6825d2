"""One definition per measure: every figure of the dashboard, the report, the exports and the drill-down lists is
counted from one of these querysets (or a grouping of one), so a number means the same everywhere.

Which city and which dates a filter means, per measure (the page shows `MEASURE_NOTES`):
- patents (已盘点 / 已入库 / 被关注 / 对接 / 签约, by type, industry, city, institution): the owning university's city
  and institution; the date range applies to the application date or the date the patent reached the platform
  (`DashboardFilters.date_field`).
- docking requests (对接请求 / 已签约 / amounts, response times, declines): the requested university's city and
  institution — the same rule as patents, so a request counts where its patent counts; the date range applies to
  the submission date.
- enterprises (注册 / 有关注 / 发布需求): the enterprise's own city; for an institution, the enterprises that follow
  its patents or asked it to dock; the date range applies to the registration date on the platform.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from dashboards.scope import DashboardFilters, DashboardScope, date_range_q
from enterprises.models import DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from patents.models import Institution, InventoryStatus, Patent

SIGNED = Q(status=DockingStatus.SIGNED)
MEASURE_NOTES = {
    "patents": gettext_lazy("专利按所属高校/院所所在城市统计，日期按所选日期口径。"),
    "dockings": gettext_lazy("对接请求按被请求高校/院所所在城市统计，日期按提交日期。"),
    "enterprises": gettext_lazy("企业按企业自身所在城市统计，日期按注册日期。"),
}


def _institution_pks(scope: DashboardScope, filters: DashboardFilters) -> list[int]:
    return [pk for pk in (scope.institution_pk, filters.institution_pk) if pk]


def _city_codes(scope: DashboardScope, filters: DashboardFilters) -> list[str]:
    return [code for code in (scope.city_code, filters.city_code) if code]


def _in_university_scope(qs: QuerySet, scope: DashboardScope, filters: DashboardFilters, *, via: str = "") -> QuerySet:
    """`qs` limited to the scope's and the filter's institution and city, both taken from the university that
    `via` leads to (`""`: the rows' own institution; `"patent__"`: their patent's)."""
    for institution_pk in _institution_pks(scope, filters):
        qs = qs.filter(**{f"{via}institution_id": institution_pk})
    for city_code in _city_codes(scope, filters):
        qs = qs.filter(**{f"{via}institution__city_id": city_code})
    return qs


def patents_inventoried(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """已盘点: every patent in scope (the university's city and institution), in the chosen date range."""
    qs = _in_university_scope(Patent.objects.all(), scope, filters)
    field = "application_date" if filters.date_field == "application" else "created_at__date"
    return qs.filter(date_range_q(field, filters))


def patents_pooled(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """已入库: inventoried patents in the transfer pool."""
    return patents_inventoried(scope=scope, filters=filters).filter(inventory_status=InventoryStatus.POOLED)


def patents_followed(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """被关注: inventoried patents at least one enterprise follows."""
    follows = PatentFollow.objects.filter(patent_id=OuterRef("pk"))
    return patents_inventoried(scope=scope, filters=filters).filter(Exists(follows))


def patent_follows(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[PatentFollow]:
    """关注 (follows): follows of patents in scope (the patent's university city and institution), made in the range."""
    qs = _in_university_scope(PatentFollow.objects.all(), scope, filters, via="patent__")
    return qs.filter(date_range_q("created_at__date", filters))


def docking_requests(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[DockingRequest]:
    """对接请求: requests to universities in scope (the university's city and institution), submitted in the range."""
    qs = _in_university_scope(DockingRequest.objects.all(), scope, filters)
    return qs.filter(date_range_q("submitted_at__date", filters))


def docking_requests_signed(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[DockingRequest]:
    """已签约 (requests): the docking requests that ended in a signed contract."""
    return docking_requests(scope=scope, filters=filters).filter(SIGNED)


def _requests_about_patent(filters: DashboardFilters) -> QuerySet[DockingRequest]:
    """The counted requests about the outer patent: a request about a patent is addressed to the patent's
    institution (`docking_request_create`), so only the date range remains to apply."""
    return DockingRequest.objects.filter(date_range_q("submitted_at__date", filters), patent_id=OuterRef("pk"))


def patents_docking(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """对接 (patents): inventoried patents with at least one of the counted docking requests."""
    return patents_inventoried(scope=scope, filters=filters).filter(Exists(_requests_about_patent(filters)))


def patents_signed(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """已签约 (patents): inventoried patents with at least one of the counted signed docking requests."""
    signed = _requests_about_patent(filters).filter(SIGNED)
    return patents_inventoried(scope=scope, filters=filters).filter(Exists(signed))


def enterprises_registered(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    """注册企业: enterprises in scope by their own city (an institution: those engaged with it), registered in range."""
    qs = Enterprise.objects.all()
    for institution_pk in _institution_pks(scope, filters):
        engaged = Q(pk__in=PatentFollow.objects.filter(patent__institution_id=institution_pk).values("enterprise_id"))
        engaged |= Q(pk__in=DockingRequest.objects.filter(institution_id=institution_pk).values("enterprise_id"))
        qs = qs.filter(engaged)
    for city_code in _city_codes(scope, filters):
        qs = qs.filter(city_id=city_code)
    return qs.filter(date_range_q("created_at__date", filters))


def enterprises_following(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    """有关注的企业: registered enterprises that follow at least one patent."""
    follows = PatentFollow.objects.filter(enterprise_id=OuterRef("pk"))
    return enterprises_registered(scope=scope, filters=filters).filter(Exists(follows))


def enterprises_with_needs(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    """发布需求的企业: registered enterprises that published at least one technology need."""
    needs = TechNeed.objects.filter(enterprise_id=OuterRef("pk"))
    return enterprises_registered(scope=scope, filters=filters).filter(Exists(needs))


def institutions_in_scope(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Institution]:
    """Institutions in scope matching the city / institution filters (the response-time tables)."""
    qs = Institution.objects.all()
    for institution_pk in _institution_pks(scope, filters):
        qs = qs.filter(pk=institution_pk)
    for city_code in _city_codes(scope, filters):
        qs = qs.filter(city_id=city_code)
    return qs


PATENT_STAGES = {
    "inventoried": patents_inventoried,
    "pooled": patents_pooled,
    "followed": patents_followed,
    "docking": patents_docking,
    "signed": patents_signed,
}
ENTERPRISE_STAGES = {"following": enterprises_following, "with_needs": enterprises_with_needs}

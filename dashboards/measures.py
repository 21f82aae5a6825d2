"""One definition per measure: every figure of the dashboard, the report, the exports, the drill-down lists and
`/api/v1/dashboard/` is counted from one of these querysets (or a grouping of one), so a number means the same
everywhere.

A date range means **what happened in it**, each record on its own date (`DATE_RANGE_MEANING`, shown by the filters):
patents by the chosen date (application or arrival on the platform, `DashboardFilters.date_field`), follows when
made, docking requests when submitted (their response times and declines too), deals when signed (`signing_day`),
enterprises when registered, needs when published. A funnel stage or card counts the same events as the stage or
card it mirrors: 被关注 and 有关注的企业 are the patents and the enterprises of the follows made in the range;
有对接请求 and the 对接请求 card's 涉及专利 the patents of the requests submitted in it; 已签约 (funnel) and the
已签约 card's 涉及专利 the patents of the deals signed in it. So under a range the last three stages are not a subset
of the patents inventoried in it (a patent applied for in 2019 may be followed in 2026), and show no share.

Which city and institution a filter means, per measure (the page shows `MEASURE_NOTES`):
- patents (已盘点 / 已入库 / 被关注 / 有对接请求 / 已签约, by type, industry, city, institution): the owning
  university's city and institution.
- follows (被关注, 有关注的企业, the follows trend): the followed patent's university — a follow counts where its
  patent counts.
- docking requests (对接请求 / 已签约 / amounts, response times, declines): the requested university's city and
  institution — the same rule as patents, so a request counts where its patent counts.
- enterprises (注册 / 发布需求): the enterprise's own city; for an institution, the enterprises that followed its
  patents or asked it to dock (in the range: the card counts that engagement, not registrations).
"""

from django.db.models import DateField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy

from dashboards.scope import DashboardFilters, DashboardScope, date_range_q
from enterprises.models import DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from patents.models import InventoryStatus, Patent

SIGNED = Q(status=DockingStatus.SIGNED)
MEASURE_NOTES = {
    "patents": gettext_lazy("专利按所属高校/院所所在城市统计，日期按所选日期口径。"),
    "follows": gettext_lazy("关注按被关注专利所属高校/院所所在城市统计，日期按关注日期。"),
    "dockings": gettext_lazy("对接请求按被请求高校/院所所在城市统计，日期按提交日期；签约按签约日期。"),
    "enterprises": gettext_lazy(
        "企业按自身所在城市统计，日期按平台注册日期（需求按发布日期）；高校/院所看板为范围内关注或对接本单位的企业。"
    ),
}
DATE_RANGE_MEANING = gettext_lazy(
    "日期范围统计范围内发生的事：专利按所选日期口径，关注按关注日，对接请求按提交日（响应时长同），签约按签约日，"
    "企业按平台注册日。漏斗的“被关注”“有对接请求”“已签约”与卡片的“有关注的企业”“涉及专利”同口径，不限于范围内盘点的专利。"
)
# Which note explains each funnel stage's drill-down list.
STAGE_NOTES = {"followed": "follows", "docking": "dockings", "signed": "dockings"}


def signing_day() -> Coalesce:
    """SQL: the day a deal was signed — the contract's `signed_date` (the signing service requires it); a request
    marked signed without one (written outside the services) falls back to the day it was closed, then submitted."""
    return Coalesce(
        "signed_date", TruncDate("closed_at"), TruncDate("submitted_at"), output_field=DateField()
    )  # TruncDate: in the current time zone, as the `__date` lookups of the other measures


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


def patent_date_field(filters: DashboardFilters) -> str:
    """The lookup of a patent's chosen date: its application date or the day it reached the platform."""
    return "application_date" if filters.date_field == "application" else "created_at__date"


def patents_in_scope(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """Every patent of the universities in scope, whatever its dates (the stages below date their own events)."""
    return _in_university_scope(Patent.objects.all(), scope, filters)


def patents_inventoried(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """已盘点: patents in scope whose chosen date is in the range."""
    return patents_in_scope(scope=scope, filters=filters).filter(date_range_q(patent_date_field(filters), filters))


def patents_pooled(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """已入库: inventoried patents in the transfer pool."""
    return patents_inventoried(scope=scope, filters=filters).filter(inventory_status=InventoryStatus.POOLED)


def patent_follows(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[PatentFollow]:
    """关注 (follows): follows of patents in scope (the patent's university city and institution), made in the range."""
    qs = _in_university_scope(PatentFollow.objects.all(), scope, filters, via="patent__")
    return qs.filter(date_range_q("created_at__date", filters))


def patents_followed(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """被关注: patents in scope followed in the range (the patents of `patent_follows`)."""
    follows = PatentFollow.objects.filter(date_range_q("created_at__date", filters), patent_id=OuterRef("pk"))
    return patents_in_scope(scope=scope, filters=filters).filter(Exists(follows))


def docking_requests(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[DockingRequest]:
    """对接请求: requests to universities in scope (the university's city and institution), submitted in the range."""
    qs = _in_university_scope(DockingRequest.objects.all(), scope, filters)
    return qs.filter(date_range_q("submitted_at__date", filters))


def _signed_in_range(qs: QuerySet[DockingRequest], filters: DashboardFilters) -> QuerySet[DockingRequest]:
    """The signed requests of `qs` whose signing day (alias `signed_on`) is in the range."""
    return qs.filter(SIGNED).alias(signed_on=signing_day()).filter(date_range_q("signed_on", filters))


def docking_requests_signed(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[DockingRequest]:
    """已签约 (deals): requests to universities in scope signed in the range (by `signing_day`, alias `signed_on`),
    whenever they were submitted."""
    return _signed_in_range(_in_university_scope(DockingRequest.objects.all(), scope, filters), filters)


def _requests_about_patent() -> QuerySet[DockingRequest]:
    """The requests about the outer patent: a request about a patent is addressed to the patent's institution
    (`docking_request_create`), so the patent's scope is the request's."""
    return DockingRequest.objects.filter(patent_id=OuterRef("pk"))


def patents_docking(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """有对接请求: patents in scope with a docking request submitted in the range (the patents of
    `docking_requests`)."""
    submitted = _requests_about_patent().filter(date_range_q("submitted_at__date", filters))
    return patents_in_scope(scope=scope, filters=filters).filter(Exists(submitted))


def patents_signed(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Patent]:
    """已签约 (patents, 涉及专利): patents in scope with a deal signed in the range (the patents of
    `docking_requests_signed`)."""
    signed = _signed_in_range(_requests_about_patent(), filters)
    return patents_in_scope(scope=scope, filters=filters).filter(Exists(signed))


def _enterprises_by_city(scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all()
    for city_code in _city_codes(scope, filters):
        qs = qs.filter(city_id=city_code)
    return qs


def _engaged_with(institution_pk: int, filters: DashboardFilters | None) -> Q:
    """Enterprises that followed the institution's patents or sent it a docking request (in the range of `filters`;
    at any time for None)."""
    follows = PatentFollow.objects.filter(patent__institution_id=institution_pk)
    requests = DockingRequest.objects.filter(institution_id=institution_pk)
    if filters is not None:
        follows = follows.filter(date_range_q("created_at__date", filters))
        requests = requests.filter(date_range_q("submitted_at__date", filters))
    return Q(pk__in=follows.values("enterprise_id")) | Q(pk__in=requests.values("enterprise_id"))


def enterprises_registered(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    """注册企业: enterprises in scope by their own city, registered in the range. For an institution (scope or
    filter): 关注或对接本单位的企业, the enterprises that followed its patents or asked it to dock in the range."""
    qs = _enterprises_by_city(scope, filters)
    institution_pks = _institution_pks(scope, filters)
    for institution_pk in institution_pks:
        qs = qs.filter(_engaged_with(institution_pk, filters))
    return qs if institution_pks else qs.filter(date_range_q("created_at__date", filters))


def enterprises_following(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    """有关注的企业: the enterprises of `patent_follows` — that followed a patent in scope in the range (counted where
    the patent counts, like 被关注, whatever the enterprise's own city)."""
    follows = patent_follows(scope=scope, filters=filters).filter(enterprise_id=OuterRef("pk"))
    return Enterprise.objects.filter(Exists(follows))


def enterprises_with_needs(*, scope: DashboardScope, filters: DashboardFilters) -> QuerySet[Enterprise]:
    """发布需求的企业: enterprises in scope (their own city; for an institution, those that ever followed its patents
    or asked it to dock) that published a technology need in the range."""
    qs = _enterprises_by_city(scope, filters)
    for institution_pk in _institution_pks(scope, filters):
        qs = qs.filter(_engaged_with(institution_pk, None))
    needs = TechNeed.objects.filter(date_range_q("created_at__date", filters), enterprise_id=OuterRef("pk"))
    return qs.filter(Exists(needs))


PATENT_STAGES = {
    "inventoried": patents_inventoried,
    "pooled": patents_pooled,
    "followed": patents_followed,
    "docking": patents_docking,
    "signed": patents_signed,
}
# Stages that count events in the range rather than patents dated in it: not a subset of 已盘点 under a range.
EVENT_STAGES = ("followed", "docking", "signed")
ENTERPRISE_STAGES = {"following": enterprises_following, "with_needs": enterprises_with_needs}

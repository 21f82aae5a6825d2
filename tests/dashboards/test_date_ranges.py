"""The figures under a date range, each on the page's own URL: a date range means what
happened in it (patents by the chosen date, follows when made, requests when submitted, deals when signed, response
times of the requests submitted in it), so the figures beside each other agree."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.models import DockingRequest, DockingStatus, PatentFollow
from tests.dashboards.demo import TZ

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _request(
    enterprise, patent, *, submitted: date, status: str = DockingStatus.NEGOTIATING, signed: date | None = None
):
    return DockingRequest.objects.create(
        enterprise=enterprise,
        institution=patent.institution,
        patent=patent,
        status=DockingStatus.SIGNED if signed else status,
        submitted_at=_at(submitted),
        responded_at=_at(submitted) + timedelta(hours=6),
        closed_at=_at(signed, 16) if signed else None,
        expires_at=_at(submitted) + timedelta(days=60),
        signed_date=signed,
        signed_amount=Decimal("100000.00") if signed else None,
    )


def _sign(docking: DockingRequest, *, on: date) -> None:
    DockingRequest.objects.filter(pk=docking.pk).update(
        status=DockingStatus.SIGNED, signed_date=on, closed_at=_at(on, 16), signed_amount=Decimal("300000.00")
    )


def _kpi_text(html: str, key: str) -> str:
    match = re.search(rf'data-kpi="{key}">(.*?)</div>', html, re.S)
    assert match, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_created_range_counts_deals_signed_and_requests_submitted_in_it_with_their_patents(
    client, client_for, demo, bureau
):
    # given: patents that reached the platform before June 2026; in June three requests about them are
    # submitted (two signed in June) and a request submitted in March is signed in June
    e, p = demo.enterprises, demo.patents
    _request(e["宜昌清源环保科技有限公司"], p["一种数控机床夹具"], submitted=date(2026, 6, 5), signed=date(2026, 6, 25))
    _request(
        e["武汉东湖生物医药有限公司"],
        p["一种遥感影像变化检测方法"],
        submitted=date(2026, 6, 10),
        signed=date(2026, 6, 28),
    )
    _request(e["襄阳汽车零部件有限公司"], p["一种汽车座椅"], submitted=date(2026, 6, 12), status=DockingStatus.ACCEPTED)
    _sign(DockingRequest.objects.get(patent=p["一种工业机器人关节减速器"]), on=date(2026, 6, 15))
    params = {"date_field": "created", "date_from": "2026-06-01", "date_to": "2026-06-30"}
    client.force_login(bureau)

    # when
    figures = client_for(bureau).get(reverse("dashboards-api:figures"), params).json()
    page = client.get(reverse("dashboards:dashboard"), params).content.decode()
    signed_list = client.get(reverse("dashboards:drill_patents"), {**params, "stage": "signed"})

    # then: 已签约 = the deals signed in June, 涉及专利 = their patents = the funnel's 已签约
    kpis, funnel = figures["kpis"], {row["code"]: row["count"] for row in figures["funnel"]}
    assert (kpis["signed"], kpis["signed_patents"], funnel["signed"]) == (3, 3, 3)
    assert kpis["signed_amount"] == 500000.0
    assert _kpi_text(page, "signed") == "已签约 3 涉及专利 3 件 · 合同金额 ¥500,000"
    assert {p.title for p in signed_list.context["page"].object_list} == {
        "一种数控机床夹具",
        "一种遥感影像变化检测方法",
        "一种工业机器人关节减速器",
    }
    # then: 对接请求 = the requests submitted in June, the funnel's 有对接请求 = their patents
    assert (kpis["docking_requests"], kpis["docking_patents"], funnel["docking"]) == (3, 3, 3)
    assert _kpi_text(page, "docking_requests") == "对接请求 3 涉及专利 3 件"
    # then: the patents inventoried in June are none, and the later stages say they are not a share of them
    assert (funnel["inventoried"], funnel["pooled"]) == (0, 0)
    assert [row["share"] for row in figures["funnel"]] == [None, None, None, None, None]


def test_application_range_counts_follows_made_in_it_for_patents_and_enterprises_alike(client, demo, bureau):
    # given: the demo's follows were made in 2026; one more was made in 2021
    PatentFollow.objects.create(
        enterprise=demo.enterprises["宜昌清源环保科技有限公司"],
        patent=demo.patents["一种污水深度处理装置"],
        created_at=_at(date(2021, 5, 1)),
    )
    params = {"date_from": "2020-01-01", "date_to": "2022-12-31"}
    client.force_login(bureau)

    # when
    page = client.get(reverse("dashboards:dashboard"), params)
    followed = client.get(reverse("dashboards:drill_patents"), {**params, "stage": "followed"})
    following = client.get(reverse("dashboards:drill_enterprises"), {**params, "stage": "following"})

    # then: 被关注 and 有关注的企业 are the two sides of the follows made in 2020–2022
    figures = page.context["figures"]
    assert figures["funnel"][2]["count"] == figures["kpis"]["following"] == 1
    assert [p.title for p in followed.context["page"].object_list] == ["一种污水深度处理装置"]
    assert [e.name for e in following.context["page"].object_list] == ["宜昌清源环保科技有限公司"]
    # then: the patents applied for in the range are still counted by their application date
    assert figures["kpis"]["inventoried"] == 6


def test_median_response_covers_the_requests_submitted_in_the_range(client_for, demo, bureau):
    # given: the demo's requests submitted in March 2026 were answered by 华中科技大学 after 30 and 50 hours

    # when
    api = client_for(bureau)
    nothing = api.get(reverse("dashboards-api:figures"), {"date_from": "2027-01-01", "date_to": "2027-06-30"}).json()
    march = api.get(reverse("dashboards-api:figures"), {"date_from": "2026-03-01", "date_to": "2026-03-31"}).json()
    everything = api.get(reverse("dashboards-api:figures")).json()

    # then
    assert nothing["kpis"]["median_response_hours"] is None
    assert nothing["response_institutions"] == []
    assert march["kpis"]["median_response_hours"] == 40.0
    assert [(r["label"], r["answered"], r["median_hours"]) for r in march["response_institutions"]] == [
        ("华中科技大学", 2, 40.0)
    ]
    assert everything["kpis"]["median_response_hours"] == 200.0  # 华中科技大学 25, 武汉大学 200, 三峡大学 250


def test_city_range_counts_the_patents_of_the_deals_signed_in_it(client, client_for, demo, bureau):
    # given: in 武汉, a deal submitted in February is signed in April 2026 (the demo's), and a request submitted in
    # March is signed in May; no 武汉 patent was applied for in 2026
    _sign(DockingRequest.objects.get(patent=demo.patents["一种工业机器人关节减速器"]), on=date(2026, 5, 10))
    params = {"city": "4201", "date_from": "2026-03-01", "date_to": "2026-09-30"}
    client.force_login(bureau)

    # when
    kpis = client_for(bureau).get(reverse("dashboards-api:figures"), params).json()["kpis"]
    page = client.get(reverse("dashboards:dashboard"), params).content.decode()
    deals = client.get(reverse("dashboards:drill_dockings"), {**params, "status": "signed"})

    # then
    assert (kpis["inventoried"], kpis["signed"], kpis["signed_patents"]) == (0, 2, 2)
    assert _kpi_text(page, "signed") == "已签约 2 涉及专利 2 件 · 合同金额 ¥1,100,000"
    assert sorted(d.signed_date for d in deals.context["page"].object_list) == [date(2026, 4, 20), date(2026, 5, 10)]


def test_the_page_and_the_report_say_what_a_range_means_beside_the_filters(client, demo, bureau):
    # given
    client.force_login(bureau)
    params = {"date_from": "2026-01-01", "date_to": "2026-06-30"}

    # when
    page = client.get(reverse("dashboards:dashboard"), params).content.decode()
    report = client.get(reverse("dashboards:report"), params).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("dashboards:dashboard"), params).content.decode()

    # then: inside the filter form, in Chinese, and in English for English readers
    form = page.split('data-testid="dashboard-filters"')[1].split("</form>")[0]
    assert "日期范围统计范围内发生的事：专利按所选日期口径，关注按关注日，对接请求按提交日" in form
    assert "日期范围统计范围内发生的事" in report
    assert "A date range counts what happened in it: patents by the chosen date, follows when made" in english


def test_cached_figures_are_keyed_by_what_they_mean(demo, bureau):
    # given: figures cached by the previous release under its key (same generation, language, scope and filters)
    from django.core.cache import cache

    from dashboards.cache import dashboard_cache_version, figures_cache_key
    from dashboards.selectors import DashboardFilters, dashboard_figures_cached, dashboard_scope_for

    scope = dashboard_scope_for(user=bureau)
    in_range = DashboardFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    cache.set(f"dashboards:figures:{dashboard_cache_version()}:zh-hans:{scope.key}:{in_range.key}", {"kpis": "old"})

    # when
    figures = dashboard_figures_cached(scope=scope, filters=in_range)

    # then: the old entry is not served; a date field without a range is the same figures, with one it is not
    assert figures["kpis"]["docking_requests"] == 2
    key = figures_cache_key(language="zh-hans", scope_key=scope.key, filters_key=DashboardFilters().key)
    assert key == figures_cache_key(
        language="zh-hans", scope_key=scope.key, filters_key=DashboardFilters(date_field="created").key
    )
    assert (
        in_range.key
        != DashboardFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), date_field="created").key
    )

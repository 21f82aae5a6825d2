"""load_demo: believable, deterministic, idempotent; built only from files inside the repo."""

import csv

import pytest

from demo.services import DEMO_DIR, application_number_make, demo_load
from enterprises.models import OPEN_DOCKING_STATUSES, Enterprise
from patents.models import Institution, Patent


def _rows(*parts: str) -> int:
    with (DEMO_DIR.joinpath(*parts)).open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_generated_application_numbers_carry_a_valid_check_digit():
    # 201910209152.5 is a real number (CN109918572B): the generator must reproduce its check digit
    assert application_number_make(year=2019, type_digit=1, serial=209152) == "201910209152.5"
    assert application_number_make(year=2020, type_digit=1, serial=1355629) == "202011355629.X"


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing():
    # when
    first = demo_load(password="Demo-pass-2026")
    second = demo_load(password="Demo-pass-2026")
    # then
    expected_patents = (
        _rows("kppatent-zh", "patents_full.csv")
        + _rows("kppatent-zh", "patents_abstracts.csv")
        + _rows("cn-patent-ipc", "titles_ipc.csv")
    )
    assert first.patents == expected_patents == 13460
    assert first.enterprises == 3000
    assert (second.institutions, second.patents, second.enterprises, second.needs) == (0, 0, 0, 0)
    assert Patent.objects.count() == 13460
    assert Patent.objects.filter(is_demo=False).count() == 0
    assert Enterprise.objects.filter(is_demo=True).count() == 3000
    assert Institution.objects.filter(city__province_id="42").count() == first.institutions
    assert [u[0] for u in second.users] == ["officer", "officer_whu", "enterprise", "bureau", "bureau_wuhan", "admin"]
    # 664 of the 696 full-text patents carry claims in the source file (32 have none)
    assert Patent.objects.filter(claims__gt="").count() == 664


@pytest.mark.django_db
def test_demo_has_follows_and_docking_requests_in_every_state_all_in_the_past():
    from django.utils import timezone

    from enterprises.models import DockingRequest, DockingStatus, PatentFollow

    # when
    first = demo_load(password="Demo-pass-2026")
    second = demo_load(password="Demo-pass-2026")
    # then
    now = timezone.now()
    assert first.follows == PatentFollow.objects.count() > 300
    assert first.docking_requests == DockingRequest.objects.count() > 80
    assert (second.follows, second.docking_requests) == (0, 0)
    statuses = set(DockingRequest.objects.values_list("status", flat=True))
    assert statuses == set(DockingStatus.values)
    for docking in DockingRequest.objects.prefetch_related("events"):
        events = list(docking.events.order_by("at"))
        assert events[0].action == "submit"
        assert events[-1].to_status == docking.status  # the timeline ends where the request is
        assert all(e.at <= now for e in events)
        assert docking.patent.inventory_status == "pooled"
        if docking.status in OPEN_DOCKING_STATUSES:
            assert docking.expires_at > now
        if docking.status not in ("submitted", "withdrawn", "expired"):
            assert docking.responded_at is not None
    signed = DockingRequest.objects.filter(status="signed")
    assert all(d.signed_amount > 0 and d.signed_mode and d.signed_date for d in signed)
    assert not DockingRequest.objects.filter(status="declined", decline_reason="").exists()
    # the demo enterprise account has something to look at
    from accounts.models import User

    member = User.objects.get(username="enterprise")
    assert PatentFollow.objects.filter(enterprise=member.enterprise).count() == 3
    assert DockingRequest.objects.filter(enterprise=member.enterprise).count() == 1


@pytest.mark.django_db
def test_the_demo_trends_spread_over_nine_months_and_nothing_happens_before_it_arrived():
    from collections import Counter

    from dashboards.figures import dashboard_figures
    from dashboards.scope import DashboardFilters, DashboardScope
    from enterprises.models import DockingRequest, PatentFollow

    # when
    demo_load(password="Demo-pass-2026")
    province = DashboardScope(level="province", label="湖北省")
    trends = dashboard_figures(scope=province, filters=DashboardFilters())["trends"]
    # then: every series on its own dates, spread over the demo's months — not one spike on the day of loading
    for series, at_least in (("patents", 9), ("follows", 8), ("dockings", 8), ("signed", 6)):
        per_month = [r[series] for r in trends if r[series]]
        assert len(per_month) >= at_least, series
        assert max(per_month) < 0.35 * sum(per_month), series
    assert sum(r["patents"] for r in trends) == Patent.objects.count()
    assert sum(r["follows"] for r in trends) == PatentFollow.objects.count()
    assert sum(r["dockings"] for r in trends) == DockingRequest.objects.count()
    assert sum(r["signed"] for r in trends) == DockingRequest.objects.filter(status="signed").count()
    # a follow or a request never comes before the patent or the enterprise reached the platform
    for follow in PatentFollow.objects.select_related("patent", "enterprise"):
        assert follow.patent.created_at < follow.created_at
        assert follow.enterprise.created_at < follow.created_at
    for docking in DockingRequest.objects.select_related("patent", "enterprise"):
        assert docking.patent.created_at < docking.submitted_at
        assert docking.enterprise.created_at < docking.submitted_at
    assert max(Counter(p.created_at.date() for p in Patent.objects.only("created_at")).values()) < 200

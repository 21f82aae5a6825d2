"""Reads: overdue flags and median response times with an injected clock, scoping of follows and docking."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from enterprises.models import DockingStatus
from enterprises.selectors.docking import (
    InstitutionResponseTime,
    docking_decline_reason_counts,
    docking_inbox,
    docking_list,
    docking_waiting,
    institution_response_times,
)
from enterprises.selectors.follows import patent_actions_state, patent_follow_list
from enterprises.services.docking import docking_transition
from enterprises.services.follows import patent_follow
from patents.models import Institution
from tests.enterprises.factories import DockingRequestFactory, PatentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_overdue_is_computed_from_submitted_at_against_the_injected_now(make_docking, officer):
    # given: 7 days is the default limit
    fresh = make_docking(submitted_at=NOW - timedelta(days=6, hours=23))
    late = make_docking(
        patent=PatentFactory(institution=officer.institution), submitted_at=NOW - timedelta(days=7, hours=1)
    )
    answered_late = make_docking(
        patent=PatentFactory(institution=officer.institution),
        status=DockingStatus.ACCEPTED,
        submitted_at=NOW - timedelta(days=30),
        responded_at=NOW - timedelta(days=20),
    )
    # when
    flags = dict(docking_list(user=officer, now=NOW).values_list("pk", "is_overdue"))
    # then
    assert flags == {fresh.pk: False, late.pk: True, answered_late.pk: False}
    # and moving the clock two hours on makes the fresh one overdue too
    later = docking_list(user=officer, now=NOW + timedelta(hours=2)).filter(is_overdue=True)
    assert set(later.values_list("pk", flat=True)) == {fresh.pk, late.pk}


def test_overdue_limit_comes_from_settings(make_docking, officer, settings):
    # given
    settings.DOCKING_OVERDUE_DAYS = 3
    docking = make_docking(submitted_at=NOW - timedelta(days=4))
    # when
    flag = docking_list(user=officer, now=NOW).get(pk=docking.pk).is_overdue
    # then
    assert flag is True


def test_median_first_response_time_per_institution(institution, other_institution, enterprise, wuhan):
    # given: HUST answers after 2 h, 5 h and 30 h, has one waiting request and one overdue; WHU after 10 h and 20 h
    quiet = Institution.objects.create(name="湖北大学", moe_code="4142010512", city=wuhan)
    t0 = NOW - timedelta(days=40)

    def docking(inst, hours=None, status=DockingStatus.SUBMITTED, submitted=t0):
        responded = submitted + timedelta(hours=hours) if hours is not None else None
        return DockingRequestFactory(
            enterprise=enterprise,
            patent=PatentFactory(institution=inst),
            status=status,
            submitted_at=submitted,
            responded_at=responded,
        )

    for hours in (2, 5, 30):
        docking(institution, hours, DockingStatus.ACCEPTED)
    docking(institution, submitted=NOW - timedelta(days=1))
    docking(institution, submitted=NOW - timedelta(days=9))
    docking(other_institution, 10, DockingStatus.DECLINED)
    docking(other_institution, 20, DockingStatus.SIGNED)
    docking(quiet, submitted=NOW - timedelta(days=2))
    docking(quiet, status=DockingStatus.WITHDRAWN)  # withdrawn unanswered: neither answered nor waiting
    # when
    rows = institution_response_times(now=NOW)
    # then
    assert rows == [
        InstitutionResponseTime(institution.pk, "华中科技大学", answered=3, median_hours=5.0, waiting=2, overdue=1),
        InstitutionResponseTime(other_institution.pk, "武汉大学", answered=2, median_hours=15.0, waiting=0, overdue=0),
        InstitutionResponseTime(quiet.pk, "湖北大学", answered=0, median_hours=None, waiting=1, overdue=0),
    ]
    assert institution_response_times(institutions=Institution.objects.filter(pk=quiet.pk), now=NOW) == [rows[2]]


def test_response_time_runs_from_submission_to_the_first_answer_through_the_service(make_docking, officer):
    # given
    docking = make_docking(submitted_at=NOW)
    # when
    docking_transition(docking=docking, action="accept", actor=officer, now=NOW + timedelta(hours=26, minutes=30))
    docking_transition(docking=docking, action="negotiate", actor=officer, now=NOW + timedelta(days=5))
    # then: negotiating later does not move the first response
    assert institution_response_times(now=NOW + timedelta(days=6))[0].median_hours == 26.5


def test_decline_reasons_are_counted_for_the_dashboard(make_docking, officer, bureau, institution):
    # given
    for reason in ("price", "price", "region"):
        docking = make_docking(patent=PatentFactory(institution=institution))
        docking_transition(docking=docking, action="decline", actor=officer, decline_reason=reason)
    # when
    counts = docking_decline_reason_counts(user=bureau)
    # then
    assert counts == {
        "price": 2,
        "maturity": 0,
        "fit": 0,
        "benefit_unclear": 0,
        "ip_scope": 0,
        "region": 1,
        "other": 0,
    }


def test_docking_visibility_by_role(
    make_docking,
    enterprise_member,
    other_member,
    officer,
    other_officer,
    bureau,
    city_bureau,
    platform_admin,
    other_institution,
):
    # given
    own = make_docking()
    elsewhere = make_docking(patent=PatentFactory(institution=other_institution))

    def visible(user):
        return sorted(docking_list(user=user).values_list("pk", flat=True))

    # then
    assert visible(enterprise_member) == sorted([own.pk, elsewhere.pk])
    assert visible(other_member) == []
    assert visible(officer) == [own.pk]
    assert visible(other_officer) == [elsewhere.pk]
    assert visible(bureau) == sorted([own.pk, elsewhere.pk])
    assert visible(city_bureau) == sorted([own.pk, elsewhere.pk])
    assert visible(platform_admin) == sorted([own.pk, elsewhere.pk])


def test_officers_see_who_follows_their_institutions_patents(
    enterprise_member, other_member, officer, other_officer, pooled_patent, other_institution
):
    # given
    foreign = PatentFactory(institution=other_institution)
    patent_follow(user=enterprise_member, patent=pooled_patent)
    patent_follow(user=other_member, patent=pooled_patent)
    patent_follow(user=other_member, patent=foreign)
    # when
    mine = list(patent_follow_list(user=officer).values_list("enterprise__name", "patent__title"))
    # then
    assert sorted(mine) == [
        ("武汉光谷新材料有限公司", "一种高镍正极材料及其制备方法"),
        ("武汉瑞诚科技有限公司", "一种高镍正极材料及其制备方法"),
    ]
    assert list(patent_follow_list(user=other_officer).values_list("patent__title", flat=True)) == [foreign.title]
    assert list(patent_follow_list(user=enterprise_member).values_list("patent__title", flat=True)) == [
        "一种高镍正极材料及其制备方法"
    ]


def test_patent_actions_state(enterprise_member, officer, pooled_patent, make_docking):
    # given
    patent_follow(user=enterprise_member, patent=pooled_patent)
    docking = make_docking(status=DockingStatus.NEGOTIATING)
    # when
    member_state = patent_actions_state(user=enterprise_member, patent=pooled_patent)
    officer_state = patent_actions_state(user=officer, patent=pooled_patent)
    # then
    assert (member_state.is_following, member_state.can_request_docking, member_state.open_docking) == (
        True,
        False,
        docking,
    )
    assert (officer_state.is_member, officer_state.follower_count) == (False, 1)


def test_inbox_lists_waiting_requests_first_then_open_then_closed(make_docking, officer, institution):
    # given: one of each kind, created in an order unlike the expected one
    def patent():
        return PatentFactory(institution=institution)

    signed = make_docking(
        patent=patent(), status=DockingStatus.SIGNED, submitted_at=NOW - timedelta(days=40), closed_at=NOW
    )
    declined = make_docking(
        patent=patent(),
        status=DockingStatus.DECLINED,
        submitted_at=NOW - timedelta(days=50),
        closed_at=NOW - timedelta(days=5),
    )
    negotiating = make_docking(patent=patent(), status=DockingStatus.NEGOTIATING, submitted_at=NOW - timedelta(days=9))
    accepted = make_docking(patent=patent(), status=DockingStatus.ACCEPTED, submitted_at=NOW - timedelta(days=20))
    waiting = make_docking(patent=patent(), submitted_at=NOW - timedelta(days=2))
    overdue = make_docking(patent=patent(), submitted_at=NOW - timedelta(days=8))
    older_waiting = make_docking(patent=patent(), submitted_at=NOW - timedelta(days=3))
    # when
    order = list(docking_inbox(user=officer, now=NOW).values_list("pk", flat=True))
    waiting_only = list(docking_waiting(user=officer, now=NOW).values_list("pk", flat=True))
    # then
    assert order == [
        overdue.pk,
        older_waiting.pk,
        waiting.pk,
        accepted.pk,
        negotiating.pk,
        signed.pk,
        declined.pk,
    ]
    assert waiting_only == [overdue.pk, older_waiting.pk, waiting.pk]


def test_waiting_requests_are_only_the_officers_own(make_docking, officer, other_officer):
    # given
    make_docking()
    # when / then
    assert docking_waiting(user=other_officer).count() == 0
    assert docking_waiting(user=officer).count() == 1

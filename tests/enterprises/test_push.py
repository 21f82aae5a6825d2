"""Pushing a pooled patent to enterprises: scope, idempotency within the repeat window, non-pooled refused, bad ids;
and the push list's reasons (the need text that matched, else the profile)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditLog, City
from enterprises.errors import NotFoundError
from enterprises.models import Enterprise, Notification, PatentPush, TechNeed
from enterprises.services.push import patent_push
from matching.models import MatchRun
from matching.presentation.push import excerpt_around, push_rows_explain
from matching.reading.push_list import enterprises_for_patent
from matching.runs.inline import match_run_execute_inline
from tests.conftest import _kppatents

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(make_user, matching_enterprises):
    return [make_user(f"m{i}", "enterprise", enterprise=e) for i, e in enumerate(matching_enterprises[:2])]


def test_push_notifies_each_member_once_and_records_who_and_when(
    officer, pooled_patents, matching_enterprises, members
):
    patent = pooled_patents[0]
    ids = [matching_enterprises[0].pk, matching_enterprises[1].pk, matching_enterprises[2].pk]
    # when
    result = patent_push(patent=patent, enterprise_ids=ids, user=officer, message="欢迎洽谈")
    # then
    assert [e.pk for e in result.pushed] == ids[:2]
    assert result.already == []
    assert [e.pk for e in result.without_members] == [matching_enterprises[2].pk]  # nobody to tell: not pushed
    assert result.notified == 2
    notes = Notification.objects.filter(kind=Notification.Kind.PUSH).order_by("recipient__username")
    assert [n.recipient for n in notes] == members
    assert all(n.url == f"/patents/{patent.pk}/" and "欢迎洽谈" in n.body and patent.title in n.title for n in notes)
    pushes = PatentPush.objects.filter(patent=patent)
    assert sorted(p.enterprise_id for p in pushes) == sorted(ids[:2])
    assert {p.pushed_by for p in pushes} == {officer}


def test_enterprises_without_a_member_are_not_marked_pushed_and_are_named(
    officer, make_user, pooled_patents, matching_enterprises
):
    # given: three ticked, one with an active member, one whose only member is inactive, one with none
    patent = pooled_patents[0]
    phrases = _kppatents(1)[0]["keyphrases"].split(",")
    TechNeed.objects.create(enterprise=matching_enterprises[2], title=phrases[0], description="；".join(phrases))
    match_run_execute_inline(run=MatchRun.objects.create())
    listed = [row.enterprise for row in enterprises_for_patent(user=officer, patent_id=patent.pk)]
    with_member, inactive_only, nobody = listed[:3]
    make_user("m0", "enterprise", enterprise=with_member)
    gone = make_user("m1", "enterprise", enterprise=inactive_only)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    ids = [with_member.pk, inactive_only.pk, nobody.pk]
    # when
    result = patent_push(patent=patent, enterprise_ids=ids, user=officer)
    # then
    assert [e.pk for e in result.pushed] == [with_member.pk]
    assert [e.pk for e in result.without_members] == [inactive_only.pk, nobody.pk]
    assert result.already == []
    assert result.notified == 1
    assert list(PatentPush.objects.values_list("enterprise_id", flat=True)) == [with_member.pk]
    assert AuditLog.objects.get(action="patent.push").detail == {"enterprises": [with_member.pk]}
    rows = {row.enterprise.pk: row for row in enterprises_for_patent(user=officer, patent_id=patent.pk)}
    assert [rows[pk].can_receive for pk in ids] == [True, False, False]
    # when: the enterprise gets a member, a push the same day reaches it (it was never marked pushed)
    make_user("m2", "enterprise", enterprise=nobody)
    again = patent_push(patent=patent, enterprise_ids=ids, user=officer)
    # then
    assert [e.pk for e in again.pushed] == [nobody.pk]
    assert [e.pk for e in again.already] == [with_member.pk]
    assert [e.pk for e in again.without_members] == [inactive_only.pk]
    assert Notification.objects.filter(kind="push", recipient__username="m2").count() == 1


def test_a_push_to_enterprises_without_members_writes_nothing(officer, pooled_patents, matching_enterprises):
    # when
    result = patent_push(
        patent=pooled_patents[0], enterprise_ids=[e.pk for e in matching_enterprises[:2]], user=officer
    )
    # then
    assert result.pushed == []
    assert [e.pk for e in result.without_members] == [e.pk for e in matching_enterprises[:2]]
    assert result.notified == 0
    assert not PatentPush.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditLog.objects.filter(action="patent.push").exists()


def test_pushing_again_within_the_window_notifies_nobody(officer, pooled_patents, matching_enterprises, members):
    patent = pooled_patents[0]
    first = [matching_enterprises[0].pk]
    patent_push(patent=patent, enterprise_ids=first, user=officer)
    # when: again, plus one new
    result = patent_push(patent=patent, enterprise_ids=[*first, matching_enterprises[1].pk], user=officer)
    # then
    assert [e.pk for e in result.already] == first
    assert [e.pk for e in result.pushed] == [matching_enterprises[1].pk]
    assert Notification.objects.filter(kind="push", recipient=members[0]).count() == 1
    # a day later it may be pushed again
    later = patent_push(patent=patent, enterprise_ids=first, user=officer, now=timezone.now() + timedelta(hours=25))
    assert [e.pk for e in later.pushed] == first
    assert Notification.objects.filter(kind="push", recipient=members[0]).count() == 2


def test_only_patents_in_scope(
    other_officer, enterprise_member, city_bureau, pooled_patents, matching_enterprises, members
):
    ids = [matching_enterprises[0].pk]
    for user in (other_officer, enterprise_member):
        with pytest.raises(NotFoundError, match="不在您的管理范围内"):
            patent_push(patent=pooled_patents[0], enterprise_ids=ids, user=user)
    # the city's bureau staff cover the institution's city: they may push
    assert len(patent_push(patent=pooled_patents[0], enterprise_ids=ids, user=city_bureau).pushed) == 1
    assert PatentPush.objects.count() == 1


def test_a_patent_not_in_the_pool_is_refused(officer, pooled_patents, matching_enterprises):
    patent = pooled_patents[0]
    patent.inventory_status = "draft"
    patent.save(update_fields=["inventory_status"])
    with pytest.raises(ApplicationError, match="只能推送已入池的专利"):
        patent_push(patent=patent, enterprise_ids=[matching_enterprises[0].pk], user=officer)
    assert not PatentPush.objects.exists()


def test_bad_ids_are_errors_of_their_own_and_nothing_is_written(city_bureau, pooled_patents, matching_enterprises):
    elsewhere = Enterprise.objects.create(
        name="外市企业", uscc="91420500MA4K00001X", city=City.objects.get(code="4205")
    )
    ids = [matching_enterprises[0].pk, elsewhere.pk, 999_999]
    with pytest.raises(ValidationError) as caught:
        patent_push(patent=pooled_patents[0], enterprise_ids=ids, user=city_bureau)
    assert set(caught.value.message_dict) == {str(elsewhere.pk), "999999"}  # another city's, then unknown
    assert "不存在或不在您的范围内" in caught.value.message_dict["999999"][0]
    with pytest.raises(ValidationError, match="请至少选择一家企业"):
        patent_push(patent=pooled_patents[0], enterprise_ids=[], user=city_bureau)
    with pytest.raises(ValidationError, match="附言最多"):
        patent_push(patent=pooled_patents[0], enterprise_ids=ids[:1], user=city_bureau, message="长" * 301)
    assert not PatentPush.objects.exists()
    assert not Notification.objects.exists()


def test_the_push_list_shows_the_need_that_matched_else_the_profile(
    officer, pooled_patents, matching_enterprises, members, django_assert_max_num_queries
):
    # given: enterprise 1 needs what patent 0 is about (its keyphrases); enterprise 0 matches on its business scope
    phrases = _kppatents(1)[0]["keyphrases"].split(",")
    need = TechNeed.objects.create(
        enterprise=matching_enterprises[1], title=f"求购{phrases[0]}技术", description="，".join(phrases[:5])
    )
    TechNeed.objects.create(enterprise=matching_enterprises[1], title="无关的需求", description="办公家具采购")
    match_run_execute_inline(run=MatchRun.objects.create())
    patent_push(patent=pooled_patents[0], enterprise_ids=[matching_enterprises[1].pk], user=officer)
    rows = enterprises_for_patent(user=officer, patent_id=pooled_patents[0].pk)
    # when
    with django_assert_max_num_queries(4):  # needs, pushes, the current run, the live index's version: none per row
        push_rows_explain(patent_id=pooled_patents[0].pk, rows=rows)
    # then
    by_pk = {row.enterprise.pk: row for row in rows}
    with_need = by_pk[matching_enterprises[1].pk]
    assert [m.pk for m in with_need.needs] == [need.pk]  # not the unrelated one
    assert with_need.needs[0].terms
    assert all(t in with_need.terms for t in with_need.needs[0].terms)
    assert with_need.pushed_at is not None
    assert with_need.profile_excerpt == ""
    scope_only = by_pk[matching_enterprises[0].pk]
    assert scope_only.needs == []
    assert scope_only.terms
    assert any(t in scope_only.profile_excerpt for t in scope_only.terms)
    assert scope_only.pushed_at is None


def test_excerpt_centres_on_the_first_term():
    text = "甲" * 100 + "石油焦" + "乙" * 100
    piece = excerpt_around(text=text, terms=["石油焦"], width=10)
    assert piece.startswith("…")
    assert piece.endswith("…")
    assert "石油焦" in piece
    assert len(piece) < 40
    assert excerpt_around(text="短文本", terms=["无"]) == "短文本"

"""Recommending patents for an open need (the needs hall): push rows, notifications naming the need, the repeat
limit shared with pushes, the audit row, and every refusal writing nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditLog
from enterprises.errors import NotFoundError
from enterprises.models import Notification, PatentPush, TechNeed
from enterprises.services.need_recommend import need_patents_recommend
from enterprises.services.push import patent_push
from patents.models import Patent

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(enterprise) -> TechNeed:
    return TechNeed.objects.create(enterprise=enterprise, title="高镍正极材料", keywords="正极 锂电池")


def _nothing_written() -> None:
    assert not PatentPush.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditLog.objects.filter(action="need.recommend").exists()


def test_recommending_records_a_push_per_patent_notifies_members_and_audits(
    officer, enterprise_member, need, pooled_patents
):
    # given
    chosen = [pooled_patents[0].pk, pooled_patents[1].pk]
    # when
    result = need_patents_recommend(need=need, patent_ids=chosen, user=officer, message="欢迎洽谈")
    # then
    assert [p.pk for p in result.sent] == chosen
    assert result.already == []
    assert result.without_members is False
    assert result.notified == 2
    assert sorted(PatentPush.objects.values_list("patent_id", "enterprise_id", "pushed_by_id")) == sorted(
        (pk, need.enterprise_id, officer.pk) for pk in chosen
    )
    notes = list(Notification.objects.filter(recipient=enterprise_member).order_by("pk"))
    assert [(n.kind, n.message_kind, n.params["need"]) for n in notes] == [("push", "push.need", "高镍正极材料")] * 2
    assert notes[0].title == f"专利推荐：{pooled_patents[0].title}"
    assert "针对贵企业的技术需求「高镍正极材料」推荐了专利" in notes[0].body
    assert "附言：欢迎洽谈" in notes[0].body
    assert notes[0].url == f"/patents/{pooled_patents[0].pk}/"
    log = AuditLog.objects.get(action="need.recommend")
    assert (log.actor, log.target_id, log.detail) == (
        officer,
        str(need.pk),
        {"enterprise": need.enterprise_id, "patents": chosen},
    )


def test_a_patent_sent_within_the_repeat_limit_is_skipped_push_or_recommendation(
    officer, enterprise_member, need, pooled_patents
):
    # given: patent 0 was pushed to the enterprise an hour ago from its push list
    patent_push(
        patent=pooled_patents[0],
        enterprise_ids=[need.enterprise_id],
        user=officer,
        now=timezone.now() - timedelta(hours=1),
    )
    # when
    result = need_patents_recommend(need=need, patent_ids=[pooled_patents[0].pk, pooled_patents[1].pk], user=officer)
    again = need_patents_recommend(need=need, patent_ids=[pooled_patents[1].pk], user=officer)
    # then
    assert [p.pk for p in result.already] == [pooled_patents[0].pk]
    assert [p.pk for p in result.sent] == [pooled_patents[1].pk]
    assert (again.sent, [p.pk for p in again.already], again.notified) == ([], [pooled_patents[1].pk], 0)
    assert PatentPush.objects.count() == 2
    assert AuditLog.objects.filter(action="need.recommend").count() == 1


def test_only_the_officers_own_pooled_patents(officer, enterprise_member, need, pooled_patents, other_institution):
    # given: one patent of another institution, one of the officer's not pooled
    theirs = pooled_patents[2]
    Patent.objects.filter(pk=theirs.pk).update(institution=other_institution)
    draft = pooled_patents[3]
    Patent.objects.filter(pk=draft.pk).update(inventory_status="draft")
    # when
    with pytest.raises(ValidationError) as error:
        need_patents_recommend(need=need, patent_ids=[pooled_patents[0].pk, theirs.pk, draft.pk, 99999], user=officer)
    # then
    assert sorted(error.value.message_dict) == sorted([str(theirs.pk), str(draft.pk), "99999"])
    _nothing_written()


def test_refusals_write_nothing(officer, bureau, enterprise_member, need, pooled_patents):
    with pytest.raises(ApplicationError):  # bureau staff read the hall, they do not recommend
        need_patents_recommend(need=need, patent_ids=[pooled_patents[0].pk], user=bureau)
    with pytest.raises(ValidationError):
        need_patents_recommend(need=need, patent_ids=[], user=officer)
    with pytest.raises(ValidationError):
        need_patents_recommend(need=need, patent_ids=[p.pk for p in pooled_patents[:11]], user=officer)
    need.status = TechNeed.Status.CLOSED
    need.save(update_fields=["status"])
    with pytest.raises(NotFoundError):
        need_patents_recommend(need=need, patent_ids=[pooled_patents[0].pk], user=officer)
    _nothing_written()


def test_an_enterprise_without_members_gets_nothing(officer, need, pooled_patents):
    result = need_patents_recommend(need=need, patent_ids=[pooled_patents[0].pk], user=officer)
    assert (result.sent, result.without_members, result.notified) == ([], True, 0)
    _nothing_written()

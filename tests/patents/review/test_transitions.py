"""patents.review: every transition of the chain, its audit entry and its notification."""

import pytest

from core.models import AuditLog
from enterprises.models import Notification
from patents.models import InventoryStatus, Patent, PatentStatusChange, ReviewStatus
from patents.review import (
    patent_approve,
    patent_describe,
    patent_reject,
    patent_return,
    patent_submit,
)
from patents.selectors import patents_pooled_visible_to

pytestmark = pytest.mark.django_db


def _state(patent: Patent) -> tuple[str, str, str]:
    patent.refresh_from_db()
    return patent.review_status, patent.inventory_status, patent.review_comment


def _notified(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("message_kind", flat=True))


def test_an_inventor_submits_a_draft_to_the_college_admin(
    make_patent, inventor, college_admin, officer, django_capture_on_commit_callbacks
):
    # given
    patent = make_patent(inventor=inventor)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        patent_submit(patent=patent, user=inventor)
    # then
    assert _state(patent) == (ReviewStatus.SUBMITTED, InventoryStatus.INVENTORIED, "")
    assert patent.review_submitted_by == inventor
    assert list(AuditLog.objects.filter(action="patent.review_submit").values_list("actor", "target_id")) == [
        (inventor.pk, str(patent.pk))
    ]
    assert (_notified(college_admin), _notified(officer)) == (["patent.submitted"], [])


def test_the_college_approval_goes_to_the_officers(
    make_patent, inventor, college_admin, officer, django_capture_on_commit_callbacks
):
    # given
    patent = make_patent(inventor=inventor, review_status=ReviewStatus.SUBMITTED, review_submitted_by=inventor)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        patent_approve(patent=patent, user=college_admin)
    # then
    assert _state(patent) == (ReviewStatus.COLLEGE_APPROVED, InventoryStatus.INVENTORIED, "")
    assert _notified(officer) == ["patent.submitted"]
    assert _notified(inventor) == ["patent.approved"]


def test_the_university_approves_then_pools(make_patent, inventor, officer, enterprise_member):
    # given
    patent = make_patent(inventor=inventor, review_status=ReviewStatus.COLLEGE_APPROVED)
    # when
    patent_approve(patent=patent, user=officer)
    approved = _state(patent)
    patent_approve(patent=patent, user=officer)
    # then
    assert approved == (ReviewStatus.UNIVERSITY_APPROVED, InventoryStatus.INVENTORIED, "")
    assert _state(patent) == (ReviewStatus.UNIVERSITY_APPROVED, InventoryStatus.POOLED, "")
    assert list(patents_pooled_visible_to(user=enterprise_member)) == [patent]
    assert list(PatentStatusChange.objects.filter(patent=patent).values_list("to_status", "actor")) == [
        (InventoryStatus.POOLED, officer.pk)
    ]


def test_an_institution_that_pools_on_approval_pools_at_the_university_step(
    make_patent, institution, officer, inventor, django_capture_on_commit_callbacks
):
    # given
    institution.review_pools_on_approval = True
    institution.save()
    patent = make_patent(inventor=inventor, review_status=ReviewStatus.COLLEGE_APPROVED)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        patent_approve(patent=patent, user=officer)
    # then
    assert _state(patent) == (ReviewStatus.UNIVERSITY_APPROVED, InventoryStatus.POOLED, "")
    assert _notified(inventor) == ["patent.pooled"]


def test_without_the_college_step_a_submission_goes_straight_to_the_officers(
    make_patent, institution, inventor, college_admin, officer, django_capture_on_commit_callbacks
):
    # given
    institution.review_college_step = False
    institution.save()
    patent = make_patent(inventor=inventor)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        patent_submit(patent=patent, user=inventor)
    # then
    assert _state(patent) == (ReviewStatus.COLLEGE_APPROVED, InventoryStatus.INVENTORIED, "")
    assert (_notified(college_admin), _notified(officer)) == ([], ["patent.submitted"])


def test_a_patent_of_no_college_skips_the_college_step(make_patent, officer):
    # given
    patent = make_patent(college=None)
    # when
    patent_submit(patent=patent, user=officer)
    # then
    assert _state(patent)[0] == ReviewStatus.COLLEGE_APPROVED


@pytest.mark.parametrize(
    ("step", "actor"),
    [
        (ReviewStatus.SUBMITTED, "college_admin"),
        (ReviewStatus.SUBMITTED, "officer"),
        (ReviewStatus.COLLEGE_APPROVED, "officer"),
        (ReviewStatus.UNIVERSITY_APPROVED, "officer"),
    ],
)
def test_a_reviewer_returns_a_patent_to_draft_with_a_comment(
    request, make_patent, inventor, step, actor, django_capture_on_commit_callbacks
):
    # given
    patent = make_patent(inventor=inventor, review_status=step, review_submitted_by=inventor)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        patent_return(patent=patent, user=request.getfixturevalue(actor), comment="  摘要过短，请补充技术效果  ")
    # then
    assert _state(patent) == (ReviewStatus.DRAFT, InventoryStatus.INVENTORIED, "摘要过短，请补充技术效果")
    notice = Notification.objects.get(recipient=inventor)
    assert (notice.message_kind, notice.params["note"]) == ("patent.returned", "摘要过短，请补充技术效果")
    assert AuditLog.objects.filter(action="patent.review_return", target_id=str(patent.pk)).count() == 1


def test_a_returned_patent_can_be_described_and_submitted_again(make_patent, inventor):
    # given
    patent = make_patent(inventor=inventor, review_comment="请补充摘要")
    # when
    patent_describe(patent=patent, user=inventor, title="新名称", abstract="补充后的摘要", transfer_modes=["licence"])
    patent_submit(patent=patent, user=inventor)
    # then
    patent.refresh_from_db()
    assert (patent.title, patent.abstract, patent.transfer_modes) == ("新名称", "补充后的摘要", ["licence"])
    assert _state(patent) == (ReviewStatus.SUBMITTED, InventoryStatus.INVENTORIED, "")


@pytest.mark.parametrize(
    ("step", "actor"), [(ReviewStatus.SUBMITTED, "college_admin"), (ReviewStatus.COLLEGE_APPROVED, "officer")]
)
def test_a_reviewer_marks_a_patent_not_to_pool_with_a_reason(request, make_patent, step, actor):
    # given
    patent = make_patent(review_status=step)
    user = request.getfixturevalue(actor)
    # when
    patent_reject(patent=patent, user=user, reason="与企业需求无关")
    # then
    assert _state(patent) == (ReviewStatus.DRAFT, InventoryStatus.NOT_POOLED, "与企业需求无关")
    assert patent.not_pooled_reason == "与企业需求无关"
    assert list(PatentStatusChange.objects.filter(patent=patent).values_list("to_status", "reason", "actor")) == [
        (InventoryStatus.NOT_POOLED, "与企业需求无关", user.pk)
    ]

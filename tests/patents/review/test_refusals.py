"""patents.review: every actor the chain refuses at each step, and the bulk actions' all-or-nothing."""

import pytest

from accounts.models import Role
from core.errors import ApplicationError
from core.models import AuditLog
from enterprises.models import Notification
from patents.models import InventoryStatus, Patent, ReviewStatus
from patents.review import (
    ReviewError,
    patent_approve,
    patent_describe,
    patent_reject,
    patent_return,
    patent_submit,
    patents_approve,
    patents_return,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_institution_college_admin(make_user, other_institution):
    from patents.models import College

    college = College.objects.create(institution=other_institution, name="计算机科学与技术学院")
    return make_user("whu_cs", Role.COLLEGE_ADMIN, institution=other_institution, college=college)


def _snapshot() -> tuple:
    rows = Patent.objects.order_by("pk").values_list("review_status", "inventory_status", "review_comment", "title")
    return list(rows), AuditLog.objects.count(), Notification.objects.count()


SUBMIT_REFUSED = ["other_inventor", "other_college_admin", "other_officer", "enterprise_member", "bureau"]


@pytest.mark.parametrize("actor", SUBMIT_REFUSED)
def test_only_the_patents_inventors_college_and_institution_submit_it(request, make_patent, inventor, actor):
    # given: other_inventor is an inventor of the same college, not linked to this patent
    patent = make_patent(inventor=inventor)
    before = _snapshot()
    # when
    with pytest.raises(ReviewError) as refused:
        patent_submit(patent=patent, user=request.getfixturevalue(actor))
    # then
    assert refused.value.rows == [
        f"{patent.application_number}：您不能提交该专利 / {patent.application_number}: you may not submit this patent"
    ]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("step", "actor"),
    [
        (ReviewStatus.SUBMITTED, "inventor"),
        (ReviewStatus.SUBMITTED, "other_college_admin"),
        (ReviewStatus.SUBMITTED, "other_officer"),
        (ReviewStatus.SUBMITTED, "other_institution_college_admin"),
        (ReviewStatus.SUBMITTED, "enterprise_member"),
        (ReviewStatus.COLLEGE_APPROVED, "college_admin"),
        (ReviewStatus.COLLEGE_APPROVED, "inventor"),
        (ReviewStatus.COLLEGE_APPROVED, "other_officer"),
        (ReviewStatus.UNIVERSITY_APPROVED, "college_admin"),
        (ReviewStatus.UNIVERSITY_APPROVED, "platform_admin"),
    ],
)
def test_a_reviewer_acts_only_at_their_step(request, make_patent, inventor, step, actor):
    # given
    patent = make_patent(inventor=inventor, review_status=step)
    user = request.getfixturevalue(actor)
    before = _snapshot()
    expected = [
        f"{patent.application_number}：您不能在此环节审核该专利 / "
        f"{patent.application_number}: you may not review this patent at this step"
    ]
    # when
    refusals = []
    for action in (
        lambda: patent_approve(patent=patent, user=user),
        lambda: patent_return(patent=patent, user=user, comment="意见"),
        lambda: patent_reject(patent=patent, user=user, reason="原因"),
    ):
        with pytest.raises(ReviewError) as refused:
            action()
        refusals.append(refused.value.rows)
    # then
    assert refusals == [expected] * 3
    assert _snapshot() == before


@pytest.mark.parametrize("step", [ReviewStatus.SUBMITTED, ReviewStatus.COLLEGE_APPROVED, "pooled", "not_pooled"])
def test_only_a_draft_is_submitted(make_patent, officer, step):
    # given
    if step in ("pooled", "not_pooled"):
        patent = make_patent()
        Patent.objects.filter(pk=patent.pk).update(inventory_status=step)
    else:
        patent = make_patent(review_status=step)
    before = _snapshot()
    # when
    with pytest.raises(ReviewError) as refused:
        patent_submit(patent=patent, user=officer)
    # then
    assert "only a draft can be submitted" in refused.value.message
    assert _snapshot() == before


@pytest.mark.parametrize("step", [ReviewStatus.DRAFT, "pooled"])
def test_a_patent_not_under_review_is_neither_approved_nor_returned(make_patent, officer, step):
    # given
    patent = make_patent()
    if step == "pooled":
        Patent.objects.filter(pk=patent.pk).update(inventory_status=InventoryStatus.POOLED)
    before = _snapshot()
    # when
    with pytest.raises(ReviewError) as approve:
        patent_approve(patent=patent, user=officer)
    with pytest.raises(ReviewError) as give_back:
        patent_return(patent=patent, user=officer, comment="意见")
    # then
    assert "this patent is not under review" in approve.value.message
    assert "this patent is not under review" in give_back.value.message
    assert _snapshot() == before


def test_a_return_needs_a_comment(make_patent, officer):
    # given
    patent = make_patent(review_status=ReviewStatus.COLLEGE_APPROVED)
    before = _snapshot()
    # when
    with pytest.raises(ReviewError) as refused:
        patent_return(patent=patent, user=officer, comment="   ")
    # then
    assert refused.value.rows == ["请填写退回意见 / give the comment"]
    assert _snapshot() == before


def test_an_inventor_no_longer_describes_a_submitted_patent(make_patent, inventor):
    # given
    patent = make_patent(inventor=inventor, review_status=ReviewStatus.SUBMITTED)
    before = _snapshot()
    # when
    with pytest.raises(ApplicationError) as refused:
        patent_describe(patent=patent, user=inventor, title="改名", abstract="")
    # then
    assert "only describe your own drafts" in str(refused.value)
    assert _snapshot() == before


def test_a_bulk_approval_with_one_refused_row_changes_nothing(make_patent, college_admin, other_college):
    # given: two of the college's submissions and one of another college
    own = [make_patent(review_status=ReviewStatus.SUBMITTED) for _ in range(2)]
    foreign = make_patent(review_status=ReviewStatus.SUBMITTED, college=other_college)
    before = _snapshot()
    # when
    with pytest.raises(ReviewError) as refused:
        patents_approve(patents=[*own, foreign], user=college_admin)
    # then
    assert refused.value.rows == [
        f"{foreign.application_number}：您不能在此环节审核该专利 / "
        f"{foreign.application_number}: you may not review this patent at this step"
    ]
    assert _snapshot() == before


def test_a_bulk_approval_that_would_pool_a_patent_without_terms_changes_nothing(make_patent, officer):
    # given
    ready = make_patent(review_status=ReviewStatus.UNIVERSITY_APPROVED)
    bare = make_patent(review_status=ReviewStatus.UNIVERSITY_APPROVED, transfer_modes=[])
    before = _snapshot()
    # when
    with pytest.raises(ReviewError) as refused:
        patents_approve(patents=[ready, bare], user=officer)
    # then
    assert refused.value.rows == [
        f"{bare.application_number}：尚未设置转化方式，请先设置许可条件 / "
        f"{bare.application_number}: set transfer terms before pooling"
    ]
    assert _snapshot() == before


def test_a_bulk_return_is_all_or_nothing_and_then_returns_all(make_patent, officer):
    # given
    waiting = [make_patent(review_status=ReviewStatus.COLLEGE_APPROVED) for _ in range(3)]
    draft = make_patent()
    before = _snapshot()
    # when
    with pytest.raises(ReviewError) as refused:
        patents_return(patents=[*waiting, draft], user=officer, comment="请补充")
    unchanged = _snapshot() == before
    returned = patents_return(patents=waiting, user=officer, comment="请补充")
    # then
    assert refused.value.rows == [
        f"{draft.application_number}：该专利不在审核中 / {draft.application_number}: this patent is not under review"
    ]
    assert unchanged is True
    assert returned == 3
    rows = Patent.objects.filter(pk__in=[p.pk for p in waiting]).values_list("review_status", "review_comment")
    assert set(rows) == {(ReviewStatus.DRAFT, "请补充")}

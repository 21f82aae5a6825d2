"""The review chain's pages: the queue's filters and bulk actions, 我的专利, the reviewers' home counts."""

import pytest
from django.urls import reverse

from patents.models import InventoryStatus, Patent, ReviewStatus

pytestmark = pytest.mark.django_db


def test_the_queue_filters_by_step_and_college(client, make_patent, officer, other_college):
    # given
    submitted = make_patent(review_status=ReviewStatus.SUBMITTED)
    approved = make_patent(review_status=ReviewStatus.COLLEGE_APPROVED, college=other_college)
    make_patent()  # a draft: not in the queue
    client.force_login(officer)
    # when
    every = client.get(reverse("patents:review_queue")).context["page"].object_list
    by_step = client.get(reverse("patents:review_queue"), {"step": "college_approved"}).context["page"].object_list
    by_college = client.get(reverse("patents:review_queue"), {"college": other_college.pk}).context["page"].object_list
    # then
    assert {p.pk for p in every} == {submitted.pk, approved.pk}
    assert [p.pk for p in by_step] == [approved.pk]
    assert [p.pk for p in by_college] == [approved.pk]


def test_a_bulk_return_from_the_queue_reaches_the_inventors_page_with_its_comment(
    client, make_patent, inventor, college_admin
):
    # given
    patents = [make_patent(inventor=inventor, review_status=ReviewStatus.SUBMITTED) for _ in range(2)]
    client.force_login(college_admin)
    # when
    response = client.post(
        reverse("patents:review_bulk"),
        {"action": "return", "comment": "请补充应用领域", "patents": [p.pk for p in patents]},
    )
    client.force_login(inventor)
    mine = client.get(reverse("patents:my_patents")).content.decode()
    page = client.get(reverse("patents:my_patent", args=[patents[0].pk])).content.decode()
    # then
    assert response.status_code == 302
    assert mine.count("请补充应用领域") == 2
    assert 'data-testid="return-comment"' in page
    assert "请补充应用领域" in page


def test_a_refused_bulk_approval_says_each_row_and_changes_nothing(client, make_patent, officer):
    # given: two patents the officer would pool, one without transfer modes
    ready = make_patent(review_status=ReviewStatus.UNIVERSITY_APPROVED)
    bare = make_patent(review_status=ReviewStatus.UNIVERSITY_APPROVED, transfer_modes=[])
    client.force_login(officer)
    # when
    response = client.post(
        reverse("patents:review_bulk"), {"action": "approve", "patents": [ready.pk, bare.pk]}, follow=True
    )
    # then
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        f"{bare.application_number}：尚未设置转化方式，请先设置许可条件 / "
        f"{bare.application_number}: set transfer terms before pooling"
    ]
    assert set(Patent.objects.values_list("inventory_status", flat=True)) == {InventoryStatus.INVENTORIED}


def test_an_inventor_describes_and_submits_from_my_patents(client, make_patent, inventor):
    # given
    patent = make_patent(inventor=inventor)
    client.force_login(inventor)
    # when
    saved = client.post(
        reverse("patents:my_patent", args=[patent.pk]),
        {"title": "一种改进的锂电池正极材料", "abstract": "提高循环寿命", "claims": "", "transfer_modes": ["licence"]},
    )
    submitted = client.post(reverse("patents:my_patent_submit", args=[patent.pk]))
    page = client.get(reverse("patents:my_patent", args=[patent.pk]))
    # then
    patent.refresh_from_db()
    assert (saved.status_code, submitted.status_code) == (302, 302)
    assert (patent.title, patent.abstract, patent.review_status) == (
        "一种改进的锂电池正极材料",
        "提高循环寿命",
        ReviewStatus.SUBMITTED,
    )
    assert page.context["editable"] is False
    assert page.context["can_submit"] is False


def test_the_reviewers_home_counts_what_waits_for_them(client, make_patent, officer, college_admin):
    # given
    make_patent(review_status=ReviewStatus.SUBMITTED)
    make_patent(review_status=ReviewStatus.SUBMITTED)
    make_patent(review_status=ReviewStatus.COLLEGE_APPROVED)
    # when
    client.force_login(college_admin)
    college_home = client.get("/").context
    client.force_login(officer)
    officer_home = client.get("/").context
    # then
    assert college_home["review_waiting_rows"] == [("submitted", "待学院审核", 2)]
    assert officer_home["review_waiting"]["total"] == 3
    assert [(step, n) for step, _, n in officer_home["review_waiting_rows"]] == [
        ("submitted", 2),
        ("college_approved", 1),
        ("university_approved", 0),
    ]

"""The demo's review chain (demo.review): the college admin and two inventors at 华中科技大学, patents at each step,
loaded once."""

import pytest

from accounts.models import Role, User
from demo.review import RETURN_COMMENT
from demo.services import demo_load
from patents.models import InventoryStatus, PatentInventor, ReviewStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_reviewers_inventors_and_patents_at_each_step_once():
    # when
    first = demo_load(password="Demo-pass-2026")
    links = PatentInventor.objects.count()
    second = demo_load(password="Demo-pass-2026")
    # then
    users = {u.username: u for u in User.objects.filter(username__in=["college_admin", "inventor", "inventor2"])}
    assert {name: (u.role, u.institution.name, u.college.name) for name, u in users.items()} == {
        "college_admin": (Role.COLLEGE_ADMIN, "华中科技大学", "计算机科学与技术学院"),
        "inventor": (Role.INVENTOR, "华中科技大学", "计算机科学与技术学院"),
        "inventor2": (Role.INVENTOR, "华中科技大学", "电气与电子工程学院"),
    }
    assert users["inventor"].check_password("Demo-pass-2026") is True
    steps = sorted(
        (link.patent.review_status, link.patent.review_comment)
        for link in PatentInventor.objects.filter(user=users["inventor"]).select_related("patent")
    )
    assert steps == sorted(
        [
            (ReviewStatus.DRAFT, ""),
            (ReviewStatus.DRAFT, RETURN_COMMENT),
            (ReviewStatus.SUBMITTED, ""),
            (ReviewStatus.COLLEGE_APPROVED, ""),
            (ReviewStatus.UNIVERSITY_APPROVED, ""),
        ]
    )
    assert (
        PatentInventor.objects.filter(user=users["inventor2"], patent__review_status=ReviewStatus.SUBMITTED).count()
        == 1
    )
    assert set(PatentInventor.objects.values_list("patent__inventory_status", flat=True)) == {
        InventoryStatus.INVENTORIED
    }
    assert (links, PatentInventor.objects.count()) == (7, 7)
    assert (
        [u[0] for u in first.users][-3:]
        == [u[0] for u in second.users][-3:]
        == [
            "college_admin",
            "inventor",
            "inventor2",
        ]
    )

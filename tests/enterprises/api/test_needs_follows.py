"""The enterprise API: technology needs and follows of pooled patents, with their permissions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog
from enterprises.models import PatentFollow, TechNeed
from enterprises.services.follows import patent_follow
from patents.models import InventoryStatus
from tests.enterprises.api.helpers import local_iso
from tests.enterprises.factories import PatentFactory, TechNeedFactory

pytestmark = pytest.mark.django_db


# --- needs -------------------------------------------------------------------------------------------


def test_member_creates_a_need(client_for, enterprise_member):
    # given
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    # when
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:techneed-list"),
        {
            "title": "高镍正极材料量产工艺",
            "keywords": "正极材料,烧结",
            "budget_min": "100000",
            "budget_max": "500000",
            "preferred_mode": "licence",
            "deadline": deadline,
        },
        format="json",
    )
    # then
    need = TechNeed.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "pk": need.pk,
        "enterprise": "武汉瑞诚科技有限公司",
        "title": "高镍正极材料量产工艺",
        "description": "",
        "keywords": "正极材料、烧结",
        "budget_min": "100000.00",
        "budget_max": "500000.00",
        "preferred_mode": "licence",
        "deadline": deadline,
        "status": "open",
        "created_at": local_iso(need.created_at),
    }


def test_need_update_close_reopen_delete(client_for, enterprise_member, need):
    # given
    client = client_for(enterprise_member)
    url = reverse("enterprises-api:techneed-detail", args=[need.pk])
    # when
    patched = client.patch(url, {"title": "高镍三元正极"}, format="json")
    closed = client.post(reverse("enterprises-api:techneed-close", args=[need.pk]))
    reopened = client.post(reverse("enterprises-api:techneed-reopen", args=[need.pk]))
    deleted = client.delete(url)
    # then
    assert (patched.status_code, patched.json()["title"]) == (200, "高镍三元正极")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (reopened.status_code, reopened.json()["status"]) == (200, "open")
    assert deleted.status_code == 204
    assert TechNeed.objects.count() == 0


def test_someone_elses_need_is_404_and_unchanged(client_for, other_member, need):
    # given
    client = client_for(other_member)
    url = reverse("enterprises-api:techneed-detail", args=[need.pk])
    # when
    responses = [
        client.get(url),
        client.patch(url, {"title": "改"}, format="json"),
        client.delete(url),
        client.post(reverse("enterprises-api:techneed-close", args=[need.pk])),
    ]
    # then
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    stored = TechNeed.objects.get(pk=need.pk)
    assert (stored.title, stored.status) == ("高镍正极材料量产工艺", "open")
    assert AuditLog.objects.count() == 0


def test_officers_cannot_create_needs_and_see_only_open_ones(client_for, officer, need, enterprise):
    # given
    TechNeedFactory(enterprise=enterprise, title="已关闭的需求", status=TechNeed.Status.CLOSED)
    client = client_for(officer)
    # when
    created = client.post(reverse("enterprises-api:techneed-list"), {"title": "x"}, format="json")
    listed = client.get(reverse("enterprises-api:techneed-list")).json()
    # then
    assert created.status_code == 403
    assert [row["title"] for row in listed["results"]] == ["高镍正极材料量产工艺"]
    assert TechNeed.objects.count() == 2


def test_invalid_need_is_400_and_nothing_is_written(client_for, enterprise_member):
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:techneed-list"),
        {"title": "x", "budget_min": "9", "budget_max": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "budget_max": ["预算上限不能低于下限 / The budget maximum is below the minimum"]
    }
    assert TechNeed.objects.count() == 0


# --- follows -----------------------------------------------------------------------------------------


def test_follow_list_and_unfollow(client_for, enterprise_member, officer, pooled_patent):
    # given
    client = client_for(enterprise_member)
    # when
    created = client.post(reverse("enterprises-api:follow-list"), {"patent": pooled_patent.pk}, format="json")
    follow = PatentFollow.objects.get()
    listed = client.get(reverse("enterprises-api:follow-list")).json()
    officer_view = client_for(officer).get(reverse("enterprises-api:follow-list")).json()
    officer_delete = client_for(officer).delete(reverse("enterprises-api:follow-detail", args=[follow.pk]))
    deleted = client.delete(reverse("enterprises-api:follow-detail", args=[follow.pk]))
    # then
    expected = {
        "pk": follow.pk,
        "enterprise": "武汉瑞诚科技有限公司",
        "patent": {
            "pk": pooled_patent.pk,
            "application_number": "201910209152.5",
            "title": "一种高镍正极材料及其制备方法",
            "institution": "华中科技大学",
        },
        "created_at": local_iso(follow.created_at),
    }
    assert (created.status_code, created.json()) == (201, expected)
    assert listed["results"] == [expected]
    assert officer_view["results"] == [expected]
    assert officer_delete.status_code == 403
    assert deleted.status_code == 204
    assert PatentFollow.objects.count() == 0


def test_following_a_patent_not_pooled_is_404(client_for, enterprise_member, institution):
    draft = PatentFactory(institution=institution, inventory_status=InventoryStatus.INVENTORIED)
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:follow-list"), {"patent": draft.pk}, format="json"
    )
    assert response.status_code == 404
    assert PatentFollow.objects.count() == 0


def test_someone_elses_follow_is_404(client_for, enterprise_member, other_member, pooled_patent):
    follow = patent_follow(user=enterprise_member, patent=pooled_patent)
    response = client_for(other_member).delete(reverse("enterprises-api:follow-detail", args=[follow.pk]))
    assert response.status_code == 404
    assert PatentFollow.objects.count() == 1

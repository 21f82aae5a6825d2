"""The enterprise API: sign-up, the member's profile and the bureau's review of flagged codes."""

import pytest
from django.urls import reverse

from core.models import AuditLog
from enterprises.models import Enterprise
from enterprises.services.registration import NEXT_STEP_REVIEW

pytestmark = pytest.mark.django_db


REGISTER = {
    "password": "Test-pass-2026",
    "name": "武汉新能源科技有限公司",
    "uscc": "91110108795101314G",
    "city": "4201",
    "contact_name": "张敏",
    "contact_email": "zhangmin@example.cn",
}


# --- sign-up -----------------------------------------------------------------------------------------


def test_anonymous_sign_up_creates_an_enterprise_waiting_for_review(api_client):
    # when
    response = api_client.post(reverse("enterprises-api:enterprise-register"), REGISTER, format="json")
    # then
    enterprise = Enterprise.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "pk": enterprise.pk,
        "name": "武汉新能源科技有限公司",
        "uscc": "91110108795101314G",
        "verification": "review",
        "username": "91110108795101314G",
        "next_step": NEXT_STEP_REVIEW,
        "claim": None,
    }


def test_sign_up_with_a_pilot_code_goes_to_review(api_client):
    response = api_client.post(
        reverse("enterprises-api:enterprise-register"), {**REGISTER, "uscc": "91350211M0000XUF46"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["verification"] == "review"


def test_sign_up_with_an_invalid_code_is_400_naming_the_failed_check(api_client):
    # when
    response = api_client.post(
        reverse("enterprises-api:enterprise-register"), {**REGISTER, "uscc": "914403001922038217"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "输入有误 / Invalid input",
            "details": {"uscc": ["第 18 位校验码错误，应为 6 / Wrong check character (position 18), expected 6"]},
        }
    }
    assert (Enterprise.objects.count(), AuditLog.objects.count()) == (0, 0)


def test_sign_up_with_a_registered_code_is_409(api_client, enterprise, enterprise_member):
    # when
    response = api_client.post(
        reverse("enterprises-api:enterprise-register"), {**REGISTER, "uscc": enterprise.uscc}, format="json"
    )
    # then
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "该统一社会信用代码已注册，请使用本企业已有账号登录或联系平台管理员 / "
            "This unified social credit code is already registered: sign in with your enterprise's existing "
            "account or contact the platform administrator",
            "details": {"field": "uscc", "uscc": "914403001922038216"},
        }
    }
    assert Enterprise.objects.count() == 1
    assert list(enterprise.members.values_list("username", flat=True)) == ["member"]


# --- profile and review ------------------------------------------------------------------------------


def test_member_reads_and_updates_the_profile(client_for, enterprise_member, enterprise):
    # when
    response = client_for(enterprise_member).patch(
        reverse("enterprises-api:enterprise-me"),
        {"industry_section": "C", "industry_division": "38", "products": "动力电池正极材料"},
        format="json",
    )
    # then
    assert response.status_code == 200
    assert response.json() == {
        "pk": enterprise.pk,
        "name": "武汉瑞诚科技有限公司",
        "uscc": "914403001922038216",
        "city": "4201",
        "industry_section": "C",
        "industry_division": "38",
        "size": "",
        "business_scope": "计算机技术研发；模具制造",
        "products": "动力电池正极材料",
        "website": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "verification": "verified",
        "verification_note": "",
    }


def test_profile_with_a_division_of_another_section_is_400(client_for, enterprise_member, enterprise):
    response = client_for(enterprise_member).patch(
        reverse("enterprises-api:enterprise-me"), {"industry_section": "A", "industry_division": "39"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "industry_division": [
            "行业大类 39 不属于门类 A，应属门类 C / Industry division 39 does not belong to section A; "
            "it belongs to section C"
        ]
    }
    assert Enterprise.objects.get(pk=enterprise.pk).industry_division == ""


def test_profile_is_for_members_only(client_for, officer):
    response = client_for(officer).get(reverse("enterprises-api:enterprise-me"))
    assert response.status_code == 403


def test_bureau_review_queue_and_decision(api_client, client_for, bureau, officer):
    # given
    api_client.post(
        reverse("enterprises-api:enterprise-register"), {**REGISTER, "uscc": "91350211M0000XUF46"}, format="json"
    )
    flagged = Enterprise.objects.get()
    # when
    queue = client_for(bureau).get(reverse("enterprises-api:enterprise-review-queue"))
    officer_queue = client_for(officer).get(reverse("enterprises-api:enterprise-review-queue"))
    officer_decides = client_for(officer).post(
        reverse("enterprises-api:enterprise-review", args=[flagged.pk]), {"decision": "approve"}, format="json"
    )
    decided = client_for(bureau).post(
        reverse("enterprises-api:enterprise-review", args=[flagged.pk]),
        {"decision": "reject", "note": "代码与营业执照不符"},
        format="json",
    )
    # then
    assert [row["uscc"] for row in queue.json()] == ["91350211M0000XUF46"]
    assert officer_queue.status_code == 403  # the queue is bureau staff's, not any signed-in user's
    assert officer_decides.status_code == 403
    assert Enterprise.objects.get().verification == "rejected"  # decided once, by the bureau
    assert decided.status_code == 200
    assert (decided.json()["verification"], decided.json()["verification_note"]) == ("rejected", "代码与营业执照不符")
    assert list(AuditLog.objects.filter(action__startswith="enterprise.review").values_list("actor", flat=True)) == [
        bureau.pk
    ]

"""The enterprise API: sign-up, profile, review, needs, follows, docking and notifications, with their permissions."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog
from enterprises.models import (
    DockingEvent,
    DockingRequest,
    DockingStatus,
    Enterprise,
    Notification,
    PatentFollow,
    TechNeed,
)
from enterprises.services.docking import docking_transition
from enterprises.services.follows import patent_follow
from enterprises.services.registration import NEXT_STEP_REVIEW
from patents.models import InventoryStatus
from tests.enterprises.factories import PatentFactory, TechNeedFactory

pytestmark = pytest.mark.django_db

REGISTER = {
    "password": "Test-pass-2026",
    "name": "武汉新能源科技有限公司",
    "uscc": "91110108795101314G",
    "city": "4201",
    "contact_name": "张敏",
    "contact_email": "zhangmin@example.cn",
}


def _iso(value) -> str:
    return timezone.localtime(value).isoformat()


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
        "created_at": _iso(need.created_at),
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
        "created_at": _iso(follow.created_at),
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


# --- docking -----------------------------------------------------------------------------------------


def _docking_json(docking: DockingRequest, **overrides) -> dict:
    docking = DockingRequest.objects.get(pk=docking.pk)
    data = {
        "pk": docking.pk,
        "kind": "patent",
        "enterprise": "武汉瑞诚科技有限公司",
        "institution": "华中科技大学",
        "patent": {
            "pk": docking.patent_id,
            "application_number": "201910209152.5",
            "title": "一种高镍正极材料及其制备方法",
            "institution": "华中科技大学",
        },
        "need": None,
        "message": docking.message,
        "contact": {
            "name": docking.contact_name,
            "phone": docking.contact_phone,
            "email": docking.contact_email,
        },
        "status": docking.status,
        "submitted_at": _iso(docking.submitted_at),
        "responded_at": _iso(docking.responded_at) if docking.responded_at else None,
        "closed_at": _iso(docking.closed_at) if docking.closed_at else None,
        "expires_at": _iso(docking.expires_at),
        "is_overdue": False,
        "decline_reason": docking.decline_reason,
        "decline_note": docking.decline_note,
        "signed_mode": docking.signed_mode,
        "signed_amount": str(docking.signed_amount) if docking.signed_amount is not None else None,
        "signed_date": docking.signed_date.isoformat() if docking.signed_date else None,
        "contract_url": None,
        "allowed_actions": [],
    }
    data.update(overrides)
    return data


def test_member_requests_docking_and_the_officer_accepts(client_for, enterprise_member, officer, pooled_patent, need):
    # when: the member asks, giving a contact
    created = client_for(enterprise_member).post(
        reverse("enterprises-api:docking-list"),
        {
            "patent": pooled_patent.pk,
            "need": need.pk,
            "message": "用于动力电池产线",
            "contact_name": "张敏",
            "contact_phone": "027-87654321",
        },
        format="json",
    )
    # then
    docking = DockingRequest.objects.get()
    assert (docking.contact_name, docking.contact_phone, docking.contact_email) == ("张敏", "027-87654321", "")
    need_json = {"pk": need.pk, "title": "高镍正极材料量产工艺"}
    submit_event = {
        "action": "submit",
        "from_status": "",
        "to_status": "submitted",
        "actor": "member",
        "at": _iso(docking.submitted_at),
        "note": "用于动力电池产线",
    }
    assert created.status_code == 201
    assert created.json() == _docking_json(docking, need=need_json, allowed_actions=["withdraw"], events=[submit_event])
    # when: the officer accepts
    accepted = client_for(officer).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]),
        {"action": "accept", "note": "欢迎来校洽谈"},
        format="json",
    )
    # then
    docking.refresh_from_db()
    accept_event = {
        "action": "accept",
        "from_status": "submitted",
        "to_status": "accepted",
        "actor": "officer_a",
        "at": _iso(docking.responded_at),
        "note": "欢迎来校洽谈",
    }
    assert accepted.status_code == 200
    assert accepted.json() == _docking_json(
        docking, need=need_json, allowed_actions=["decline", "negotiate"], events=[submit_event, accept_event]
    )


def test_illegal_transition_is_409_listing_the_allowed_actions(client_for, enterprise_member, make_docking):
    # given
    docking = make_docking(status=DockingStatus.SUBMITTED)
    # when
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]), {"action": "accept"}, format="json"
    )
    # then
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "当前状态“已提交”下您不能执行“受理”，可执行：撤回 / "
            "Action 'accept' is not allowed for you in state 'submitted'; allowed: withdraw",
            "details": {"status": "submitted", "action": "accept", "allowed": ["withdraw"]},
        }
    }
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"
    assert (DockingEvent.objects.count(), AuditLog.objects.count(), Notification.objects.count()) == (0, 0, 0)


def test_someone_elses_request_is_404_and_nothing_changes(client_for, other_member, other_officer, make_docking):
    # given
    docking = make_docking(status=DockingStatus.SUBMITTED)
    # when
    responses = [
        client_for(other_member).get(reverse("enterprises-api:docking-detail", args=[docking.pk])),
        client_for(other_member).post(
            reverse("enterprises-api:docking-transition", args=[docking.pk]), {"action": "withdraw"}, format="json"
        ),
        client_for(other_officer).post(
            reverse("enterprises-api:docking-transition", args=[docking.pk]), {"action": "accept"}, format="json"
        ),
    ]
    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert responses[1].json() == {"error": {"code": "not_found", "message": "未找到。", "details": {}}}
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"
    assert (DockingEvent.objects.count(), AuditLog.objects.count()) == (0, 0)


def test_unknown_action_is_400(client_for, officer, make_docking):
    docking = make_docking()
    response = client_for(officer).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]), {"action": "approve"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"action": ["“approve” 不是合法选项。"]}
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"


def test_decline_without_reason_is_400(client_for, officer, make_docking):
    docking = make_docking()
    response = client_for(officer).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]), {"action": "decline"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["decline_reason"]
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"


def test_sign_with_a_contract_upload(client_for, officer, enterprise_member, make_docking):
    # given: a request submitted before the signing date
    docking = make_docking(
        status=DockingStatus.NEGOTIATING, submitted_at=timezone.make_aware(datetime(2026, 10, 8, 9, 30))
    )
    contract = SimpleUploadedFile("contract.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    # when
    response = client_for(officer).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]),
        {
            "action": "sign",
            "transfer_mode": "licence",
            "amount": "250000.00",
            "signed_date": date(2026, 11, 1).isoformat(),
            "contract_file": contract,
        },
        format="multipart",
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["signed_mode"], body["signed_amount"], body["signed_date"]) == (
        "signed",
        "licence",
        "250000.00",
        "2026-11-01",
    )
    assert body["contract_url"] == reverse("enterprises:docking_contract", args=[docking.pk])


def test_docking_create_is_for_members_and_a_duplicate_is_409(client_for, officer, enterprise_member, pooled_patent):
    # given
    url = reverse("enterprises-api:docking-list")
    body = {"patent": pooled_patent.pk, "contact_email": "zhangmin@example.cn"}
    client_for(enterprise_member).post(url, body, format="json")
    # when
    by_officer = client_for(officer).post(url, body, format="json")
    duplicate = client_for(enterprise_member).post(url, body, format="json")
    # then
    assert by_officer.status_code == 403
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["details"] == {"docking": DockingRequest.objects.get().pk}
    assert DockingRequest.objects.count() == 1


def test_overdue_flag_in_the_list(client_for, officer, make_docking):
    # given
    late = make_docking(submitted_at=timezone.now() - timedelta(days=8))
    # when
    body = client_for(officer).get(reverse("enterprises-api:docking-list")).json()
    # then
    assert [(row["pk"], row["is_overdue"], row["allowed_actions"]) for row in body["results"]] == [
        (late.pk, True, ["accept", "decline"])
    ]


def test_response_times(client_for, officer, bureau, enterprise_member, make_docking):
    # given
    docking = make_docking()
    docking_transition(docking=docking, action="accept", actor=officer, now=docking.submitted_at + timedelta(hours=3))
    # when
    for_bureau = client_for(bureau).get(reverse("enterprises-api:docking-response-times"))
    for_member = client_for(enterprise_member).get(reverse("enterprises-api:docking-response-times"))
    # then
    assert for_bureau.json() == [
        {
            "institution_pk": officer.institution_id,
            "institution_name": "华中科技大学",
            "answered": 1,
            "median_hours": 3.0,
            "waiting": 0,
            "overdue": 0,
        }
    ]
    assert for_member.status_code == 403


# --- every state × action × role through the API ------------------------------------------------------

API_ROLES = ["member", "other_member", "officer", "other_officer", "bureau", "city_bureau", "admin"]
API_ALLOWED = {
    ("member", "withdraw"): {"submitted", "accepted", "negotiating"},
    ("officer", "accept"): {"submitted"},
    ("officer", "decline"): {"submitted", "accepted", "negotiating"},
    ("officer", "negotiate"): {"accepted"},
    ("officer", "sign"): {"negotiating"},
}
API_ALLOWED_FOR = {
    "member": {"submitted": ["withdraw"], "accepted": ["withdraw"], "negotiating": ["withdraw"]},
    "officer": {
        "submitted": ["accept", "decline"],
        "accepted": ["decline", "negotiate"],
        "negotiating": ["decline", "sign"],
    },
}
API_PAYLOAD = {
    "decline": {"decline_reason": "fit", "note": "与企业现有产线不匹配"},
    "sign": {"transfer_mode": "assignment", "amount": "90000", "signed_date": "2026-11-02"},
}
TARGET = {
    "accept": "accepted",
    "decline": "declined",
    "negotiate": "negotiating",
    "sign": "signed",
    "withdraw": "withdrawn",
}


@pytest.mark.parametrize("role", API_ROLES)
@pytest.mark.parametrize("action", ["accept", "decline", "negotiate", "sign", "withdraw", "expire"])
@pytest.mark.parametrize("status", list(DockingStatus))
def test_api_transition_matrix(client_for, actors, make_docking, status, action, role):
    # given: past its deadline, so only the missing system role keeps "expire" from anyone
    submitted = timezone.now() - timedelta(days=90)
    docking = make_docking(status=status, submitted_at=submitted, expires_at=submitted + timedelta(days=60))
    before = (DockingEvent.objects.count(), AuditLog.objects.count(), Notification.objects.count())
    # when
    response = client_for(actors[role]).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]),
        {"action": action, **API_PAYLOAD.get(action, {})},
        format="json",
    )
    # then
    if status in API_ALLOWED.get((role, action), set()):
        assert response.status_code == 200
        assert response.json()["status"] == TARGET[action]
        assert DockingRequest.objects.get(pk=docking.pk).status == TARGET[action]
        assert DockingEvent.objects.count() == before[0] + 1
        return
    if role in ("other_member", "other_officer"):
        assert response.status_code == 404
    else:
        assert response.status_code == 409
        assert response.json()["error"]["details"] == {
            "status": status,
            "action": action,
            "allowed": API_ALLOWED_FOR.get(role, {}).get(status, []),
        }
    assert DockingRequest.objects.get(pk=docking.pk).status == status
    assert (DockingEvent.objects.count(), AuditLog.objects.count(), Notification.objects.count()) == before


# --- notifications -----------------------------------------------------------------------------------


def test_notifications_are_private_and_can_be_marked_read(client_for, enterprise_member, officer, make_docking):
    # given
    docking = make_docking()
    docking_transition(docking=docking, action="accept", actor=officer)
    notification = Notification.objects.get()
    # when
    listed = client_for(enterprise_member).get(reverse("enterprises-api:notification-list")).json()
    foreign = client_for(officer).post(reverse("enterprises-api:notification-read", args=[notification.pk]))
    read = client_for(enterprise_member).post(reverse("enterprises-api:notification-read", args=[notification.pk]))
    read_all = client_for(enterprise_member).post(reverse("enterprises-api:notification-read-all"))
    # then
    assert listed["results"] == [
        {
            "pk": notification.pk,
            "kind": "docking",
            "message_kind": "docking.accepted",
            "params": {"status": "accepted", "subject": "一种高镍正极材料及其制备方法", "note": ""},
            "title": "对接请求已受理：一种高镍正极材料及其制备方法",
            "body": "",
            "url": reverse("enterprises:docking_detail", args=[docking.pk]),
            "docking": docking.pk,
            "created_at": _iso(notification.created_at),
            "is_read": False,
        }
    ]
    assert foreign.status_code == 404
    assert (read.status_code, read.json()["is_read"]) == (200, True)
    assert read_all.json() == {"marked": 0}


def test_schema_documents_the_enterprise_endpoints(client_for, platform_admin):
    response = client_for(platform_admin).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/enterprises/register/",
        "/api/v1/enterprises/me/",
        "/api/v1/needs/{id}/close/",
        "/api/v1/follows/",
        "/api/v1/docking/{id}/transition/",
        "/api/v1/docking/response-times/",
        "/api/v1/notifications/read-all/",
    ):
        assert path in paths


# --- the contact goes with a docking request; the signing date (issue 21 item 7) -------------------------------------


def test_api_docking_without_any_contact_is_a_400_and_writes_nothing(client_for, enterprise_member, pooled_patent):
    # given: a profile without a phone or an e-mail, and none given
    url = reverse("enterprises-api:docking-list")
    # when
    response = client_for(enterprise_member).post(url, {"patent": pooled_patent.pk}, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "contact_phone": [
            "请填写联系电话或联系邮箱，高校据此联系您 / "
            "Enter a phone number or an e-mail address the institution can reach"
        ]
    }
    assert DockingRequest.objects.count() == 0


def test_api_docking_takes_the_profile_contact_and_shows_it_to_the_parties_only(
    client_for, enterprise_member, enterprise, officer, bureau, pooled_patent
):
    # given
    Enterprise.objects.filter(pk=enterprise.pk).update(contact_name="张敏", contact_email="zhangmin@example.cn")
    enterprise_member.refresh_from_db()
    contact = {"name": "张敏", "phone": "", "email": "zhangmin@example.cn"}
    # when
    created = client_for(enterprise_member).post(
        reverse("enterprises-api:docking-list"), {"patent": pooled_patent.pk}, format="json"
    )
    # then
    assert created.status_code == 201
    assert created.json()["contact"] == contact
    assert client_for(officer).get(reverse("enterprises-api:docking-list")).json()["results"][0]["contact"] == contact
    assert client_for(bureau).get(reverse("enterprises-api:docking-list")).json()["results"][0]["contact"] is None


def test_api_sign_with_a_date_before_the_submission_is_a_400(client_for, officer, make_docking):
    # given
    docking = make_docking(status=DockingStatus.NEGOTIATING)
    submitted_on = timezone.localdate(docking.submitted_at)
    # when
    response = client_for(officer).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]),
        {"action": "sign", "transfer_mode": "licence", "amount": "900000", "signed_date": "0001-01-01"},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "signed_date": [
            f"签约日期不能早于对接请求的提交日期（{submitted_on:%Y-%m-%d}）/ "
            f"The signing date cannot be before the request was submitted ({submitted_on:%Y-%m-%d})"
        ]
    }
    fresh = DockingRequest.objects.get(pk=docking.pk)
    assert (fresh.status, fresh.signed_amount, fresh.signed_date) == ("negotiating", None, None)

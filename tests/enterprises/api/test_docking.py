"""The docking API: requests, transitions, contracts, overdue flags and response times, the contact that goes
with a request and the signing date."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog
from enterprises.models import DockingEvent, DockingRequest, DockingStatus, Enterprise, Notification
from enterprises.services.docking import docking_transition
from tests.enterprises.api.helpers import local_iso

pytestmark = pytest.mark.django_db


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
        "submitted_at": local_iso(docking.submitted_at),
        "responded_at": local_iso(docking.responded_at) if docking.responded_at else None,
        "closed_at": local_iso(docking.closed_at) if docking.closed_at else None,
        "expires_at": local_iso(docking.expires_at),
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
        "at": local_iso(docking.submitted_at),
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
        "at": local_iso(docking.responded_at),
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


# --- the contact goes with a docking request; the signing date --------------------------------------------------------


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

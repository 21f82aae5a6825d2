"""Docking transitions beyond the state table: decline reasons, signing data and contracts, closing a failed
negotiation, and a signing date between the submission and today."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditLog
from enterprises.models import DockingEvent, DockingRequest, DockingStatus, Notification
from enterprises.services.docking import docking_transition
from tests.enterprises.docking.helpers import NOW, PDF, PNG, docking_counts
from tests.enterprises.factories import PatentFactory

pytestmark = pytest.mark.django_db

SUBMITTED = NOW - timedelta(days=30)  # the requests signed below were submitted before their signing dates


def test_decline_stores_the_structured_reason_and_text(make_docking, officer, enterprise_member):
    # given
    docking = make_docking()
    # when
    docking_transition(
        docking=docking,
        action="decline",
        actor=officer,
        decline_reason="ip_scope",
        note="权利要求保护范围较窄",
        now=NOW,
    )
    # then
    docking.refresh_from_db()
    assert (docking.status, docking.decline_reason, docking.decline_note, docking.responded_at, docking.closed_at) == (
        "declined",
        "ip_scope",
        "权利要求保护范围较窄",
        NOW,
        NOW,
    )
    assert AuditLog.objects.get().detail == {"from": "submitted", "to": "declined", "decline_reason": "ip_scope"}
    assert list(Notification.objects.values_list("recipient", "title", "body")) == [
        (enterprise_member.pk, "对接请求已婉拒：一种高镍正极材料及其制备方法", "权利要求保护范围较窄")
    ]


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {},
            {
                "decline_reason": [
                    "请选择婉拒原因（price, maturity, fit, benefit_unclear, ip_scope, region, other） / "
                    "Choose a decline reason"
                ]
            },
        ),
        (
            {"decline_reason": "too_far"},
            {
                "decline_reason": [
                    "请选择婉拒原因（price, maturity, fit, benefit_unclear, ip_scope, region, other） / "
                    "Choose a decline reason"
                ]
            },
        ),
        ({"decline_reason": "other"}, {"note": ["原因为“其他”时请填写说明 / Explain the reason when it is 'other'"]}),
    ],
)
def test_decline_without_a_valid_reason_writes_nothing(make_docking, officer, payload, errors):
    # given
    docking = make_docking()
    before = docking_counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(docking=docking, action="decline", actor=officer, **payload)
    # then
    assert raised.value.message_dict == errors
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"
    assert docking_counts() == before


def test_sign_with_a_pdf_contract(make_docking, officer):
    # given
    docking = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=SUBMITTED)
    upload = SimpleUploadedFile("合同扫描件.exe", PDF, content_type="application/octet-stream")
    # when
    docking_transition(
        docking=docking,
        action="sign",
        actor=officer,
        transfer_mode="assignment",
        amount="380000",
        signed_date=date(2026, 6, 12),
        contract_file=upload,
        now=NOW,
    )
    # then
    docking.refresh_from_db()
    assert (docking.status, docking.signed_mode, docking.signed_amount, docking.signed_date, docking.closed_at) == (
        "signed",
        "assignment",
        Decimal("380000.00"),
        date(2026, 6, 12),
        NOW,
    )
    assert docking.contract_file.name.startswith(f"contracts/{docking.pk}/contract-")
    assert docking.contract_file.name.endswith(".pdf")
    assert docking.contract_file.read() == PDF
    assert AuditLog.objects.get().detail == {
        "from": "negotiating",
        "to": "signed",
        "transfer_mode": "assignment",
        "amount": "380000.00",
    }


def test_sign_with_an_image_contract_and_without_one(make_docking, officer, institution):
    # given
    with_image = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=SUBMITTED)
    without = make_docking(
        status=DockingStatus.NEGOTIATING, patent=PatentFactory(institution=institution), submitted_at=SUBMITTED
    )
    # when
    docking_transition(
        docking=with_image,
        action="sign",
        actor=officer,
        transfer_mode="licence",
        amount=Decimal("0"),
        signed_date=date(2026, 6, 1),
        contract_file=SimpleUploadedFile("scan.pdf", PNG),
        now=NOW,
    )
    docking_transition(
        docking=without, action="sign", actor=officer, transfer_mode="equity", amount="1", signed_date=date(2026, 6, 1)
    )
    # then
    with_image.refresh_from_db()
    without.refresh_from_db()
    assert with_image.contract_file.name.endswith(".png")
    assert (without.status, bool(without.contract_file)) == ("signed", False)


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {},
            {
                "transfer_mode": ["请选择转化方式 / Choose the transfer mode"],
                "amount": ["请填写合同金额（不小于 0） / Enter the contract amount (0 or more)"],
                "signed_date": ["请填写签约日期 / Enter the signing date"],
            },
        ),
        (
            {"transfer_mode": "licence", "amount": "-5", "signed_date": date(2026, 6, 16)},
            {
                "amount": ["请填写合同金额（不小于 0） / Enter the contract amount (0 or more)"],
                "signed_date": ["签约日期不能晚于今天 / The signing date cannot be in the future"],
            },
        ),
        (
            {
                "transfer_mode": "licence",
                "amount": "10",
                "signed_date": date(2026, 6, 1),
                "contract_file": SimpleUploadedFile("contract.pdf", b"MZ\x90\x00 not a pdf"),
            },
            {
                "contract_file": [
                    "合同文件须为 PDF 或图片（PNG、JPEG、WebP），按文件内容判断 / "
                    "The contract must be a PDF or an image (PNG, JPEG, WebP), judged by its content"
                ]
            },
        ),
    ],
    ids=["missing", "negative-and-future", "not-a-pdf"],
)
def test_sign_with_bad_data_writes_nothing(make_docking, officer, payload, errors):
    # given
    docking = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=SUBMITTED)
    before = docking_counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(docking=docking, action="sign", actor=officer, now=NOW, **payload)
    # then
    assert raised.value.message_dict == errors
    fresh = DockingRequest.objects.get(pk=docking.pk)
    assert (fresh.status, fresh.signed_amount, bool(fresh.contract_file)) == ("negotiating", None, False)
    assert docking_counts() == before


def test_a_contract_over_the_size_limit_is_refused(make_docking, officer, settings):
    # given
    settings.DOCKING_CONTRACT_MAX_BYTES = 1024 * 1024
    docking = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=SUBMITTED)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    before = docking_counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(
            docking=docking,
            action="sign",
            actor=officer,
            transfer_mode="licence",
            amount="10",
            signed_date=date(2026, 6, 1),
            contract_file=big,
            now=NOW,
        )
    # then
    assert raised.value.message_dict == {
        "contract_file": ["合同文件不能超过 1 MB / The contract file must not exceed 1 MB"]
    }
    assert DockingRequest.objects.get(pk=docking.pk).status == "negotiating"
    assert docking_counts() == before


@pytest.mark.parametrize("status", [DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING])
def test_a_negotiation_is_closed_as_failed_with_a_reason_from_a_later_open_state(
    make_docking, officer, enterprise_member, status
):
    # given: answered a day ago
    docking = make_docking(status=status, responded_at=NOW - timedelta(days=1))
    # when
    docking_transition(
        docking=docking, action="decline", actor=officer, decline_reason="price", note="双方报价差距过大", now=NOW
    )
    # then: closed with the structured reason, the first response time untouched
    docking.refresh_from_db()
    assert (docking.status, docking.decline_reason, docking.decline_note, docking.responded_at, docking.closed_at) == (
        "declined",
        "price",
        "双方报价差距过大",
        NOW - timedelta(days=1),
        NOW,
    )
    assert list(DockingEvent.objects.values_list("action", "from_status", "to_status", "note")) == [
        ("decline", status, "declined", "双方报价差距过大")
    ]
    assert AuditLog.objects.get().detail == {"from": status, "to": "declined", "decline_reason": "price"}
    assert list(Notification.objects.values_list("recipient", flat=True)) == [enterprise_member.pk]


def test_closing_a_negotiation_without_a_reason_writes_nothing(make_docking, officer):
    # given
    docking = make_docking(status=DockingStatus.NEGOTIATING)
    before = docking_counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(docking=docking, action="decline", actor=officer, note="谈不拢")
    # then
    assert raised.value.message_dict == {
        "decline_reason": [
            "请选择婉拒原因（price, maturity, fit, benefit_unclear, ip_scope, region, other） / Choose a decline reason"
        ]
    }
    assert DockingRequest.objects.get(pk=docking.pk).status == "negotiating"
    assert docking_counts() == before


@pytest.mark.parametrize("signed_on", [date(1, 1, 1), date(2026, 6, 9)], ids=["year-1", "day-before-submission"])
def test_a_signing_date_before_the_submission_is_refused(make_docking, officer, signed_on):
    # given: a request submitted on 2026-06-10
    docking = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=NOW - timedelta(days=5))
    before = docking_counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(
            docking=docking,
            action="sign",
            actor=officer,
            transfer_mode="licence",
            amount="500000",
            signed_date=signed_on,
            now=NOW,
        )
    # then: nothing signed, so nothing counted in 合同金额
    assert raised.value.message_dict == {
        "signed_date": [
            "签约日期不能早于对接请求的提交日期（2026-06-10）/ "
            "The signing date cannot be before the request was submitted (2026-06-10)"
        ]
    }
    fresh = DockingRequest.objects.get(pk=docking.pk)
    assert (fresh.status, fresh.signed_amount, fresh.signed_date) == ("negotiating", None, None)
    assert docking_counts() == before


@pytest.mark.parametrize("signed_on", [date(2026, 6, 10), date(2026, 6, 15)], ids=["submission-day", "today"])
def test_a_signing_date_from_the_submission_to_today_is_accepted(make_docking, officer, signed_on):
    # given: submitted 2026-06-10 late in the evening (Beijing time), signed by 2026-06-15
    docking = make_docking(
        status=DockingStatus.NEGOTIATING, submitted_at=datetime(2026, 6, 10, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    # when
    docking_transition(
        docking=docking,
        action="sign",
        actor=officer,
        transfer_mode="licence",
        amount="1",
        signed_date=signed_on,
        now=NOW,
    )
    # then
    docking.refresh_from_db()
    assert (docking.status, docking.signed_date) == ("signed", signed_on)

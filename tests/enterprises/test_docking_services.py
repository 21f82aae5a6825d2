"""Docking services beyond the state table: creation rules, decline and sign data, contracts, mail, expiry."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.errors import ConflictError
from core.models import AuditLog
from enterprises.errors import NotFoundError
from enterprises.models import DockingEvent, DockingRequest, DockingStatus, Enterprise, Notification, TechNeed
from enterprises.services.docking import (
    DUPLICATE_MESSAGE,
    docking_expire_due,
    docking_request_create,
    docking_transition,
)
from patents.models import InventoryStatus
from tests.enterprises.factories import PatentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


SUBMITTED = NOW - timedelta(days=30)  # the requests signed below were submitted before their signing dates


@pytest.fixture(autouse=True)
def _enterprise_has_a_phone(request):
    """The requesting enterprise's profile gives a phone, so a request needs no contact of its own (issue 21)."""
    if "enterprise" in request.fixturenames:
        enterprise = request.getfixturevalue("enterprise")
        enterprise.contact_phone = "027-87654321"
        enterprise.save(update_fields=["contact_phone"])


def _counts() -> tuple[int, int, int, int]:
    return (
        DockingRequest.objects.count(),
        DockingEvent.objects.count(),
        AuditLog.objects.count(),
        Notification.objects.count(),
    )


def test_request_about_a_pooled_patent_notifies_the_institutions_officers(
    enterprise_member, officer, other_officer, pooled_patent, need, django_capture_on_commit_callbacks
):
    # given
    officer.email = "officer@hust.edu.cn"
    officer.save()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        docking = docking_request_create(
            actor=enterprise_member, patent=pooled_patent, need=need, message="用于动力电池产线", now=NOW
        )
    # then
    docking.refresh_from_db()
    assert (docking.kind, docking.institution, docking.patent, docking.need, docking.status) == (
        "patent",
        officer.institution,
        pooled_patent,
        need,
        "submitted",
    )
    assert (docking.submitted_at, docking.expires_at) == (NOW, NOW + timedelta(days=60))
    assert list(docking.events.values_list("action", "from_status", "to_status", "actor", "note")) == [
        ("submit", "", "submitted", enterprise_member.pk, "用于动力电池产线")
    ]
    assert list(AuditLog.objects.values_list("action", "target_id")) == [("docking.submit", str(docking.pk))]
    assert list(Notification.objects.values_list("recipient__username", "title", "url")) == [
        (
            "officer_a",
            "新的对接请求：武汉瑞诚科技有限公司 · 一种高镍正极材料及其制备方法",
            reverse("enterprises:docking_detail", args=[docking.pk]),
        )
    ]
    assert len(mail.outbox) == 1
    assert (mail.outbox[0].to, mail.outbox[0].subject) == (
        ["officer@hust.edu.cn"],
        "[专利盘活对接平台] 新的对接请求：武汉瑞诚科技有限公司 · 一种高镍正极材料及其制备方法",
    )
    assert mail.outbox[0].body == f"用于动力电池产线\n\n{settings.SITE_URL}/enterprises/docking/{docking.pk}/"
    assert Notification.objects.get().emailed_at is not None


def test_request_from_a_need_to_an_institution(enterprise_member, need, other_institution):
    # when
    docking = docking_request_create(
        actor=enterprise_member, need=need, institution=other_institution, expires_on=date(2026, 7, 1), now=NOW
    )
    # then
    assert (docking.kind, docking.institution, docking.patent, docking.need) == (
        "need",
        other_institution,
        None,
        need,
    )
    assert docking.expires_at == datetime(2026, 7, 1, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_second_open_request_for_the_same_patent_is_a_conflict(enterprise_member, pooled_patent):
    # given
    first = docking_request_create(actor=enterprise_member, patent=pooled_patent)
    before = _counts()
    # when
    with pytest.raises(ConflictError) as raised:
        docking_request_create(actor=enterprise_member, patent=pooled_patent)
    # then
    assert (raised.value.message, raised.value.extra) == (DUPLICATE_MESSAGE, {"docking": first.pk})
    assert _counts() == before


def test_after_a_closed_request_the_enterprise_may_ask_again(enterprise_member, officer, pooled_patent):
    # given
    first = docking_request_create(actor=enterprise_member, patent=pooled_patent)
    docking_transition(docking=first, action="decline", actor=officer, decline_reason="maturity")
    # when
    second = docking_request_create(actor=enterprise_member, patent=pooled_patent)
    # then
    assert second.pk != first.pk
    assert DockingRequest.objects.filter(status="submitted").count() == 1


@pytest.mark.parametrize("verification", [Enterprise.Verification.REVIEW, Enterprise.Verification.REJECTED])
def test_an_enterprise_not_verified_cannot_request_docking(enterprise_member, pooled_patent, verification):
    # given
    Enterprise.objects.filter(pk=enterprise_member.enterprise_id).update(verification=verification)
    enterprise_member.refresh_from_db()
    before = _counts()
    # when
    with pytest.raises(ConflictError) as raised:
        docking_request_create(actor=enterprise_member, patent=pooled_patent)
    # then
    assert raised.value.message == (
        "企业注册信息审核通过后才能发起对接 / Docking opens once your enterprise's registration is approved"
    )
    assert _counts() == before


def test_a_patent_not_pooled_or_someone_elses_need_is_not_found(enterprise_member, institution, other_enterprise):
    # given
    draft = PatentFactory(institution=institution, inventory_status=InventoryStatus.INVENTORIED)
    foreign_need = TechNeed.objects.create(enterprise=other_enterprise, title="别人的需求")
    before = _counts()
    # then
    with pytest.raises(NotFoundError):
        docking_request_create(actor=enterprise_member, patent=draft)
    with pytest.raises(NotFoundError):
        docking_request_create(actor=enterprise_member, need=foreign_need, institution=institution)
    assert _counts() == before


def test_a_need_based_request_needs_an_open_need_and_an_institution(enterprise_member, need, institution):
    # given
    before = _counts()
    # when: no institution
    with pytest.raises(ValidationError) as raised:
        docking_request_create(actor=enterprise_member, need=need)
    # then
    assert raised.value.message_dict == {"institution": ["请选择对接的高校/院所 / Choose the institution to dock with"]}
    # when: a closed need
    TechNeed.objects.filter(pk=need.pk).update(status=TechNeed.Status.CLOSED)
    need.refresh_from_db()
    with pytest.raises(ConflictError) as closed:
        docking_request_create(actor=enterprise_member, need=need, institution=institution)
    # then
    assert closed.value.message == "该需求已关闭 / This need is closed"
    assert _counts() == before


def test_officers_cannot_create_requests(officer, pooled_patent):
    with pytest.raises(ConflictError) as raised:
        docking_request_create(actor=officer, patent=pooled_patent)
    assert raised.value.message == "只有企业用户可以发起对接 / Only enterprise members can request docking"
    assert DockingRequest.objects.count() == 0


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
    before = _counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(docking=docking, action="decline", actor=officer, **payload)
    # then
    assert raised.value.message_dict == errors
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"
    assert _counts() == before


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
    before = _counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(docking=docking, action="sign", actor=officer, now=NOW, **payload)
    # then
    assert raised.value.message_dict == errors
    fresh = DockingRequest.objects.get(pk=docking.pk)
    assert (fresh.status, fresh.signed_amount, bool(fresh.contract_file)) == ("negotiating", None, False)
    assert _counts() == before


def test_a_contract_over_the_size_limit_is_refused(make_docking, officer, settings):
    # given
    settings.DOCKING_CONTRACT_MAX_BYTES = 1024 * 1024
    docking = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=SUBMITTED)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    before = _counts()
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
    assert _counts() == before


def test_expire_due_expires_only_open_requests_past_their_deadline(
    make_docking, institution, enterprise_member, officer
):
    # given
    past = NOW - timedelta(days=61)
    due_submitted = make_docking(submitted_at=past, expires_at=NOW - timedelta(days=1))
    due_negotiating = make_docking(
        status=DockingStatus.NEGOTIATING,
        patent=PatentFactory(institution=institution),
        submitted_at=past,
        expires_at=NOW - timedelta(hours=1),
    )
    not_due = make_docking(
        patent=PatentFactory(institution=institution), submitted_at=NOW, expires_at=NOW + timedelta(days=1)
    )
    already_signed = make_docking(
        status=DockingStatus.SIGNED,
        patent=PatentFactory(institution=institution),
        submitted_at=past,
        expires_at=NOW - timedelta(days=1),
    )
    # when
    expired = docking_expire_due(now=NOW)
    # then
    assert expired == 2
    statuses = dict(DockingRequest.objects.values_list("pk", "status"))
    assert statuses == {
        due_submitted.pk: "expired",
        due_negotiating.pk: "expired",
        not_due.pk: "submitted",
        already_signed.pk: "signed",
    }
    assert list(DockingEvent.objects.values_list("docking", "action", "actor").order_by("docking")) == [
        (due_submitted.pk, "expire", None),
        (due_negotiating.pk, "expire", None),
    ]
    # the system tells both sides
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "member",
        "member",
        "officer_a",
        "officer_a",
    ]
    assert docking_expire_due(now=NOW) == 0


def test_expiry_defaults_to_the_setting(enterprise_member, pooled_patent, settings):
    # given
    settings.DOCKING_EXPIRY_DAYS = 10
    # when
    docking = docking_request_create(actor=enterprise_member, patent=pooled_patent, now=NOW)
    # then
    assert docking.expires_at == NOW + timedelta(days=10)


def test_a_deadline_in_the_past_is_refused(enterprise_member, pooled_patent):
    with pytest.raises(ValidationError) as raised:
        docking_request_create(actor=enterprise_member, patent=pooled_patent, expires_on=timezone.localdate())
    assert raised.value.message_dict == {"expires_on": ["有效期须晚于今天 / The deadline must be after today"]}
    assert DockingRequest.objects.count() == 0


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
    before = _counts()
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
    assert _counts() == before


def test_a_request_about_a_patent_refuses_another_institution_and_writes_nothing(
    enterprise_member, pooled_patent, other_institution
):
    # given
    before = _counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_request_create(actor=enterprise_member, patent=pooled_patent, institution=other_institution)
    # then
    assert raised.value.message_dict == {
        "institution": [
            f"该专利的权利人是{pooled_patent.institution.name}，对接请求只能发给权利人 / "
            "A request about a patent goes to the patent's own institution"
        ]
    }
    assert _counts() == before


def test_a_request_about_a_patent_goes_to_its_institution_when_it_is_named_or_not(
    enterprise_member, pooled_patent, institution
):
    # when
    named = docking_request_create(actor=enterprise_member, patent=pooled_patent, institution=institution)
    # then
    assert (named.kind, named.institution, named.patent) == ("patent", institution, pooled_patent)


# --- the contact goes with the request; a signing date between the submission and today (issue 21 item 7) ----------


def test_a_request_carries_the_profile_contact_when_none_is_given(enterprise_member, enterprise, pooled_patent):
    # given: the profile's contact (the phone from the module's fixture)
    Enterprise.objects.filter(pk=enterprise.pk).update(contact_name="张敏", contact_email="zhangmin@example.cn")
    enterprise_member.refresh_from_db()
    # when
    docking = docking_request_create(actor=enterprise_member, patent=pooled_patent)
    # then
    docking.refresh_from_db()
    assert (docking.contact_name, docking.contact_phone, docking.contact_email) == (
        "张敏",
        "027-87654321",
        "zhangmin@example.cn",
    )
    assert docking.contact == {"name": "张敏", "phone": "027-87654321", "email": "zhangmin@example.cn"}


def test_a_contact_given_with_the_request_wins_over_the_profile(enterprise_member, pooled_patent):
    # when: an e-mail only, the phone cleared
    docking = docking_request_create(
        actor=enterprise_member,
        patent=pooled_patent,
        contact_name=" 李工 ",
        contact_phone="",
        contact_email="ligong@example.cn",
    )
    # then
    docking.refresh_from_db()
    assert (docking.contact_name, docking.contact_phone, docking.contact_email) == ("李工", "", "ligong@example.cn")


def test_a_request_without_a_phone_or_an_email_is_refused_and_writes_nothing(
    enterprise_member, enterprise, pooled_patent
):
    # given: a profile without a phone or an e-mail
    Enterprise.objects.filter(pk=enterprise.pk).update(contact_name="张敏", contact_phone="", contact_email="")
    enterprise_member.refresh_from_db()
    before = _counts()
    required = {
        "contact_phone": [
            "请填写联系电话或联系邮箱，高校据此联系您 / "
            "Enter a phone number or an e-mail address the institution can reach"
        ]
    }
    # when / then: nothing given, and both given empty
    with pytest.raises(ValidationError) as omitted:
        docking_request_create(actor=enterprise_member, patent=pooled_patent)
    with pytest.raises(ValidationError) as cleared:
        docking_request_create(actor=enterprise_member, patent=pooled_patent, contact_phone=" ", contact_email="")
    assert omitted.value.message_dict == required
    assert cleared.value.message_dict == required
    assert _counts() == before


def test_a_malformed_contact_is_refused_field_by_field(enterprise_member, pooled_patent):
    # given
    before = _counts()
    # when
    with pytest.raises(ValidationError) as raised:
        docking_request_create(
            actor=enterprise_member,
            patent=pooled_patent,
            contact_name="张\n敏",
            contact_phone="电话号码",
            contact_email="zhangmin@",
        )
    # then
    assert raised.value.message_dict == {
        "contact_name": [
            "不能包含换行或控制字符（第 2 个字符）/ must not contain line breaks or control characters (character 2)"
        ],
        "contact_phone": ["请填写有效的联系电话（至少 7 位数字）/ Enter a valid phone number (at least 7 digits)"],
        "contact_email": ["请输入有效的邮箱地址 / Enter a valid e-mail address"],
    }
    assert _counts() == before


@pytest.mark.parametrize("signed_on", [date(1, 1, 1), date(2026, 6, 9)], ids=["year-1", "day-before-submission"])
def test_a_signing_date_before_the_submission_is_refused(make_docking, officer, signed_on):
    # given: a request submitted on 2026-06-10
    docking = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=NOW - timedelta(days=5))
    before = _counts()
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
    assert _counts() == before


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

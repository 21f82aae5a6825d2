"""Creating a docking request: who may ask about what, to which institution, and the contact that goes with it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import ConflictError
from core.models import AuditLog
from enterprises.errors import NotFoundError
from enterprises.models import DockingRequest, Enterprise, Notification, TechNeed
from enterprises.services.docking import DUPLICATE_MESSAGE, docking_request_create, docking_transition
from patents.models import InventoryStatus
from tests.enterprises.docking.helpers import NOW, docking_counts
from tests.enterprises.factories import PatentFactory

pytestmark = pytest.mark.django_db


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
    before = docking_counts()
    # when
    with pytest.raises(ConflictError) as raised:
        docking_request_create(actor=enterprise_member, patent=pooled_patent)
    # then
    assert (raised.value.message, raised.value.extra) == (DUPLICATE_MESSAGE, {"docking": first.pk})
    assert docking_counts() == before


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
    before = docking_counts()
    # when
    with pytest.raises(ConflictError) as raised:
        docking_request_create(actor=enterprise_member, patent=pooled_patent)
    # then
    assert raised.value.message == (
        "企业注册信息审核通过后才能发起对接 / Docking opens once your enterprise's registration is approved"
    )
    assert docking_counts() == before


def test_a_patent_not_pooled_or_someone_elses_need_is_not_found(enterprise_member, institution, other_enterprise):
    # given
    draft = PatentFactory(institution=institution, inventory_status=InventoryStatus.INVENTORIED)
    foreign_need = TechNeed.objects.create(enterprise=other_enterprise, title="别人的需求")
    before = docking_counts()
    # then
    with pytest.raises(NotFoundError):
        docking_request_create(actor=enterprise_member, patent=draft)
    with pytest.raises(NotFoundError):
        docking_request_create(actor=enterprise_member, need=foreign_need, institution=institution)
    assert docking_counts() == before


def test_a_need_based_request_needs_an_open_need_and_an_institution(enterprise_member, need, institution):
    # given
    before = docking_counts()
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
    assert docking_counts() == before


def test_officers_cannot_create_requests(officer, pooled_patent):
    with pytest.raises(ConflictError) as raised:
        docking_request_create(actor=officer, patent=pooled_patent)
    assert raised.value.message == "只有企业用户可以发起对接 / Only enterprise members can request docking"
    assert DockingRequest.objects.count() == 0


def test_a_request_about_a_patent_refuses_another_institution_and_writes_nothing(
    enterprise_member, pooled_patent, other_institution
):
    # given
    before = docking_counts()
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
    assert docking_counts() == before


def test_a_request_about_a_patent_goes_to_its_institution_when_it_is_named_or_not(
    enterprise_member, pooled_patent, institution
):
    # when
    named = docking_request_create(actor=enterprise_member, patent=pooled_patent, institution=institution)
    # then
    assert (named.kind, named.institution, named.patent) == ("patent", institution, pooled_patent)


# --- the contact goes with the request; a signing date between the submission and today ---------------------------


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
    before = docking_counts()
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
    assert docking_counts() == before


def test_a_malformed_contact_is_refused_field_by_field(enterprise_member, pooled_patent):
    # given
    before = docking_counts()
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
    assert docking_counts() == before

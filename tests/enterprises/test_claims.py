"""Claims of registry enterprises (issue 21 item 1): knowing a registry enterprise's public code and name takes
nothing over. A claim waits for the bureau (the registry's data beside the claimant's), the enterprise's contact stays
until approval, the claimant's account acts for no enterprise meanwhile, the bureau's one-time claim code is the fast
path, the real owner is never locked out, and every claim and decision is audit-logged."""

import io
import os
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.errors import ConflictError
from core.models import AuditLog, City
from enterprises.models import (
    DockingRequest,
    Enterprise,
    EnterpriseClaim,
    EnterpriseClaimCode,
    Notification,
    PatentFollow,
)
from enterprises.selectors.claims import enterprise_claim_list
from enterprises.services.claim_codes import (
    CLAIM_CODE_ALPHABET,
    CLAIM_CODE_NOT_IN_REGISTRY_MESSAGE,
    CLAIM_CODE_REVOKED_MESSAGE,
    CLAIM_CODE_USED_MESSAGE,
    CLAIM_CODE_WRONG_MESSAGE,
    HAS_ACCOUNT_MESSAGE,
    claim_code_hash,
    enterprise_claim_code_issue,
)
from enterprises.services.claims import (
    CODE_APPROVAL_NOTE,
    NEXT_STEP_CLAIM_PENDING,
    NEXT_STEP_CLAIM_REJECTED,
    NEXT_STEP_CLAIMED,
    NOT_PENDING_MESSAGE,
    OTHER_CLAIM_APPROVED_NOTE,
    enterprise_claim_decide,
)
from enterprises.services.push import patent_push
from enterprises.services.registration import CLAIMED_MESSAGE, enterprise_register
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db

USCC = "91110108795101314G"
REGISTRY_CONTACT = {"contact_name": "李华", "contact_phone": "027-87650000", "contact_email": "lihua@guanggu-energy.cn"}
ATTACKER = {
    "password": "Attacker-pass-2026",
    "name": "武汉光谷新能源有限公司",
    "uscc": USCC,
    "city": "4201",
    "contact_name": "王五",
    "contact_phone": "13800000000",
    "contact_email": "attacker@example.net",
}
OWNER = {**ATTACKER, "password": "Owner-pass-2026", "contact_name": "李华", "contact_email": "lihua@guanggu-energy.cn"}


@pytest.fixture
def listed(wuhan):
    """A registry enterprise the bureau imported, with its registered contact, no account yet."""
    return Enterprise.objects.create(
        name="武汉光谷新能源有限公司", uscc=USCC, city=wuhan, business_scope="锂电池研发；储能系统", **REGISTRY_CONTACT
    )


@pytest.fixture
def yichang_listed(db):
    return Enterprise.objects.create(
        name="宜昌三峡新材料有限公司", uscc="91330106673959654P", city=City.objects.get(code="4205")
    )


def _register(api_client, data, **extra):
    return api_client.post(reverse("enterprises-api:enterprise-register"), {**data, **extra}, format="json")


def _page_signup(client, data, **extra):
    form = {**data, "password1": data["password"], "password2": data["password"], **extra}
    del form["password"]
    return client.post(reverse("enterprises:signup"), form)


def _contact(enterprise: Enterprise) -> dict[str, str]:
    enterprise.refresh_from_db()
    return {field: getattr(enterprise, field) for field in REGISTRY_CONTACT}


def _written() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        EnterpriseClaim.objects.count(),
        EnterpriseClaimCode.objects.filter(used_at__isnull=False).count(),
        AuditLog.objects.count(),
        Notification.objects.count(),
    )


def _issue(enterprise, issuer, **kwargs):
    return enterprise_claim_code_issue(enterprise=enterprise, issuer=issuer, **kwargs)


# --- the attack of the issue ---------------------------------------------------------------------------------------


def test_the_issue_21_attack_no_longer_takes_over_a_registry_enterprise(
    api_client, client_for, listed, pooled_patent, officer, bureau
):
    """Before the fix this answered 201 "verified", bound the caller to the enterprise, let it request docking at
    once, sent it the enterprise's pushes and refused the real owner ("already registered")."""
    # when an anonymous caller registers with the registry enterprise's public code and name
    response = _register(api_client, ATTACKER)
    # then a claim waits; nothing is granted
    assert response.status_code == 201
    assert response.json() == {
        "pk": listed.pk,
        "name": "武汉光谷新能源有限公司",
        "uscc": USCC,
        "verification": "pending",
        "username": f"{USCC}-1",
        "next_step": NEXT_STEP_CLAIM_PENDING,
        "claim": {
            "pk": EnterpriseClaim.objects.get().pk,
            "status": "pending",
            "method": "review",
            "other_pending_claims": 0,
        },
    }
    attacker = User.objects.get(username=f"{USCC}-1")
    assert (attacker.role, attacker.enterprise_id, list(attacker.groups.all())) == ("", None, [])
    assert _contact(listed) == REGISTRY_CONTACT
    assert (listed.verification, listed.members.count()) == ("verified", 0)
    # and the account acts for no enterprise: no docking, no follow, no profile
    docking = client_for(attacker).post(
        reverse("enterprises-api:docking-list"), {"patent": pooled_patent.pk, "message": "洽谈许可"}, format="json"
    )
    follow = client_for(attacker).post(reverse("enterprises-api:follow-list"), {"patent": pooled_patent.pk})
    me = client_for(attacker).get(reverse("enterprises-api:enterprise-me"))
    assert (docking.status_code, follow.status_code, me.status_code) == (403, 403, 403)
    assert docking.json()["error"]["message"] == "仅企业用户可以执行此操作 / Only enterprise members can do this"
    assert (DockingRequest.objects.count(), PatentFollow.objects.count()) == (0, 0)
    # and a push to the enterprise reaches nobody (no mail to the caller)
    pushed = patent_push(patent=pooled_patent, enterprise_ids=[listed.pk], user=officer)
    assert (pushed.notified, pushed.without_members) == (0, [listed])
    assert Notification.objects.filter(recipient=attacker).count() == 0
    assert "attacker@example.net" not in [address for message in mail.outbox for address in message.to]
    # and the real owner can still claim: a second claim waits beside the first, the bureau picks
    owner = _register(api_client, OWNER)
    assert owner.status_code == 201
    assert (owner.json()["verification"], owner.json()["username"]) == ("pending", f"{USCC}-2")
    assert owner.json()["claim"]["other_pending_claims"] == 1
    zh, en = NEXT_STEP_CLAIM_PENDING.split(" / ")
    assert owner.json()["next_step"] == (
        f"{zh}。该企业另有 1 份认领申请在审核中，知识产权局核实后最多批准其中一份 / "
        f"{en}. 1 other claim(s) of this enterprise are waiting too; the bureau approves one at most"
    )
    assert [(c.claimant.username, c.rivals) for c in enterprise_claim_list(user=bureau)] == [
        (f"{USCC}-1", 1),
        (f"{USCC}-2", 1),
    ]


def test_the_signup_page_files_a_claim_and_says_what_happens_next(client, listed, pooled_patent):
    # when someone signs up on the page with the registry enterprise's code and name
    response = _page_signup(client, ATTACKER)
    # then the account is signed in, unbound, and sent home where the claim's status is shown
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    home = client.get(reverse("home"))
    html = home.content.decode()
    assert (
        f"认领申请已提交，登录用户名为 {USCC}-1。知识产权局将对照企业名录审核，结果以站内通知（及邮件）告知。"
        "审核通过前账号不绑定该企业：不能关注专利、发布需求或发起对接，企业联系信息保持不变；通过后账号绑定该企业，"
        f"登录用户名改为统一社会信用代码 {USCC}，您填写的联系人将替换企业现有联系人。"
        "如需立即认领，请联系知识产权局向企业登记的联系人发放认领码。"
    ) in html
    assert 'data-testid="claim-status-value">待审核<' in html
    assert 'data-testid="claim-code-input"' in html
    assert _contact(listed) == REGISTRY_CONTACT
    # and the pages of members refuse it, as for any account without an enterprise
    follow = client.post(reverse("enterprises:follow_toggle", args=[pooled_patent.pk]))
    docking = client.get(reverse("enterprises:docking_create"), {"patent": pooled_patent.pk})
    profile = client.get(reverse("enterprises:profile"))
    assert (follow.status_code, docking.status_code, profile.status_code) == (403, 403, 403)
    assert (PatentFollow.objects.count(), DockingRequest.objects.count()) == (0, 0)


def test_a_second_claimant_on_the_page_is_told_about_the_other_claim(client, listed):
    # given a pending claim
    _page_signup(client, ATTACKER)
    client.logout()
    # when the owner signs up too
    response = _page_signup(client, OWNER)
    # then their claim is filed as well and the page says another one waits
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert "该企业另有 1 份认领申请在审核中，知识产权局核实后最多批准其中一份。" in html
    assert list(EnterpriseClaim.objects.values_list("claimant__username", "status")) == [
        (f"{USCC}-1", "pending"),
        (f"{USCC}-2", "pending"),
    ]


def test_once_a_claim_is_approved_a_further_sign_up_is_refused_with_its_input_kept(client, api_client, listed, bureau):
    # given an approved claim
    _register(api_client, OWNER)
    enterprise_claim_decide(claim=EnterpriseClaim.objects.get(), reviewer=bureau, approve=True, note="已电话核实")
    before = _written()
    # when someone else signs up with the code, on the API and on the page
    api = _register(api_client, ATTACKER)
    page = _page_signup(client, ATTACKER)
    # then both are refused with the reason, and the page keeps what was typed
    assert api.status_code == 409
    assert api.json()["error"] == {
        "code": "conflict",
        "message": CLAIMED_MESSAGE,
        "details": {"field": "uscc", "uscc": USCC},
    }
    assert page.status_code == 200
    assert page.context["form"].errors == {"uscc": [CLAIMED_MESSAGE]}
    assert page.context["form"]["contact_email"].value() == "attacker@example.net"
    assert page.context["form"]["name"].value() == "武汉光谷新能源有限公司"
    assert _written() == before


# --- the claim code fast path ---------------------------------------------------------------------------------------


def test_the_bureau_issues_a_claim_code_stored_hashed_and_mailed_to_the_registered_contact(listed, bureau):
    # when the bureau issues a code
    issued = _issue(listed, bureau)
    # then the code is 12 unambiguous characters, shown as XXXX-XXXX-XXXX; only its keyed hash is stored
    plain = issued.code.replace("-", "")
    assert len(issued.code) == 14
    assert issued.code[4] == issued.code[9] == "-"
    assert len(plain) == 12
    assert set(plain) <= set(CLAIM_CODE_ALPHABET)
    record = EnterpriseClaimCode.objects.get()
    assert record.code_hash == claim_code_hash(issued.code) != claim_code_hash(plain[::-1])
    assert plain not in record.code_hash
    assert len(record.code_hash) == 64
    assert (record.issued_by, record.emailed_to, record.used_at) == (bureau, "lihua@guanggu-energy.cn", None)
    assert record.expires_at - record.issued_at == timedelta(days=14)
    # and mailed to the registered contact, not to anyone else
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["lihua@guanggu-energy.cn"], "[专利盘活对接平台] 企业认领码：武汉光谷新能源有限公司")
    ]
    assert issued.code in mail.outbox[0].body
    audit = AuditLog.objects.get()
    assert (audit.action, audit.actor, audit.target_type, audit.target_id) == (
        "enterprise.claim_code.issue",
        bureau,
        "EnterpriseClaimCode",
        str(record.pk),
    )
    assert audit.detail == {
        "enterprise": listed.pk,
        "uscc": USCC,
        "expires_at": record.expires_at.isoformat(),
        "emailed_to": "lihua@guanggu-energy.cn",
        "revoked": 0,
    }
    assert issued.code not in str(audit.detail)


def test_a_code_for_an_enterprise_without_a_registered_email_is_only_shown(client, listed, bureau):
    # given no registered e-mail address
    Enterprise.objects.filter(pk=listed.pk).update(contact_email="")
    client.force_login(bureau)
    # when the bureau issues a code on the page
    response = client.post(reverse("enterprises:claim_code_issue"), {"uscc": USCC})
    # then the page shows it this once (not cached), and no mail left
    html = response.content.decode()
    code = html.split('data-testid="claim-code">')[1].split("<")[0]
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert EnterpriseClaimCode.objects.get().code_hash == claim_code_hash(code)
    assert "企业名录没有登记联系邮箱（或邮件未能发送），请将认领码交给经核实的企业联系人。" in html
    assert (EnterpriseClaimCode.objects.get().emailed_to, mail.outbox) == ("", [])


def test_a_valid_claim_code_claims_at_once_and_wins_over_pending_claims(api_client, client_for, listed, bureau):
    # given an attacker's pending claim, and a code the bureau issued to the registered contact
    _register(api_client, ATTACKER)
    issued = _issue(listed, bureau)
    mail.outbox.clear()
    # when the owner registers with the code (typed in lower case, without hyphens)
    response = _register(api_client, OWNER, claim_code=issued.code.replace("-", "").lower())
    # then the claim is approved at once: verified, the code's account, the owner's contact
    assert response.status_code == 201
    owner_claim = EnterpriseClaim.objects.get(claimant__username=USCC)
    assert response.json() == {
        "pk": listed.pk,
        "name": "武汉光谷新能源有限公司",
        "uscc": USCC,
        "verification": "verified",
        "username": USCC,
        "next_step": NEXT_STEP_CLAIMED,
        "claim": {"pk": owner_claim.pk, "status": "approved", "method": "code", "other_pending_claims": 0},
    }
    owner = User.objects.get(username=USCC)
    assert (owner.role, owner.enterprise_id) == (Role.ENTERPRISE, listed.pk)
    assert owner.groups.filter(name=Role.ENTERPRISE).exists()
    assert _contact(listed) == {**REGISTRY_CONTACT, "contact_phone": "13800000000"}
    assert (owner_claim.reviewer, owner_claim.decision_note) == (bureau, CODE_APPROVAL_NOTE)
    record = EnterpriseClaimCode.objects.get()
    assert (record.claim, record.used_at) == (owner_claim, owner_claim.decided_at)
    # and the attacker's claim is rejected, the attacker told why, still unbound
    attacker_claim = EnterpriseClaim.objects.get(claimant__username=f"{USCC}-1")
    assert (attacker_claim.status, attacker_claim.decision_note) == ("rejected", OTHER_CLAIM_APPROVED_NOTE)
    assert list(Notification.objects.filter(recipient=attacker_claim.claimant).values_list("title", "body")) == [
        ("企业认领未通过：武汉光谷新能源有限公司", f"原因：{OTHER_CLAIM_APPROVED_NOTE}")
    ]
    assert User.objects.get(username=f"{USCC}-1").enterprise_id is None
    # and every step is in the audit log, in order
    assert list(AuditLog.objects.order_by("pk").values_list("action", "actor__username")) == [
        ("enterprise.claim.submit", f"{USCC}-1"),
        ("enterprise.claim_code.issue", "bureau"),
        ("enterprise.claim.submit", USCC),
        ("enterprise.claim_code.use", USCC),
        ("enterprise.claim.approve", USCC),
        ("enterprise.claim.reject", USCC),
    ]
    approve = AuditLog.objects.get(action="enterprise.claim.approve")
    assert approve.detail == {
        "enterprise": listed.pk,
        "uscc": USCC,
        "method": "code",
        "member": owner.pk,
        "username": USCC,
        "note": CODE_APPROVAL_NOTE,
        "contact_before": REGISTRY_CONTACT,
        "contact_after": {**REGISTRY_CONTACT, "contact_phone": "13800000000"},
    }
    assert AuditLog.objects.get(action="enterprise.claim.reject").detail["automatic"] is True


@pytest.mark.parametrize("case", ["expired", "wrong", "other_enterprise", "replaced", "not_in_registry"])
def test_a_bad_claim_code_is_refused_naming_why_and_writes_nothing(api_client, listed, yichang_listed, bureau, case):
    # given a code in the state the case names
    issued = _issue(listed, bureau)
    code, data = issued.code, OWNER
    if case == "expired":
        EnterpriseClaimCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    elif case == "wrong":
        code = "ABCD-EFGH-JKLM"
    elif case == "other_enterprise":
        code = _issue(yichang_listed, bureau).code
    elif case == "replaced":
        _issue(listed, bureau)
    elif case == "not_in_registry":
        data = {**OWNER, "uscc": "91350100M0001TGQXM", "name": "福州新公司"}
    before = _written()
    # when someone registers with it
    response = _register(api_client, data, claim_code=code)
    # then a 400 on the claim_code field says why, and nothing is written
    until = timezone.localtime(EnterpriseClaimCode.objects.get(pk=issued.record.pk).expires_at).strftime(
        "%Y-%m-%d %H:%M"
    )
    expected = {
        "expired": f"认领码已于 {until} 过期，请联系知识产权局重新发放 / The claim code expired at {until}: ask the "
        "bureau for a new one",
        "wrong": CLAIM_CODE_WRONG_MESSAGE,
        "other_enterprise": CLAIM_CODE_WRONG_MESSAGE,
        "replaced": CLAIM_CODE_REVOKED_MESSAGE,
        "not_in_registry": CLAIM_CODE_NOT_IN_REGISTRY_MESSAGE,
    }[case]
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"claim_code": [expected]}
    assert _written() == before
    assert _contact(listed) == REGISTRY_CONTACT
    assert Enterprise.objects.filter(uscc="91350100M0001TGQXM").count() == 0


def test_a_claim_code_works_once(api_client, listed, bureau):
    # given a code the owner used
    issued = _issue(listed, bureau)
    assert _register(api_client, OWNER, claim_code=issued.code).status_code == 201
    before = _written()
    # when someone presents it again
    again = _register(api_client, ATTACKER, claim_code=issued.code)
    # then refused: the enterprise is claimed
    assert (again.status_code, again.json()["error"]["message"]) == (409, CLAIMED_MESSAGE)
    assert _written() == before
    # and had the platform admin since unbound that account, the spent code would still not work
    User.objects.filter(username=USCC).update(username="former-owner", role="", enterprise=None)
    reused = _register(api_client, ATTACKER, claim_code=issued.code)
    assert (reused.status_code, reused.json()["error"]["details"]) == (400, {"claim_code": [CLAIM_CODE_USED_MESSAGE]})
    assert _written() == before


def test_a_pending_claimant_enters_the_code_on_the_home_page(client, listed, bureau):
    # given a pending claim, signed in
    _page_signup(client, OWNER)
    issued = _issue(listed, bureau)
    # when the claimant enters a wrong code, then the right one
    wrong = client.post(reverse("enterprises:claim_code_redeem"), {"claim_code": "ABCD-EFGH-JKLM"}, follow=True)
    right = client.post(reverse("enterprises:claim_code_redeem"), {"claim_code": issued.code}, follow=True)
    # then the wrong one is refused with the reason, the right one claims at once
    assert CLAIM_CODE_WRONG_MESSAGE in wrong.content.decode()
    assert right.redirect_chain == [(reverse("enterprises:profile"), 302)]
    assert f"认领成功，登录用户名为统一社会信用代码 {USCC}，您填写的联系人已成为企业联系人。" in right.content.decode()
    claim = EnterpriseClaim.objects.get()
    assert (claim.status, claim.method, claim.claimant.username, claim.claimant.enterprise_id) == (
        "approved",
        "code",
        USCC,
        listed.pk,
    )
    # and the account now signs in with the code
    client.logout()
    signed_in = client.post(reverse("login"), {"username": USCC, "password": OWNER["password"]})
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")


def test_the_api_redeems_a_code_for_the_callers_pending_claim(api_client, client_for, listed, bureau):
    # given a pending claim and a code
    _register(api_client, OWNER)
    claimant = User.objects.get(username=f"{USCC}-1")
    issued = _issue(listed, bureau)
    url = reverse("enterprises-api:enterprise-claim-redeem")
    # when the claimant presents a wrong code, then the right one, then the right one again
    wrong = client_for(claimant).post(url, {"claim_code": "ZZZZ-ZZZZ-ZZZZ"}, format="json")
    right = client_for(claimant).post(url, {"claim_code": issued.code}, format="json")
    again = client_for(claimant).post(url, {"claim_code": issued.code}, format="json")
    # then
    assert (wrong.status_code, wrong.json()["error"]["details"]) == (400, {"claim_code": [CLAIM_CODE_WRONG_MESSAGE]})
    assert right.status_code == 200
    assert {k: right.json()[k] for k in ("enterprise", "uscc", "status", "method", "next_step")} == {
        "enterprise": "武汉光谷新能源有限公司",
        "uscc": USCC,
        "status": "approved",
        "method": "code",
        "next_step": NEXT_STEP_CLAIMED,
    }
    assert again.status_code == 404  # no pending claim left
    claimant.refresh_from_db()
    assert (claimant.username, claimant.enterprise_id) == (USCC, listed.pk)


def test_no_claim_code_for_an_enterprise_that_has_an_account(api_client, client_for, enterprise, enterprise_member):
    # given an enterprise with a member
    bureau_user = User.objects.create_user(username="bureau", password="x", role=Role.BUREAU_PROVINCE)
    # when the bureau asks for a code
    response = client_for(bureau_user).post(
        reverse("enterprises-api:enterprise-claim-codes"), {"uscc": enterprise.uscc}, format="json"
    )
    # then refused, nothing written
    assert response.status_code == 409
    assert response.json()["error"]["message"] == HAS_ACCOUNT_MESSAGE
    assert (EnterpriseClaimCode.objects.count(), AuditLog.objects.count(), mail.outbox) == (0, 0, [])


def test_the_api_issues_a_code_once_and_never_caches_it(client_for, listed, bureau):
    # when
    first = client_for(bureau).post(reverse("enterprises-api:enterprise-claim-codes"), {"uscc": USCC}, format="json")
    second = client_for(bureau).post(
        reverse("enterprises-api:enterprise-claim-codes"), {"uscc": USCC.lower()}, format="json"
    )
    # then each answer carries its code; the second revoked the first
    body = second.json()
    assert (first.status_code, second.status_code) == (201, 201)
    assert "no-store" in second["Cache-Control"]
    assert {k: body[k] for k in ("enterprise", "uscc", "name", "emailed_to", "revoked")} == {
        "enterprise": listed.pk,
        "uscc": USCC,
        "name": "武汉光谷新能源有限公司",
        "emailed_to": "lihua@guanggu-energy.cn",
        "revoked": 1,
    }
    assert first.json()["code"] != body["code"]
    assert list(EnterpriseClaimCode.objects.order_by("pk").values_list("revoked_at", flat=True))[1] is None
    assert EnterpriseClaimCode.objects.order_by("pk").first().revoked_at is not None


# --- the bureau's review --------------------------------------------------------------------------------------------


def test_the_review_page_shows_the_registry_beside_the_claimant_and_approves(client, api_client, listed, bureau):
    # given two pending claims
    _register(api_client, ATTACKER)
    _register(api_client, OWNER)
    attacker_claim, owner_claim = EnterpriseClaim.objects.order_by("pk")
    client.force_login(bureau)
    # when the bureau opens the queue
    page = client.get(reverse("enterprises:review_queue"))
    # then each claim shows the registry's contact beside the claimant's, differences marked, rivals counted
    html = page.content.decode()
    assert html.count('data-testid="claim-row"') == 2
    assert html.count('data-testid="registry-contact-email">lihua@guanggu-energy.cn<') == 2
    assert 'data-testid="claimant-contact-email">attacker@example.net <span' in html
    assert 'data-testid="claimant-contact-email">lihua@guanggu-energy.cn<' in html
    assert html.count('data-testid="claim-rivals">同一企业另有 1 份认领申请<') == 2
    # when it approves the owner's claim with a note
    decided = client.post(
        reverse("enterprises:claim_decide", args=[owner_claim.pk]),
        {"decision": "approve", "note": "已致电名录登记电话核实"},
        follow=True,
    )
    # then the owner's account joins the enterprise under the code, the contact is the owner's, the rival rejected
    approved_message = f"已批准 {USCC}-2 认领 武汉光谷新能源有限公司；该企业的其他待审核认领已自动驳回。"
    assert approved_message in decided.content.decode()
    owner = User.objects.get(pk=owner_claim.claimant_id)
    assert (owner.username, owner.role, owner.enterprise_id) == (USCC, Role.ENTERPRISE, listed.pk)
    assert _contact(listed) == {**REGISTRY_CONTACT, "contact_phone": "13800000000"}
    attacker_claim.refresh_from_db()
    assert (attacker_claim.status, attacker_claim.reviewer, attacker_claim.decision_note) == (
        "rejected",
        bureau,
        OTHER_CLAIM_APPROVED_NOTE,
    )
    assert list(Notification.objects.filter(recipient=owner).values_list("title", flat=True)) == [
        "企业认领已通过：武汉光谷新能源有限公司"
    ]
    assert list(
        AuditLog.objects.filter(action__startswith="enterprise.claim.")
        .order_by("pk")
        .values_list("action", "actor__username", "target_id")
    ) == [
        ("enterprise.claim.submit", f"{USCC}-1", str(attacker_claim.pk)),
        ("enterprise.claim.submit", USCC, str(owner_claim.pk)),  # the owner's account, renamed on approval
        ("enterprise.claim.approve", "bureau", str(owner_claim.pk)),
        ("enterprise.claim.reject", "bureau", str(attacker_claim.pk)),
    ]
    submitted = AuditLog.objects.get(action="enterprise.claim.submit", target_id=str(owner_claim.pk)).detail
    assert submitted == {
        "enterprise": listed.pk,
        "uscc": USCC,
        "username": f"{USCC}-2",
        "with_code": False,
        "contact": {"contact_name": "李华", "contact_phone": "13800000000", "contact_email": "lihua@guanggu-energy.cn"},
    }
    approved = AuditLog.objects.get(action="enterprise.claim.approve").detail
    assert (approved["method"], approved["note"], approved["username"]) == ("review", "已致电名录登记电话核实", USCC)
    assert client.get(reverse("enterprises:review_queue")).context["claims"].count() == 0


def test_the_review_page_rejects_with_a_reason_and_the_claimant_is_told(client, api_client, listed, bureau):
    # given a pending claim
    _register(api_client, ATTACKER)
    claim = EnterpriseClaim.objects.get()
    client.force_login(bureau)
    audits = AuditLog.objects.count()
    # when the bureau rejects without a reason, then with one
    no_reason = client.post(reverse("enterprises:claim_decide", args=[claim.pk]), {"decision": "reject"}, follow=True)
    assert "驳回时请填写原因 / A reason is required to reject" in no_reason.content.decode()
    assert (EnterpriseClaim.objects.get().status, AuditLog.objects.count()) == ("pending", audits)
    client.post(
        reverse("enterprises:claim_decide", args=[claim.pk]),
        {"decision": "reject", "note": "名录登记电话核实，企业未申请"},
    )
    # then the claim is rejected, the account stays unbound, the claimant told why (and sees it at home)
    claim.refresh_from_db()
    assert (claim.status, claim.decision_note, claim.reviewer) == ("rejected", "名录登记电话核实，企业未申请", bureau)
    claimant = User.objects.get(pk=claim.claimant_id)
    assert (claimant.role, claimant.enterprise_id, claimant.username) == ("", None, f"{USCC}-1")
    assert list(Notification.objects.filter(recipient=claimant).values_list("title", "body")) == [
        ("企业认领未通过：武汉光谷新能源有限公司", "原因：名录登记电话核实，企业未申请")
    ]
    assert _contact(listed) == REGISTRY_CONTACT
    audit = AuditLog.objects.get(action="enterprise.claim.reject")
    assert audit.detail == {
        "enterprise": listed.pk,
        "uscc": USCC,
        "claimant": claimant.pk,
        "note": "名录登记电话核实，企业未申请",
        "automatic": False,
    }
    client.force_login(claimant)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="claim-status-value">已驳回<' in home
    assert 'data-testid="claim-note">名录登记电话核实，企业未申请<' in home


def test_the_review_api_lists_approves_rejects_and_refuses_twice(api_client, client_for, listed, bureau, officer):
    # given two pending claims
    _register(api_client, ATTACKER)
    _register(api_client, OWNER)
    attacker_claim, owner_claim = EnterpriseClaim.objects.order_by("pk")
    bureau_api = client_for(bureau)
    # when
    queue = bureau_api.get(reverse("enterprises-api:enterprise-claims"))
    officer_queue = client_for(officer).get(reverse("enterprises-api:enterprise-claims"))
    officer_decides = client_for(officer).post(
        reverse("enterprises-api:enterprise-claim-review", args=[owner_claim.pk]), {"decision": "approve"}
    )
    rejected = bureau_api.post(
        reverse("enterprises-api:enterprise-claim-review", args=[attacker_claim.pk]),
        {"decision": "reject", "note": "联系人与名录不符"},
        format="json",
    )
    approved = bureau_api.post(
        reverse("enterprises-api:enterprise-claim-review", args=[owner_claim.pk]), {"decision": "approve"}
    )
    twice = bureau_api.post(
        reverse("enterprises-api:enterprise-claim-review", args=[attacker_claim.pk]), {"decision": "approve"}
    )
    decided = bureau_api.get(reverse("enterprises-api:enterprise-claims"), {"status": "all"})
    bad_status = bureau_api.get(reverse("enterprises-api:enterprise-claims"), {"status": "maybe"})
    # then
    first = queue.json()["results"][0]
    assert {k: first[k] for k in ("pk", "status", "method", "rivals", "reviewer", "decision_note")} == {
        "pk": attacker_claim.pk,
        "status": "pending",
        "method": "review",
        "rivals": 1,
        "reviewer": None,
        "decision_note": "",
    }
    assert first["registry"] == {
        "pk": listed.pk,
        "name": "武汉光谷新能源有限公司",
        "uscc": USCC,
        "city": "武汉市",
        "registered_date": None,
        "business_scope": "锂电池研发；储能系统",
        "verification": "verified",
        **REGISTRY_CONTACT,
    }
    assert first["claimant"] == {
        "username": f"{USCC}-1",
        "name": "武汉光谷新能源有限公司",
        "city": "武汉市",
        "contact_name": "王五",
        "contact_phone": "13800000000",
        "contact_email": "attacker@example.net",
    }
    assert (officer_queue.status_code, officer_decides.status_code) == (403, 403)
    assert (rejected.status_code, rejected.json()["status"], rejected.json()["reviewer"]) == (200, "rejected", "bureau")
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == "该认领申请已处理 / This claim was already decided"
    assert [(c["pk"], c["status"]) for c in decided.json()["results"]] == [
        (attacker_claim.pk, "rejected"),
        (owner_claim.pk, "approved"),
    ]
    assert bad_status.status_code == 400
    assert User.objects.get(pk=owner_claim.claimant_id).enterprise_id == listed.pk
    assert User.objects.get(pk=attacker_claim.claimant_id).enterprise_id is None


def test_an_approved_claimant_can_follow_and_request_docking(api_client, client_for, listed, bureau, pooled_patent):
    # given an approved claim
    _register(api_client, OWNER)
    enterprise_claim_decide(claim=EnterpriseClaim.objects.get(), reviewer=bureau, approve=True)
    owner = User.objects.get(username=USCC)
    # when
    follow = client_for(owner).post(reverse("enterprises-api:follow-list"), {"patent": pooled_patent.pk})
    docking = client_for(owner).post(
        reverse("enterprises-api:docking-list"), {"patent": pooled_patent.pk, "message": "洽谈许可"}, format="json"
    )
    # then
    assert (follow.status_code, docking.status_code) == (201, 201)
    assert DockingRequest.objects.get().enterprise == listed


def test_the_claimant_reads_its_own_claims(api_client, client_for, listed, bureau):
    # given a rejected claim
    _register(api_client, ATTACKER)
    claim = EnterpriseClaim.objects.get()
    enterprise_claim_decide(claim=claim, reviewer=bureau, approve=False, note="联系人与名录不符")
    claimant = User.objects.get(pk=claim.claimant_id)
    # when
    mine = client_for(claimant).get(reverse("enterprises-api:enterprise-claims-mine"))
    others = client_for(bureau).get(reverse("enterprises-api:enterprise-claims-mine"))
    # then
    assert [
        {k: row[k] for k in ("pk", "enterprise", "uscc", "status", "decision_note", "next_step")} for row in mine.json()
    ] == [
        {
            "pk": claim.pk,
            "enterprise": "武汉光谷新能源有限公司",
            "uscc": USCC,
            "status": "rejected",
            "decision_note": "联系人与名录不符",
            "next_step": NEXT_STEP_CLAIM_REJECTED,
        }
    ]
    assert others.json() == []


# --- scopes ---------------------------------------------------------------------------------------------------------


def test_a_city_bureau_reviews_and_issues_codes_only_in_its_city(
    client, api_client, client_for, listed, yichang_listed, bureau, city_bureau
):
    # given a claim in 武汉 and one in 宜昌
    _register(api_client, ATTACKER)
    _register(api_client, {**ATTACKER, "uscc": yichang_listed.uscc, "name": yichang_listed.name, "city": "4205"})
    wuhan_claim = EnterpriseClaim.objects.get(enterprise=listed)
    yichang_claim = EnterpriseClaim.objects.get(enterprise=yichang_listed)
    before = _written()
    # when the 武汉 bureau lists, decides and issues codes out of its city
    listed_api = client_for(city_bureau).get(reverse("enterprises-api:enterprise-claims"))
    decide_api = client_for(city_bureau).post(
        reverse("enterprises-api:enterprise-claim-review", args=[yichang_claim.pk]), {"decision": "approve"}
    )
    code_api = client_for(city_bureau).post(
        reverse("enterprises-api:enterprise-claim-codes"), {"uscc": yichang_listed.uscc}, format="json"
    )
    client.force_login(city_bureau)
    page = client.get(reverse("enterprises:review_queue"))
    decide_page = client.post(reverse("enterprises:claim_decide", args=[yichang_claim.pk]), {"decision": "approve"})
    code_page = client.post(reverse("enterprises:claim_code_issue"), {"uscc": yichang_listed.uscc}, follow=True)
    # then it sees and acts on its city's only; the other city's are 404 / refused, nothing written
    assert [row["pk"] for row in listed_api.json()["results"]] == [wuhan_claim.pk]
    assert [c.pk for c in page.context["claims"]] == [wuhan_claim.pk]
    assert (decide_api.status_code, decide_page.status_code) == (404, 404)
    assert code_api.status_code == 400
    assert code_api.json()["error"]["details"] == {
        "uscc": [
            "企业名录中没有该统一社会信用代码，或该企业不在您的管辖范围 / "
            "The enterprise registry holds no such code within your scope"
        ]
    }
    assert "企业名录中没有该统一社会信用代码，或该企业不在您的管辖范围。" in code_page.content.decode()
    assert _written() == before
    assert EnterpriseClaimCode.objects.count() == 0
    # and the province bureau sees both
    assert [c.pk for c in enterprise_claim_list(user=bureau)] == [wuhan_claim.pk, yichang_claim.pk]
    # and the 武汉 bureau decides its own
    ok = client_for(city_bureau).post(
        reverse("enterprises-api:enterprise-claim-review", args=[wuhan_claim.pk]), {"decision": "approve"}
    )
    assert (ok.status_code, ok.json()["status"]) == (200, "approved")


def test_reviewers_of_the_enterprises_city_are_notified_of_a_claim(api_client, listed, bureau, city_bureau, make_user):
    # given the 宜昌 bureau, which does not review 武汉 enterprises
    yichang = make_user("bureau_yichang", Role.BUREAU_CITY, city=City.objects.get(code="4205"))
    # when a claim is filed
    _register(api_client, ATTACKER)
    # then the province and the 武汉 bureau are told, not 宜昌
    assert sorted(Notification.objects.values_list("recipient__username", "title")) == [
        ("bureau", "企业认领待审核：武汉光谷新能源有限公司"),
        ("bureau_wuhan", "企业认领待审核：武汉光谷新能源有限公司"),
    ]
    assert Notification.objects.filter(recipient=yichang).count() == 0


def test_a_claim_of_a_rejected_registry_enterprise_or_under_another_name_is_refused(api_client, listed):
    # given
    before = _written()
    # when the name differs from the registry's
    other_name = _register(api_client, ATTACKER, name="冒名科技有限公司")
    Enterprise.objects.filter(pk=listed.pk).update(verification="rejected")
    rejected = _register(api_client, ATTACKER)
    # then both refused, nothing written
    assert (other_name.status_code, other_name.json()["error"]["details"]) == (409, {"field": "name", "uscc": USCC})
    assert rejected.status_code == 409
    assert _written() == before


def test_the_service_answers_a_pending_claim_through_the_registration(listed):
    # when
    registration = enterprise_register(
        password=OWNER["password"], name=OWNER["name"], uscc=USCC, city_code="4201", contact_name="李华"
    )
    # then
    assert (registration.verification, registration.is_pending_claim, registration.other_pending_claims) == (
        "pending",
        True,
        0,
    )
    assert (registration.enterprise, registration.user.username, registration.next_step) == (
        listed,
        f"{USCC}-1",
        NEXT_STEP_CLAIM_PENDING,
    )


# --- accounts that joined before claims were reviewed, and the admin ------------------------------------------------


def test_the_command_lists_members_who_joined_a_registry_enterprise_unreviewed(listed, wuhan, make_user, bureau):
    # given a member who joined through the old sign-up (its audit row says "verified"), one whose enterprise was
    # registered new ("review"), and one whose claim the bureau approved
    old_way = make_user(USCC, Role.ENTERPRISE, enterprise=listed)
    AuditLog.objects.create(
        actor=old_way,
        action="enterprise.register",
        target_type="Enterprise",
        target_id=str(listed.pk),
        detail={"uscc": USCC, "verdict": "valid", "verification": "verified"},
    )
    new = Enterprise.objects.create(name="武汉新注册有限公司", uscc="91330106673959654P", city=wuhan)
    new_member = make_user("91330106673959654P", Role.ENTERPRISE, enterprise=new)
    AuditLog.objects.create(
        actor=new_member,
        action="enterprise.register",
        target_type="Enterprise",
        target_id=str(new.pk),
        detail={"uscc": new.uscc, "verdict": "valid", "verification": "review"},
    )
    out = io.StringIO()
    # when
    call_command("registry_claims_unreviewed", stdout=out)
    # then only the first is listed, with the enterprise's contact as it now stands
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[:3] + line.split("\t")[4:] for line in lines[:-1]] == [
        [USCC, "武汉光谷新能源有限公司", USCC, "lihua@guanggu-energy.cn"]
    ]
    assert lines[-1] == "未经审核的认领 / claims never reviewed: 1"


def test_the_admin_shows_claims_and_codes_read_only_without_the_hash(client, api_client, listed, bureau, make_user):
    # given a claim and a code
    _register(api_client, ATTACKER)
    _issue(listed, bureau)
    admin = make_user("admin", Role.ADMIN)
    client.force_login(admin)
    code = EnterpriseClaimCode.objects.get()
    # when
    claims = client.get(reverse("admin:enterprises_enterpriseclaim_changelist"))
    codes = client.get(reverse("admin:enterprises_enterpriseclaimcode_changelist"))
    one = client.get(reverse("admin:enterprises_enterpriseclaimcode_change", args=[code.pk]))
    add = client.get(reverse("admin:enterprises_enterpriseclaim_add"))
    # then
    assert (claims.status_code, codes.status_code, one.status_code, add.status_code) == (200, 200, 200, 403)
    assert f"{USCC}-1" in claims.content.decode()
    assert code.code_hash not in one.content.decode()


def test_the_claim_explanations_read_in_english(client, settings):
    # given the English interface
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when
    html = client.get(reverse("enterprises:signup")).content.decode()
    # then
    assert "Enterprises already in the registry: registering files a claim" in html
    assert "With a valid claim code the claim takes effect at once." in html
    assert ">Claim code<" in html


def test_entering_claim_codes_is_throttled_per_account(client, client_for, listed, bureau, settings):
    # given a pending claim and a limit of 2 attempts an hour (the sign-up rate; counted per signed-in account, and
    # accounts are made at the sign-up rate per address)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "100000/min", "registration": "2/hour"},
    }
    cache.clear()
    _page_signup(client, OWNER)
    issued = _issue(listed, bureau)
    claimant = User.objects.get(username=f"{USCC}-1")
    url = reverse("enterprises-api:enterprise-claim-redeem")
    # when the claimant guesses on the page and through the API, then tries the right code on both
    guess_page = client.post(reverse("enterprises:claim_code_redeem"), {"claim_code": "ABCD-EFGH-JKLM"}, follow=True)
    guess_api = client_for(claimant).post(url, {"claim_code": "ZZZZ-ZZZZ-ZZZZ"}, format="json")
    api = client_for(claimant).post(url, {"claim_code": issued.code}, format="json")
    page = client.post(reverse("enterprises:claim_code_redeem"), {"claim_code": issued.code}, follow=True)
    # then the guesses were answered, the next tries refused until the hour is over, and nothing was claimed
    assert CLAIM_CODE_WRONG_MESSAGE in guess_page.content.decode()
    assert guess_api.status_code == 400
    assert (api.status_code, api["Retry-After"], api.json()["error"]["code"]) == (429, "3600", "throttled")
    assert "请求过于频繁，请 3600 秒后再试" in page.content.decode()
    assert EnterpriseClaim.objects.get().status == "pending"
    assert EnterpriseClaimCode.objects.get().used_at is None


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_two_claims_of_one_enterprise_at_once_approve_one(listed, bureau, city_bureau):
    """Real concurrency on PostgreSQL: both services lock the enterprise's row before any claim's (locking a claim
    first deadlocked: each held its claim and waited for the other's), so the second approval waits, then finds its
    claim rejected by the first."""
    if connection.vendor != "postgresql":
        service_missing(f"DATABASE_URL does not point at PostgreSQL ({os.environ.get('DATABASE_URL', 'unset')})")
    # given two pending claims
    for data in (ATTACKER, OWNER):
        enterprise_register(
            password=data["password"],
            name=data["name"],
            uscc=USCC,
            city_code="4201",
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
        )
    first, second = EnterpriseClaim.objects.order_by("pk")
    barrier = threading.Barrier(2, timeout=20)
    outcomes: dict[str, object] = {}

    def approve(claim: EnterpriseClaim, reviewer: User) -> None:
        try:
            barrier.wait()
            outcomes[reviewer.username] = enterprise_claim_decide(claim=claim, reviewer=reviewer, approve=True)
        except Exception as exc:  # noqa: BLE001  # recorded, asserted below
            outcomes[reviewer.username] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(first, bureau)),
        threading.Thread(target=approve, args=(second, city_bureau)),
    ]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then one claim is approved, the other was rejected by it (or refused), and the enterprise has one member
    conflicts = [o for o in outcomes.values() if isinstance(o, ConflictError)]
    approved = [o for o in outcomes.values() if isinstance(o, EnterpriseClaim)]
    assert len(outcomes) == 2
    assert [c.message for c in conflicts] == [NOT_PENDING_MESSAGE]  # the winner rejected the other claim first
    assert [c.status for c in approved] == ["approved"]
    assert sorted(EnterpriseClaim.objects.values_list("status", flat=True)) == ["approved", "rejected"]
    assert listed.members.count() == 1


def test_the_claimants_notifications_read_in_their_language(client, api_client, listed, bureau, settings):
    # given a claim rejected because another one was approved, and one approved with a note
    _register(api_client, ATTACKER)
    _register(api_client, OWNER)
    attacker_claim, owner_claim = EnterpriseClaim.objects.order_by("pk")
    enterprise_claim_decide(claim=owner_claim, reviewer=bureau, approve=True, note="已电话核实")
    # when each reads its notifications in English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(pk=attacker_claim.claimant_id))
    rejected = client.get(reverse("enterprises:notifications")).content.decode()
    client.force_login(User.objects.get(pk=owner_claim.claimant_id))
    approved = client.get(reverse("enterprises:notifications")).content.decode()
    # then the platform's texts are English (English first), the reviewer's words as written
    assert "Claim not approved: 武汉光谷新能源有限公司" in rejected
    english_first = "The bureau approved another claim of this enterprise / 知识产权局已批准该企业的另一份认领申请"
    assert f"Reason: {english_first}" in rejected
    assert "Claim approved: 武汉光谷新能源有限公司" in approved
    assert f"Your account now acts for the enterprise; sign in as {USCC}." in approved
    assert "Note from the bureau: 已电话核实" in approved

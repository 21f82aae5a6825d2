"""The claim code fast path: the bureau issues a one-time code (stored hashed, mailed to the registered contact or
shown once), a valid code claims at once on sign-up, on the home page or through the API, a bad one is refused
naming why, and entering codes is throttled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.models import AuditLog
from enterprises.models import Enterprise, EnterpriseClaim, EnterpriseClaimCode, Notification
from enterprises.services.claim_codes import (
    CLAIM_CODE_ALPHABET,
    CLAIM_CODE_NOT_IN_REGISTRY_MESSAGE,
    CLAIM_CODE_REVOKED_MESSAGE,
    CLAIM_CODE_USED_MESSAGE,
    CLAIM_CODE_WRONG_MESSAGE,
    HAS_ACCOUNT_MESSAGE,
    claim_code_hash,
)
from enterprises.services.claims import CODE_APPROVAL_NOTE, NEXT_STEP_CLAIMED, OTHER_CLAIM_APPROVED_NOTE
from enterprises.services.registration import CLAIMED_MESSAGE
from tests.enterprises.claims.helpers import (
    ATTACKER,
    OWNER,
    REGISTRY_CONTACT,
    USCC,
    contact_of,
    issue_code,
    page_signup,
    register,
    written,
)

pytestmark = pytest.mark.django_db


# --- the claim code fast path ---------------------------------------------------------------------------------------


def test_the_bureau_issues_a_claim_code_stored_hashed_and_mailed_to_the_registered_contact(listed, bureau):
    # when the bureau issues a code
    issued = issue_code(listed, bureau)
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
    register(api_client, ATTACKER)
    issued = issue_code(listed, bureau)
    mail.outbox.clear()
    # when the owner registers with the code (typed in lower case, without hyphens)
    response = register(api_client, OWNER, claim_code=issued.code.replace("-", "").lower())
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
    assert contact_of(listed) == {**REGISTRY_CONTACT, "contact_phone": "13800000000"}
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
    issued = issue_code(listed, bureau)
    code, data = issued.code, OWNER
    if case == "expired":
        EnterpriseClaimCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    elif case == "wrong":
        code = "ABCD-EFGH-JKLM"
    elif case == "other_enterprise":
        code = issue_code(yichang_listed, bureau).code
    elif case == "replaced":
        issue_code(listed, bureau)
    elif case == "not_in_registry":
        data = {**OWNER, "uscc": "91350100M0001TGQXM", "name": "福州新公司"}
    before = written()
    # when someone registers with it
    response = register(api_client, data, claim_code=code)
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
    assert written() == before
    assert contact_of(listed) == REGISTRY_CONTACT
    assert Enterprise.objects.filter(uscc="91350100M0001TGQXM").count() == 0


def test_a_claim_code_works_once(api_client, listed, bureau):
    # given a code the owner used
    issued = issue_code(listed, bureau)
    assert register(api_client, OWNER, claim_code=issued.code).status_code == 201
    before = written()
    # when someone presents it again
    again = register(api_client, ATTACKER, claim_code=issued.code)
    # then refused: the enterprise is claimed
    assert (again.status_code, again.json()["error"]["message"]) == (409, CLAIMED_MESSAGE)
    assert written() == before
    # and had the platform admin since unbound that account, the spent code would still not work
    User.objects.filter(username=USCC).update(username="former-owner", role="", enterprise=None)
    reused = register(api_client, ATTACKER, claim_code=issued.code)
    assert (reused.status_code, reused.json()["error"]["details"]) == (400, {"claim_code": [CLAIM_CODE_USED_MESSAGE]})
    assert written() == before


def test_a_pending_claimant_enters_the_code_on_the_home_page(client, listed, bureau):
    # given a pending claim, signed in
    page_signup(client, OWNER)
    issued = issue_code(listed, bureau)
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
    register(api_client, OWNER)
    claimant = User.objects.get(username=f"{USCC}-1")
    issued = issue_code(listed, bureau)
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


def test_entering_claim_codes_is_throttled_per_account(client, client_for, listed, bureau, settings):
    # given a pending claim and a limit of 2 attempts an hour (the sign-up rate; counted per signed-in account, and
    # accounts are made at the sign-up rate per address)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "100000/min", "registration": "2/hour"},
    }
    cache.clear()
    page_signup(client, OWNER)
    issued = issue_code(listed, bureau)
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

"""Signing up with a registry enterprise's public code and name files a claim and takes nothing over: the account
acts for no enterprise, the enterprise's contact stays, the real owner can still claim, and once a claim is approved
a further sign-up is refused."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from enterprises.models import DockingRequest, EnterpriseClaim, Notification, PatentFollow
from enterprises.selectors.claims import enterprise_claim_list
from enterprises.services.claims import NEXT_STEP_CLAIM_PENDING, enterprise_claim_decide
from enterprises.services.push import patent_push
from enterprises.services.registration import CLAIMED_MESSAGE
from tests.enterprises.claims.helpers import (
    ATTACKER,
    OWNER,
    REGISTRY_CONTACT,
    USCC,
    contact_of,
    page_signup,
    register,
    written,
)

pytestmark = pytest.mark.django_db


# --- the attack of the issue ---------------------------------------------------------------------------------------


def test_the_issue_21_attack_no_longer_takes_over_a_registry_enterprise(
    api_client, client_for, listed, pooled_patent, officer, bureau
):
    """Before the fix this answered 201 "verified", bound the caller to the enterprise, let it request docking at
    once, sent it the enterprise's pushes and refused the real owner ("already registered")."""
    # when an anonymous caller registers with the registry enterprise's public code and name
    response = register(api_client, ATTACKER)
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
    assert contact_of(listed) == REGISTRY_CONTACT
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
    owner = register(api_client, OWNER)
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
    response = page_signup(client, ATTACKER)
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
    assert contact_of(listed) == REGISTRY_CONTACT
    # and the pages of members refuse it, as for any account without an enterprise
    follow = client.post(reverse("enterprises:follow_toggle", args=[pooled_patent.pk]))
    docking = client.get(reverse("enterprises:docking_create"), {"patent": pooled_patent.pk})
    profile = client.get(reverse("enterprises:profile"))
    assert (follow.status_code, docking.status_code, profile.status_code) == (403, 403, 403)
    assert (PatentFollow.objects.count(), DockingRequest.objects.count()) == (0, 0)


def test_a_second_claimant_on_the_page_is_told_about_the_other_claim(client, listed):
    # given a pending claim
    page_signup(client, ATTACKER)
    client.logout()
    # when the owner signs up too
    response = page_signup(client, OWNER)
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
    register(api_client, OWNER)
    enterprise_claim_decide(claim=EnterpriseClaim.objects.get(), reviewer=bureau, approve=True, note="已电话核实")
    before = written()
    # when someone else signs up with the code, on the API and on the page
    api = register(api_client, ATTACKER)
    page = page_signup(client, ATTACKER)
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
    assert written() == before

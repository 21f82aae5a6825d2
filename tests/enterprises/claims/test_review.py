"""The bureau's review of claims: the registry's data beside the claimant's, approval and rejection on the page and
the API, what an approved claimant may do, the claimant's own claims, and two approvals at once approving one."""

import os
import threading

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role, User
from core.errors import ConflictError
from core.models import AuditLog
from enterprises.models import DockingRequest, EnterpriseClaim, Notification
from enterprises.services.claims import (
    NEXT_STEP_CLAIM_REJECTED,
    NOT_PENDING_MESSAGE,
    OTHER_CLAIM_APPROVED_NOTE,
    enterprise_claim_decide,
)
from enterprises.services.registration import enterprise_register
from tests.conftest import service_missing
from tests.enterprises.claims.helpers import ATTACKER, OWNER, REGISTRY_CONTACT, USCC, contact_of, register

pytestmark = pytest.mark.django_db


# --- the bureau's review --------------------------------------------------------------------------------------------


def test_the_review_page_shows_the_registry_beside_the_claimant_and_approves(client, api_client, listed, bureau):
    # given two pending claims
    register(api_client, ATTACKER)
    register(api_client, OWNER)
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
    assert contact_of(listed) == {**REGISTRY_CONTACT, "contact_phone": "13800000000"}
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
    register(api_client, ATTACKER)
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
    assert contact_of(listed) == REGISTRY_CONTACT
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
    register(api_client, ATTACKER)
    register(api_client, OWNER)
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
    register(api_client, OWNER)
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
    register(api_client, ATTACKER)
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

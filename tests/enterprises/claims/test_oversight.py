"""What the bureau and the admin see beyond the queue (members who joined a registry enterprise unreviewed, claims
and codes read-only in the admin) and the claim texts in the English interface."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from core.models import AuditLog
from enterprises.models import Enterprise, EnterpriseClaim, EnterpriseClaimCode
from enterprises.services.claims import enterprise_claim_decide
from tests.enterprises.claims.helpers import ATTACKER, OWNER, USCC, issue_code, register

pytestmark = pytest.mark.django_db


# --- accounts that joined before claims were reviewed, and the admin ------------------------------------------------


def test_the_command_lists_members_who_joined_a_registry_enterprise_unreviewed(listed, wuhan, make_user, bureau):
    # given a member who joined through a sign-up that verified (its audit row says "verified"), one whose
    # enterprise was registered new ("review"), and one whose claim the bureau approved
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
    register(api_client, ATTACKER)
    issue_code(listed, bureau)
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


def test_the_claimants_notifications_read_in_their_language(client, api_client, listed, bureau, settings):
    # given a claim rejected because another one was approved, and one approved with a note
    register(api_client, ATTACKER)
    register(api_client, OWNER)
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

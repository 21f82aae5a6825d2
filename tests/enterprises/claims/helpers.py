"""What the claim tests share: the registry enterprise's code and contact, the attacker's and the owner's sign-up
data, and helpers that sign up, read the contact back, count what was written and issue a claim code."""

from django.urls import reverse

from accounts.models import User
from core.models import AuditLog
from enterprises.models import Enterprise, EnterpriseClaim, EnterpriseClaimCode, Notification
from enterprises.services.claim_codes import enterprise_claim_code_issue

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


def register(api_client, data, **extra):
    return api_client.post(reverse("enterprises-api:enterprise-register"), {**data, **extra}, format="json")


def page_signup(client, data, **extra):
    form = {**data, "password1": data["password"], "password2": data["password"], **extra}
    del form["password"]
    return client.post(reverse("enterprises:signup"), form)


def contact_of(enterprise: Enterprise) -> dict[str, str]:
    enterprise.refresh_from_db()
    return {field: getattr(enterprise, field) for field in REGISTRY_CONTACT}


def written() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        EnterpriseClaim.objects.count(),
        EnterpriseClaimCode.objects.filter(used_at__isnull=False).count(),
        AuditLog.objects.count(),
        Notification.objects.count(),
    )


def issue_code(enterprise, issuer, **kwargs):
    return enterprise_claim_code_issue(enterprise=enterprise, issuer=issuer, **kwargs)

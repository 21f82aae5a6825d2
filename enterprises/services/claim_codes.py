"""Claim codes: the bureau's fast path for claiming a registry enterprise.

Bureau staff issue a one-time code for an enterprise without an account: 12 random characters from an unambiguous
alphabet, stored only as a keyed hash, expiring after CLAIM_CODE_DAYS, single use; the newest code revokes the older
ones. It is e-mailed to the enterprise's registered contact address when the registry has one, and shown once to
the issuer to hand over. A claim presenting a valid code is approved at once (enterprises.services.claims).
"""

import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import User
from common.validators.text import header_safe
from core.errors import ConflictError
from core.services import audit_log_record
from enterprises.models import Enterprise, EnterpriseClaimCode

logger = logging.getLogger(__name__)

# 32 characters that cannot be misread for one another (no 0/O, 1/I): 12 of them carry 60 random bits
CLAIM_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CLAIM_CODE_LENGTH = 12
_CLAIM_CODE_SALT = "enterprises.claim_code"

CLAIM_CODE_WRONG_MESSAGE = (
    "认领码不正确或不属于该企业，请核对（不区分大小写，连字符可省略） / "
    "The claim code is wrong or belongs to another enterprise: check it (case and hyphens do not matter)"
)
CLAIM_CODE_USED_MESSAGE = (
    "该认领码已使用过，每个认领码只能使用一次，请联系知识产权局 / "
    "This claim code was already used (each code works once): contact the bureau"
)
CLAIM_CODE_REVOKED_MESSAGE = (
    "该认领码已作废（知识产权局已发放新的认领码），请使用最新的认领码 / "
    "This claim code was replaced by a newer one: use the latest code the bureau issued"
)
CLAIM_CODE_NOT_IN_REGISTRY_MESSAGE = (
    "企业名录中没有该统一社会信用代码，认领码不适用；不填认领码即可注册，由知识产权局审核 / "
    "The enterprise registry does not hold this code, so no claim code applies: register without one and the "
    "bureau will review the registration"
)
HAS_ACCOUNT_MESSAGE = (
    "该企业已有账号，不能再认领或发放认领码；如认为已有账号有误，请联系平台管理员 / "
    "This enterprise already has an account: it cannot be claimed again or given a claim code; if that account is "
    "wrong, contact the platform administrator"
)
REJECTED_ENTERPRISE_MESSAGE = (
    "该企业的注册已被知识产权局驳回，不能认领 / This enterprise's registration was rejected by the bureau: it "
    "cannot be claimed"
)


def claim_code_normalize(code: str) -> str:
    """The code as stored before hashing: full-width folded (NFKC), upper case, letters and digits only."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", code).upper())


def claim_code_hash(code: str) -> str:
    """A keyed hash (HMAC-SHA256 with the secret key) of the normalised code: what the database holds."""
    return salted_hmac(_CLAIM_CODE_SALT, claim_code_normalize(code), algorithm="sha256").hexdigest()


def claim_code_format(code: str) -> str:
    """XXXX-XXXX-XXXX, for reading out and typing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class IssuedClaimCode:
    """A claim code just issued: the stored record and the code itself (shown once, never stored)."""

    record: EnterpriseClaimCode
    code: str
    revoked: int  # earlier unused codes of the enterprise this one replaced


def enterprise_has_account(enterprise: Enterprise) -> bool:
    """Whether a member already acts for the enterprise (then it can be neither claimed nor given a code)."""
    return enterprise.members.exists()


@transaction.atomic
def enterprise_claim_code_issue(
    *, enterprise: Enterprise, issuer: User, now: datetime | None = None, ip_address: str | None = None
) -> IssuedClaimCode:
    """Issue a one-time claim code for a registry enterprise without an account; e-mail it to the enterprise's
    registered contact address when it has one. Earlier unused codes of the enterprise stop working.

    Callers fetch `enterprise` through enterprise_for_claim_code, which scopes it to the issuer.
    """
    now = now or timezone.now()
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise_has_account(locked):
        raise ConflictError(HAS_ACCOUNT_MESSAGE, {"uscc": locked.uscc})
    if locked.verification == Enterprise.Verification.REJECTED:
        raise ConflictError(REJECTED_ENTERPRISE_MESSAGE, {"uscc": locked.uscc})
    live = EnterpriseClaimCode.objects.filter(enterprise=locked, used_at__isnull=True, revoked_at__isnull=True)
    revoked = live.update(revoked_at=now)
    code = "".join(secrets.choice(CLAIM_CODE_ALPHABET) for _ in range(CLAIM_CODE_LENGTH))
    record = EnterpriseClaimCode.objects.create(
        enterprise=locked,
        code_hash=claim_code_hash(code),
        issued_by=issuer,
        issued_at=now,
        expires_at=now + timedelta(days=settings.CLAIM_CODE_DAYS),
    )
    if locked.contact_email and _claim_code_email(enterprise=locked, code=code, expires_at=record.expires_at):
        record.emailed_to = locked.contact_email
        record.save(update_fields=["emailed_to"])
    audit_log_record(
        actor=issuer,
        action="enterprise.claim_code.issue",
        target=record,
        detail={
            "enterprise": locked.pk,
            "uscc": locked.uscc,
            "expires_at": record.expires_at.isoformat(),
            "emailed_to": record.emailed_to,
            "revoked": revoked,
        },
        ip_address=ip_address,
    )
    return IssuedClaimCode(record=record, code=claim_code_format(code), revoked=revoked)


def _claim_code_email(*, enterprise: Enterprise, code: str, expires_at: datetime) -> bool:
    """E-mail the code to the enterprise's registered contact; False when the mail could not be handed over."""
    until = timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M")
    signup = settings.SITE_URL + reverse("enterprises:signup")
    body = (
        f"知识产权局为贵企业 {enterprise.name}（统一社会信用代码 {enterprise.uscc}）"
        "发放了专利盘活对接平台的企业认领码：\n\n"
        f"    {claim_code_format(code)}\n\n"
        f"有效期至 {until}，只能使用一次。请在注册页 {signup} 填写统一社会信用代码、企业名称和此认领码，"
        "认领立即生效，无需等待审核。如贵企业未申请，请忽略本邮件或联系知识产权局。\n\n"
        f"The IP bureau issued a claim code on the Patent Activation and Matching Platform for {enterprise.name} "
        f"(unified social credit code {enterprise.uscc}): {claim_code_format(code)}. It works once, until {until}. "
        f"Enter the unified social credit code, the enterprise's name and this claim code on {signup}: the claim "
        "takes effect at once. "
        "If your enterprise did not ask for it, ignore this e-mail or contact the bureau."
    )
    try:
        EmailMessage(
            subject=header_safe(f"[专利盘活对接平台] 企业认领码：{enterprise.name}"),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[enterprise.contact_email],
        ).send()
    except OSError:  # smtplib's errors are OSErrors: the issuer still sees the code and hands it over
        logger.exception("claim code e-mail to enterprise %s failed", enterprise.pk)
        return False
    return True


def claim_code_check(*, enterprise: Enterprise, code: str, now: datetime) -> EnterpriseClaimCode:
    """The enterprise's live code matching `code`, locked; a ValidationError on the claim_code field otherwise."""
    record = (
        EnterpriseClaimCode.objects.select_for_update()
        .filter(code_hash=claim_code_hash(code), enterprise=enterprise)
        .first()
    )
    message = CLAIM_CODE_WRONG_MESSAGE
    if record is not None and record.used_at is not None:
        message = CLAIM_CODE_USED_MESSAGE
    elif record is not None and record.revoked_at is not None:
        message = CLAIM_CODE_REVOKED_MESSAGE
    elif record is not None and record.expires_at <= now:
        until = timezone.localtime(record.expires_at).strftime("%Y-%m-%d %H:%M")
        message = (
            f"认领码已于 {until} 过期，请联系知识产权局重新发放 / "
            f"The claim code expired at {until}: ask the bureau for a new one"
        )
    elif record is not None:
        return record
    raise ValidationError({"claim_code": [ValidationError(message, code="claim_code")]})


def claim_code_not_applicable() -> ValidationError:
    """The error for a claim code given with a code the registry does not hold."""
    return ValidationError(
        {"claim_code": [ValidationError(CLAIM_CODE_NOT_IN_REGISTRY_MESSAGE, code="claim_code_not_applicable")]}
    )

"""Claims of registry enterprises: who may act for an enterprise the bureau imported, and how that is decided.

The 统一社会信用代码 and name of a registry enterprise are public record, so knowing them proves nothing. Signing up
with them files a claim (EnterpriseClaim, pending) and creates an account that is bound to no enterprise and has no
role: it can sign in, read its notifications and see its claim, but it is no member — it cannot follow patents,
publish needs or request docking, receives no pushes, and sees none of the enterprise's data. The enterprise's own
data (contact included) stays as the registry has it.

- The bureau (province staff, or the city bureau of the enterprise's city) approves or rejects each claim, seeing
  the registry's data beside the claimant's. Approval binds the account to the enterprise, renames it to the code
  (the enterprise sign-in), and replaces the enterprise's contact with the claimant's.
- Fast path: a claim presenting a valid claim code the bureau issued (enterprises.services.claim_codes) is approved
  at once.
- Several claims of one enterprise may wait at once, and the reviewer picks: an attacker who claims first cannot
  lock the owner out. Approving one (by review or by code) rejects the others, each claimant told why. Once an
  enterprise has an approved member, a further sign-up with its code is refused; undoing a wrong approval is the
  platform admin's.
- Every claim, code issued, code used, approval and rejection is audit-logged.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create, user_enterprise_bind
from core.cache_generation import dashboard_cache_invalidate
from core.errors import ConflictError
from core.models import City
from core.services import audit_log_record
from enterprises.errors import not_found
from enterprises.models import Enterprise, EnterpriseClaim, EnterpriseClaimCode, Notification
from enterprises.notification_texts import CLAIM_APPROVED, CLAIM_PENDING, CLAIM_REJECTED
from enterprises.selectors.profile import enterprise_reviewers
from enterprises.services.claim_codes import (
    CLAIM_CODE_WRONG_MESSAGE,
    HAS_ACCOUNT_MESSAGE,
    REJECTED_ENTERPRISE_MESSAGE,
    claim_code_check,
    enterprise_has_account,
)
from enterprises.services.notifications import notification_send

NOT_PENDING_MESSAGE = "该认领申请已处理 / This claim was already decided"
REJECT_NEEDS_NOTE_MESSAGE = "驳回时请填写原因 / A reason is required to reject"
OTHER_CLAIM_APPROVED_NOTE = (
    "知识产权局已批准该企业的另一份认领申请 / The bureau approved another claim of this enterprise"
)
CODE_APPROVAL_NOTE = (
    "凭知识产权局发放的认领码认领 / Claimed with a claim code the bureau issued to the enterprise's registered contact"
)

_PENDING_ZH = (
    "认领申请已提交，知识产权局将对照企业名录审核，结果以站内通知（及邮件）告知。审核通过前账号不绑定该企业：不能关注"
    "专利、发布需求或发起对接，企业联系信息保持不变；通过后账号绑定该企业，登录用户名改为统一社会信用代码，您填写的"
    "联系人替换企业现有联系人。如需立即认领，请联系知识产权局向企业登记的联系人发放认领码"
)
_PENDING_EN = (
    "Your claim waits for the bureau, which checks it against the enterprise registry; you will be told in the "
    "platform (and by e-mail). Until it is approved the account does not act for the enterprise: no follows, needs "
    "or docking, and the enterprise's contact stays as registered. Once approved, the account joins the enterprise "
    "and signs in with the unified social credit code, and your contact replaces the enterprise's. To claim at "
    "once, ask the bureau for a claim code sent to the enterprise's registered contact"
)
NEXT_STEP_CLAIM_PENDING = f"{_PENDING_ZH} / {_PENDING_EN}"
NEXT_STEP_CLAIMED = (
    "认领成功：账号已绑定该企业，登录用户名为统一社会信用代码，您填写的联系人已成为企业联系人 / "
    "Claimed: the account acts for the enterprise and signs in with the unified social credit code; your contact is "
    "now the enterprise's contact"
)
NEXT_STEP_CLAIMED_CODE_REVIEW = (
    "认领成功：账号已绑定该企业，登录用户名为统一社会信用代码；该企业的统一社会信用代码尚待知识产权局人工审核，"
    "审核通过前暂不能发起对接 / Claimed: the account acts for the enterprise and signs in with the unified social "
    "credit code; the bureau still checks the enterprise's code by hand, and docking opens once it approves"
)
NEXT_STEP_CLAIM_REJECTED = (
    "认领未通过，账号未绑定企业；如有疑问请联系知识产权局，持知识产权局发放的认领码可重新认领 / "
    "The claim was rejected and the account acts for no enterprise; contact the bureau if in doubt, or claim again "
    "with a claim code the bureau issued"
)


def claim_next_step(claim: EnterpriseClaim, *, rivals: int = 0) -> str:
    """What happens next for the claimant, Chinese then English (`rivals`: other pending claims of the enterprise)."""
    if claim.status == EnterpriseClaim.Status.PENDING:
        if not rivals:
            return NEXT_STEP_CLAIM_PENDING
        return (
            f"{_PENDING_ZH}。该企业另有 {rivals} 份认领申请在审核中，知识产权局核实后最多批准其中一份 / "
            f"{_PENDING_EN}. {rivals} other claim(s) of this enterprise are waiting too; the bureau approves one at "
            "most"
        )
    if claim.status == EnterpriseClaim.Status.APPROVED:
        return NEXT_STEP_CLAIMED if claim.enterprise.is_verified else NEXT_STEP_CLAIMED_CODE_REVIEW
    return NEXT_STEP_CLAIM_REJECTED


def _claimant_username(*, enterprise: Enterprise) -> str:
    """`<code>-<n>`: the claimant's sign-in name until approval (the bare code is the enterprise's own account)."""
    n = EnterpriseClaim.objects.filter(enterprise=enterprise).count() + 1
    while User.objects.filter(username__iexact=f"{enterprise.uscc}-{n}").exists():
        n += 1
    return f"{enterprise.uscc}-{n}"


@transaction.atomic
def enterprise_claim_submit(
    *,
    enterprise: Enterprise,
    password: str,
    claimed_name: str,
    city: City | None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    claim_code: str = "",
    ip_address: str | None = None,
    now: datetime | None = None,
) -> EnterpriseClaim:
    """File a claim of a registry enterprise with a new account that has no role and no enterprise yet.

    Without a claim code the claim waits for the bureau (reviewers notified); with a valid one it is approved at
    once. Refused, writing nothing: an enterprise that has an account, one the bureau rejected, a wrong, expired,
    used or replaced claim code. Callers (enterprise_register) checked the code, the name and the password.
    """
    now = now or timezone.now()
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise_has_account(locked):
        raise ConflictError(HAS_ACCOUNT_MESSAGE, {"field": "uscc", "uscc": locked.uscc})
    if locked.verification == Enterprise.Verification.REJECTED:
        raise ConflictError(REJECTED_ENTERPRISE_MESSAGE, {"field": "uscc", "uscc": locked.uscc})
    code_record = claim_code_check(enterprise=locked, code=claim_code, now=now) if claim_code.strip() else None
    user = user_create(
        username=locked.uscc if code_record else _claimant_username(enterprise=locked),
        password=password,
        role="",
        email=contact_email.strip(),
        first_name=contact_name.strip(),
    )
    claim = EnterpriseClaim.objects.create(
        enterprise=locked,
        claimant=user,
        claimed_name=" ".join(claimed_name.split()),
        city=city,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
        method=EnterpriseClaim.Method.CODE if code_record else EnterpriseClaim.Method.REVIEW,
        created_at=now,
    )
    audit_log_record(
        actor=user,
        action="enterprise.claim.submit",
        target=claim,
        detail={
            "enterprise": locked.pk,
            "uscc": locked.uscc,
            "username": user.username,
            "with_code": code_record is not None,
            "contact": claim.contact,
        },
        ip_address=ip_address,
    )
    if code_record is None:
        notification_send(
            recipients=enterprise_reviewers(enterprise=locked),
            kind=Notification.Kind.REVIEW,
            message_kind=CLAIM_PENDING,
            params={"enterprise": locked.name, "uscc": locked.uscc, "claimant": claim.contact_name or user.username},
            url=reverse("enterprises:review_queue"),
            now=now,
        )
        return claim
    return _claim_code_use(claim=claim, enterprise=locked, code_record=code_record, now=now, ip_address=ip_address)


@transaction.atomic
def enterprise_claim_code_redeem(
    *, claimant: User, claim_code: str, ip_address: str | None = None, now: datetime | None = None
) -> EnterpriseClaim:
    """The claimant of a pending claim presents the claim code the bureau issued to the enterprise's registered
    contact: the claim is approved at once. Refused, writing nothing: no pending claim (NotFound), an enterprise that
    has an account meanwhile, a wrong, expired, used or replaced code (ValidationError on `claim_code`)."""
    now = now or timezone.now()
    pending = EnterpriseClaim.objects.filter(claimant=claimant, status=EnterpriseClaim.Status.PENDING)
    found = pending.first()
    if found is None:
        raise not_found()
    if not claim_code.strip():
        raise ValidationError({"claim_code": [ValidationError(CLAIM_CODE_WRONG_MESSAGE, code="claim_code")]})
    # the enterprise's row first, then the claim's (the lock order of every claim service); still pending?
    enterprise = Enterprise.objects.select_for_update().get(pk=found.enterprise_id)
    claim = pending.select_for_update().select_related("claimant").filter(pk=found.pk).first()
    if claim is None:
        raise not_found()
    if enterprise_has_account(enterprise):
        raise ConflictError(HAS_ACCOUNT_MESSAGE, {"uscc": enterprise.uscc})
    if enterprise.verification == Enterprise.Verification.REJECTED:
        raise ConflictError(REJECTED_ENTERPRISE_MESSAGE, {"uscc": enterprise.uscc})
    code_record = claim_code_check(enterprise=enterprise, code=claim_code, now=now)
    claim.method = EnterpriseClaim.Method.CODE
    claim.save(update_fields=["method"])
    return _claim_code_use(claim=claim, enterprise=enterprise, code_record=code_record, now=now, ip_address=ip_address)


def _claim_code_use(
    *,
    claim: EnterpriseClaim,
    enterprise: Enterprise,
    code_record: EnterpriseClaimCode,
    now: datetime,
    ip_address: str | None,
) -> EnterpriseClaim:
    """Spend the (locked, checked) code on the claim and approve it."""
    code_record.used_at = now
    code_record.claim = claim
    code_record.save(update_fields=["used_at", "claim"])
    audit_log_record(
        actor=claim.claimant,
        action="enterprise.claim_code.use",
        target=code_record,
        detail={"enterprise": enterprise.pk, "uscc": enterprise.uscc, "claim": claim.pk},
        ip_address=ip_address,
    )
    return _claim_approve(
        claim=claim,
        enterprise=enterprise,
        reviewer=code_record.issued_by,
        actor=claim.claimant,
        note=CODE_APPROVAL_NOTE,
        now=now,
    )


@transaction.atomic
def enterprise_claim_decide(
    *, claim: EnterpriseClaim, reviewer: User, approve: bool, note: str = "", now: datetime | None = None
) -> EnterpriseClaim:
    """Approve or reject (a note is required) a pending claim; the claimant is notified either way.

    Callers fetch `claim` through enterprise_claim_list, which scopes it to the reviewer.
    """
    now = now or timezone.now()
    # the enterprise's row first, then the claims': the one lock order of every claim service (no deadlock)
    enterprise = Enterprise.objects.select_for_update().get(pk=claim.enterprise_id)
    locked = EnterpriseClaim.objects.select_for_update().select_related("claimant").get(pk=claim.pk)
    if locked.status != EnterpriseClaim.Status.PENDING:
        raise ConflictError(NOT_PENDING_MESSAGE, {"status": locked.status})
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": [REJECT_NEEDS_NOTE_MESSAGE]})
    if not approve:
        return _claim_reject(claim=locked, reviewer=reviewer, note=note, now=now)
    if enterprise_has_account(enterprise):
        raise ConflictError(HAS_ACCOUNT_MESSAGE, {"uscc": enterprise.uscc})
    if enterprise.verification == Enterprise.Verification.REJECTED:
        raise ConflictError(REJECTED_ENTERPRISE_MESSAGE, {"uscc": enterprise.uscc})
    return _claim_approve(claim=locked, enterprise=enterprise, reviewer=reviewer, actor=reviewer, note=note, now=now)


def _claim_approve(
    *,
    claim: EnterpriseClaim,
    enterprise: Enterprise,
    reviewer: User | None,
    actor: User,
    note: str,
    now: datetime,
) -> EnterpriseClaim:
    """Bind the claimant to the (locked) enterprise, give it the claimant's contact, reject the rival claims."""
    claim.status = EnterpriseClaim.Status.APPROVED
    claim.reviewer = reviewer
    claim.decision_note = note[:500]
    claim.decided_at = now
    claim.save(update_fields=["status", "reviewer", "decision_note", "decided_at"])
    user = user_enterprise_bind(user=claim.claimant, enterprise=enterprise, username=enterprise.uscc)
    before = {field: getattr(enterprise, field) for field in claim.contact}
    changed = [field for field, value in claim.contact.items() if value and value != before[field]]
    for field in changed:
        setattr(enterprise, field, claim.contact[field])
    if enterprise.city_id is None and claim.city_id is not None:
        enterprise.city_id = claim.city_id
        changed.append("city")
    if changed:
        enterprise.save(update_fields=[*changed, "updated_at"])
    audit_log_record(
        actor=actor,
        action="enterprise.claim.approve",
        target=claim,
        detail={
            "enterprise": enterprise.pk,
            "uscc": enterprise.uscc,
            "method": claim.method,
            "member": user.pk,
            "username": user.username,
            "note": claim.decision_note,
            "contact_before": before,
            "contact_after": {field: getattr(enterprise, field) for field in claim.contact},
        },
    )
    rivals = EnterpriseClaim.objects.select_for_update().filter(
        enterprise=enterprise, status=EnterpriseClaim.Status.PENDING
    )
    for rival in rivals.select_related("claimant", "enterprise"):
        _claim_reject(
            claim=rival, reviewer=reviewer, note=OTHER_CLAIM_APPROVED_NOTE, now=now, actor=actor, automatic=True
        )
    notification_send(
        recipients=[user],
        kind=Notification.Kind.REVIEW,
        message_kind=CLAIM_APPROVED,
        params={"enterprise": enterprise.name, "username": user.username, "note": claim.decision_note},
        url=reverse("enterprises:profile"),
        now=now,
    )
    dashboard_cache_invalidate()
    return claim


def _claim_reject(
    *,
    claim: EnterpriseClaim,
    reviewer: User | None,
    note: str,
    now: datetime,
    actor: User | None = None,
    automatic: bool = False,
) -> EnterpriseClaim:
    """Reject a (locked) pending claim; its account stays without a role or an enterprise and is told why."""
    claim.status = EnterpriseClaim.Status.REJECTED
    claim.reviewer = reviewer
    claim.decision_note = note[:500]
    claim.decided_at = now
    claim.save(update_fields=["status", "reviewer", "decision_note", "decided_at"])
    audit_log_record(
        actor=actor or reviewer,
        action="enterprise.claim.reject",
        target=claim,
        detail={
            "enterprise": claim.enterprise_id,
            "uscc": claim.enterprise.uscc,
            "claimant": claim.claimant_id,
            "note": claim.decision_note,
            "automatic": automatic,
        },
    )
    notification_send(
        recipients=[claim.claimant],
        kind=Notification.Kind.REVIEW,
        message_kind=CLAIM_REJECTED,
        params={"enterprise": claim.enterprise.name, "note": claim.decision_note},
        url=reverse("home"),
        now=now,
    )
    return claim

"""Docking (对接) requests: creation and every state transition (rules in enterprises/docking.py)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.access import is_enterprise_member
from accounts.models import Role, User
from core.cache_generation import dashboard_cache_invalidate
from core.errors import ConflictError
from core.services import audit_log_record
from enterprises.docking import (
    ACTION_LABELS,
    FIRST_RESPONSE_ACTIONS,
    OPEN,
    TERMINAL_STATUSES,
    TRANSITIONS,
    DockingAction,
    DockingParty,
    docking_allowed_actions,
)
from enterprises.errors import not_found
from enterprises.models import (
    DeclineReason,
    DockingEvent,
    DockingRequest,
    DockingStatus,
    Enterprise,
    Notification,
    TechNeed,
)
from enterprises.notification_texts import DOCKING_SUBMITTED, docking_status_kind
from enterprises.selectors.docking import docking_contact_defaults, docking_party
from enterprises.services.contracts import contract_file_check
from enterprises.services.docking_contact import docking_contact_check
from enterprises.services.notifications import notification_send
from patents.models import Institution, Patent, TransferMode

MAX_AMOUNT = Decimal("1e12")  # the column holds 14 digits, 2 after the point
DUPLICATE_MESSAGE = (
    "已有一个进行中的对接请求，请在原请求中继续沟通 / "
    "An open docking request already exists for this; continue in that request"
)


def docking_expiry_days() -> int:
    """Days a request stays open when the enterprise gives no deadline (setting DOCKING_EXPIRY_DAYS)."""
    return int(settings.DOCKING_EXPIRY_DAYS)


def _requesting_enterprise(*, actor: User) -> Enterprise:
    if not is_enterprise_member(actor):
        raise ConflictError("只有企业用户可以发起对接 / Only enterprise members can request docking")
    enterprise = actor.enterprise
    assert enterprise is not None  # enterprise_id is set
    if not enterprise.is_verified:
        raise ConflictError(
            "企业注册信息审核通过后才能发起对接 / Docking opens once your enterprise's registration is approved",
            {"verification": enterprise.verification},
        )
    return enterprise


def _subject(
    *, enterprise: Enterprise, patent: Patent | None, need: TechNeed | None, institution: Institution | None
) -> tuple[str, Institution]:
    """The request's kind and the institution asked; raises when the subject is missing or not the user's to use."""
    if need is not None and need.enterprise_id != enterprise.pk:
        raise not_found()
    if patent is not None:
        if not patent.is_pooled:
            raise not_found()
        if institution is not None and institution.pk != patent.institution_id:  # never silently overridden
            raise ValidationError(
                {
                    "institution": [
                        f"该专利的权利人是{patent.institution.name}，对接请求只能发给权利人 / "
                        "A request about a patent goes to the patent's own institution"
                    ]
                }
            )
        return DockingRequest.Kind.PATENT, patent.institution
    if need is None:
        raise ValidationError({"patent": ["请选择专利或技术需求 / Choose a patent or a technology need"]})
    if need.status != TechNeed.Status.OPEN:
        raise ConflictError("该需求已关闭 / This need is closed", {"need": need.pk})
    if institution is None or not institution.is_active:
        raise ValidationError({"institution": ["请选择对接的高校/院所 / Choose the institution to dock with"]})
    return DockingRequest.Kind.NEED, institution


def _expires_at(*, expires_on: date | None, now: datetime) -> datetime:
    if expires_on is None:
        return now + timedelta(days=docking_expiry_days())
    if expires_on <= timezone.localdate(now):
        raise ValidationError({"expires_on": ["有效期须晚于今天 / The deadline must be after today"]})
    return timezone.make_aware(datetime.combine(expires_on, time.max))


def _contact_values(*, actor: User, given: dict[str, str | None]) -> dict[str, str]:
    """The request's contact: each value given, else the profile's (docking_contact_defaults); a phone or an e-mail
    is required, so the institution can answer."""
    defaults = docking_contact_defaults(user=actor)
    return docking_contact_check(
        values={key: defaults[key] if value is None else value for key, value in given.items()}
    )


def _officers(*, institution_pk: int) -> list[User]:
    return list(User.objects.filter(role=Role.OFFICER, institution_id=institution_pk, is_active=True))


@transaction.atomic
def docking_request_create(
    *,
    actor: User,
    patent: Patent | None = None,
    need: TechNeed | None = None,
    institution: Institution | None = None,
    message: str = "",
    expires_on: date | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    contact_email: str | None = None,
    now: datetime | None = None,
) -> DockingRequest:
    """Submit a docking request about a pooled patent (optionally citing a need), or from a need to an institution.

    The contact goes with the request: a value not given (None) is the profile's; a phone or an e-mail is required.
    One open request per enterprise and patent (per need and institution): a second raises ConflictError.
    """
    now = now or timezone.now()
    enterprise = _requesting_enterprise(actor=actor)
    kind, institution = _subject(enterprise=enterprise, patent=patent, need=need, institution=institution)
    contact = _contact_values(
        actor=actor,
        given={"contact_name": contact_name, "contact_phone": contact_phone, "contact_email": contact_email},
    )
    duplicates = DockingRequest.objects.filter(enterprise=enterprise, status__in=OPEN)
    duplicates = (
        duplicates.filter(patent=patent)
        if patent
        else duplicates.filter(kind=DockingRequest.Kind.NEED, need=need, institution=institution)
    )
    if duplicates.exists():
        duplicate = duplicates.first()
        assert duplicate is not None  # it exists
        raise ConflictError(DUPLICATE_MESSAGE, {"docking": duplicate.pk})
    try:
        with transaction.atomic():
            docking = DockingRequest.objects.create(
                kind=kind,
                enterprise=enterprise,
                institution=institution,
                patent=patent,
                need=need,
                created_by=actor,
                message=message.strip(),
                **contact,
                submitted_at=now,
                expires_at=_expires_at(expires_on=expires_on, now=now),
            )
    except IntegrityError as exc:  # a concurrent submission committed first
        raise ConflictError(DUPLICATE_MESSAGE) from exc
    DockingEvent.objects.create(
        docking=docking, action="submit", from_status="", to_status=docking.status, actor=actor, at=now, note=message
    )
    audit_log_record(
        actor=actor, action="docking.submit", target=docking, detail={"kind": kind, "institution": institution.pk}
    )
    notification_send(
        recipients=_officers(institution_pk=institution.pk),
        kind=Notification.Kind.DOCKING,
        message_kind=DOCKING_SUBMITTED,
        params={"enterprise": enterprise.name, "subject": docking.subject_title, "note": docking.message},
        url=reverse("enterprises:docking_detail", args=[docking.pk]),
        docking=docking,
        now=now,
    )
    dashboard_cache_invalidate()
    return docking


def _illegal(*, docking: DockingRequest, action: DockingAction, allowed: list[str]) -> ConflictError:
    with translation.override("zh-hans"):
        status_label = str(DockingStatus(docking.status).label)
        action_label = str(ACTION_LABELS[action])
        allowed_labels = "、".join(str(ACTION_LABELS[DockingAction(a)]) for a in allowed) or "无"
    return ConflictError(
        f"当前状态“{status_label}”下您不能执行“{action_label}”，可执行：{allowed_labels} / "
        f"Action '{action}' is not allowed for you in state '{docking.status}'; "
        f"allowed: {', '.join(allowed) or 'none'}",
        {"status": docking.status, "action": str(action), "allowed": allowed},
    )


def _decline_values(*, reason: str, note: str) -> dict[str, Any]:
    if reason not in DeclineReason.values:
        raise ValidationError(
            {"decline_reason": [f"请选择婉拒原因（{', '.join(DeclineReason.values)}） / Choose a decline reason"]}
        )
    if reason == DeclineReason.OTHER and not note:
        raise ValidationError({"note": ["原因为“其他”时请填写说明 / Explain the reason when it is 'other'"]})
    return {"decline_reason": reason, "decline_note": note}


def _sign_values(
    *, transfer_mode: str, amount: Decimal | str | None, signed_date: date | None, submitted_on: date, now: datetime
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if transfer_mode not in TransferMode.values:
        errors["transfer_mode"] = ["请选择转化方式 / Choose the transfer mode"]
    try:
        value = Decimal(str(amount)) if amount not in (None, "") else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        errors["amount"] = ["请填写合同金额（不小于 0） / Enter the contract amount (0 or more)"]
    else:
        value = value.quantize(Decimal("0.01"))
    if signed_date is None:
        errors["signed_date"] = ["请填写签约日期 / Enter the signing date"]
    elif signed_date > timezone.localdate(now):
        errors["signed_date"] = ["签约日期不能晚于今天 / The signing date cannot be in the future"]
    elif signed_date < submitted_on:  # a deal cannot precede its request (0001-01-01 was counted in 合同金额)
        errors["signed_date"] = [
            f"签约日期不能早于对接请求的提交日期（{submitted_on:%Y-%m-%d}）/ "
            f"The signing date cannot be before the request was submitted ({submitted_on:%Y-%m-%d})"
        ]
    if errors:
        raise ValidationError(errors)
    return {"signed_mode": transfer_mode, "signed_amount": value, "signed_date": signed_date}


def docking_transition(
    *,
    docking: DockingRequest,
    action: str,
    actor: User | None,
    note: str = "",
    decline_reason: str = "",
    transfer_mode: str = "",
    amount: Decimal | str | None = None,
    signed_date: date | None = None,
    contract_file: UploadedFile | None = None,
    now: datetime | None = None,
) -> DockingRequest:
    """Move a docking request along one transition, by the party allowed to (actor None = the system).

    Someone who may not see the request gets NotFoundError (404); a visible but illegal move gets ConflictError
    (409) naming the actions allowed to that actor. Success records a DockingEvent, an audit entry and notifications.
    """
    try:
        act = DockingAction(action)
    except ValueError as exc:
        raise ValidationError(
            {"action": [f"未知动作 {action}（可选：{', '.join(DockingAction)}） / Unknown action {action}"]}
        ) from exc
    now = now or timezone.now()
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            DockingRequest.objects.select_for_update(of=("self",))
            .select_related("enterprise", "institution", "patent", "need")
            .get(pk=docking.pk)
        )
        party = docking_party(docking=locked, user=actor)
        if party is None:
            raise not_found()
        allowed = docking_allowed_actions(status=locked.status, party=party)
        if act not in allowed:
            raise _illegal(docking=locked, action=act, allowed=allowed)
        if act == DockingAction.EXPIRE and now < locked.expires_at:
            raise ConflictError("对接请求尚未到期 / The request has not reached its deadline", {"allowed": []})
        values: dict[str, Any] = {}
        contract_name = None
        if act == DockingAction.DECLINE:
            values = _decline_values(reason=decline_reason, note=note)
        elif act == DockingAction.SIGN:
            values = _sign_values(
                transfer_mode=transfer_mode,
                amount=amount,
                signed_date=signed_date,
                submitted_on=timezone.localdate(locked.submitted_at),
                now=now,
            )
            contract_name = contract_file_check(upload=contract_file) if contract_file else None
        from_status = locked.status
        values["status"] = TRANSITIONS[act].target
        if act in FIRST_RESPONSE_ACTIONS and locked.responded_at is None:
            values["responded_at"] = now
        if values["status"] in TERMINAL_STATUSES:
            values["closed_at"] = now
        for field, value in values.items():
            setattr(locked, field, value)
        if act == DockingAction.SIGN and contract_name and contract_file:
            locked.contract_file.save(contract_name, contract_file, save=False)
            values["contract_file"] = locked.contract_file
        locked.save(update_fields=[*values, "updated_at"])
        _record(docking=locked, action=act, from_status=from_status, actor=actor, note=note, now=now, party=party)
    dashboard_cache_invalidate()
    return locked


def _record(
    *,
    docking: DockingRequest,
    action: DockingAction,
    from_status: str,
    actor: User | None,
    note: str,
    now: datetime,
    party: DockingParty,
) -> None:
    """Event, audit entry and notifications of one transition."""
    DockingEvent.objects.create(
        docking=docking,
        action=str(action),
        from_status=from_status,
        to_status=docking.status,
        actor=actor,
        at=now,
        note=note,
    )
    detail: dict[str, Any] = {"from": from_status, "to": docking.status}
    if action == DockingAction.DECLINE:
        detail["decline_reason"] = docking.decline_reason
    if action == DockingAction.SIGN:
        detail.update(transfer_mode=docking.signed_mode, amount=str(docking.signed_amount))
    audit_log_record(actor=actor, action=f"docking.{action}", target=docking, detail=detail)
    members = list(docking.enterprise.members.all())
    officers = _officers(institution_pk=docking.institution_id)
    recipients = {
        DockingParty.ENTERPRISE: officers,
        DockingParty.INSTITUTION: members,
        DockingParty.SYSTEM: members + officers,
    }.get(party, [])
    notification_send(
        recipients=recipients,
        kind=Notification.Kind.DOCKING,
        message_kind=docking_status_kind(docking.status),
        params={"status": docking.status, "subject": docking.subject_title, "note": note},
        url=reverse("enterprises:docking_detail", args=[docking.pk]),
        docking=docking,
        now=now,
    )


def docking_expire_due(*, now: datetime | None = None) -> int:
    """Expire every open request past its deadline (the system's transition); returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for docking in DockingRequest.objects.filter(status__in=OPEN, expires_at__lte=now).order_by("pk"):
        try:
            docking_transition(docking=docking, action=DockingAction.EXPIRE, actor=None, now=now)
        except ConflictError:  # answered or withdrawn since it was listed
            continue
        expired += 1
    return expired

"""Self sign-up of an enterprise account and the bureau's review of new registrations.

The account's username is the enterprise's 统一社会信用代码 (as on government portals' 法人 sign-in), so sign-up
never takes a username and cannot reveal which usernames exist; that a code is registered is public record.
A new enterprise waits for the bureau's review before it may request docking. A code the imported enterprise
registry already holds (with the same name) files a claim of that enterprise instead, which grants nothing until
the bureau approves it or a claim code the bureau issued is presented (enterprises.services.claims).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, User
from accounts.services import user_create
from common.validators.uscc import UsccResult, UsccVerdict, validate_uscc
from core.cache_generation import dashboard_cache_invalidate
from core.errors import ConflictError
from core.models import City
from core.services import audit_log_record
from enterprises.models import Enterprise, EnterpriseClaim, Notification
from enterprises.notification_texts import REVIEW_APPROVED, REVIEW_PENDING, REVIEW_REJECTED
from enterprises.selectors.profile import enterprise_reviewers
from enterprises.services.claim_codes import claim_code_not_applicable
from enterprises.services.claims import claim_next_step, enterprise_claim_submit
from enterprises.services.notifications import notification_send

USCC_TAKEN_MESSAGE = (
    "该统一社会信用代码已注册，请使用本企业已有账号登录或联系平台管理员 / "
    "This unified social credit code is already registered: sign in with your enterprise's existing account "
    "or contact the platform administrator"
)
NAME_TAKEN_MESSAGE = (
    "已有企业以该名称注册，请核对企业名称与统一社会信用代码，或联系平台管理员 / "
    "An enterprise with this name is already registered: check the name and the code, or contact the platform "
    "administrator"
)
REGISTRY_NAME_MISMATCH_MESSAGE = (
    "企业名录中该统一社会信用代码登记的名称与填写的不一致，请按营业执照填写企业名称 / "
    "The enterprise registry holds this code under another name: enter the name on the business licence"
)
REJECTED_MESSAGE = (
    "该企业的注册已被知识产权局驳回，请联系知识产权局 / This enterprise's registration was rejected: contact the bureau"
)
CLAIMED_MESSAGE = (
    "该企业已被认领，认领已经知识产权局审核通过，请使用本企业已有账号登录；如认为认领有误，请联系知识产权局 / "
    "This enterprise was already claimed and the bureau approved the claim: sign in with your enterprise's account, "
    "or contact the bureau if you believe the claim is wrong"
)
NEW_REGISTRATION_NOTE = "新注册企业，待知识产权局核实 / New registration: waiting for the bureau's check"

NEXT_STEP_REVIEW = (
    "企业信息需知识产权局审核；审核通过前可以完善企业信息、发布技术需求、关注专利，但暂不能发起对接 / "
    "The bureau checks your enterprise's details; until it approves them you can complete the profile, publish needs "
    "and follow patents, but not request docking"
)


@dataclass(frozen=True)
class Registration:
    """What a sign-up created: the enterprise, the account, the code's verdict (valid or review) and, for an
    enterprise of the imported registry, the claim (pending, or approved at once with a claim code)."""

    enterprise: Enterprise
    user: User
    verdict: UsccVerdict
    claim: EnterpriseClaim | None = None
    other_pending_claims: int = 0  # other claims of the same enterprise waiting for the bureau

    @property
    def is_pending_claim(self) -> bool:
        return self.claim is not None and self.claim.status == EnterpriseClaim.Status.PENDING

    @property
    def verification(self) -> str:
        """The account's standing: "pending" while its claim waits, else the enterprise's verification."""
        return "pending" if self.is_pending_claim else self.enterprise.verification

    @property
    def next_step(self) -> str:
        """What happens next, Chinese then English."""
        if self.claim is not None:
            return claim_next_step(self.claim, rivals=self.other_pending_claims)
        return NEXT_STEP_REVIEW


def enterprise_uscc_check(*, uscc: str) -> UsccResult:
    """Validate a code typed by a person (lower case is upper-cased); raise a ValidationError naming the failed check.

    The strict validator treats lower-case letters as malformed because that is what it means in registration
    files; a person typing a code into a form meant the capital letter, so sign-up normalises the case.
    """
    result = validate_uscc(uscc, normalize_case=True)
    if result.verdict is UsccVerdict.INVALID:
        check = result.failed_check.value if result.failed_check else "invalid"
        raise ValidationError({"uscc": [ValidationError(result.message or "", code=f"uscc_{check}")]})
    return result


def _uscc_taken(*, code: str) -> bool:
    """The friendly early check; the unique constraints (code, username) guarantee one account per code."""
    return (
        Enterprise.objects.filter(uscc=code, members__isnull=False).exists()
        or User.objects.filter(username__iexact=code).exists()
    )


def _taken_message(*, code: str) -> str:
    """Why the code is taken: an approved claim of a registry enterprise, or an account registered under it."""
    claimed = EnterpriseClaim.objects.filter(enterprise__uscc=code, status=EnterpriseClaim.Status.APPROVED).exists()
    return CLAIMED_MESSAGE if claimed else USCC_TAKEN_MESSAGE


def _name_variants(name: str) -> set[str]:
    """The name as typed and with half-/full-width brackets swapped (营业执照 names use both)."""
    name = " ".join(name.split())
    return {name, name.replace("(", "（").replace(")", "）"), name.replace("（", "(").replace("）", ")")}


def _platform_city(city_code: str) -> City | None:
    return City.objects.filter(code=city_code, province_id=settings.PLATFORM_PROVINCE_CODE).first()


def _registration_errors(
    *, password: str, name: str, uscc: str, city_code: str, contact_email: str
) -> tuple[dict[str, list], UsccResult | None, City | None]:
    """Every field error at once, so a form shows them all; also the code's result and the city."""
    errors: dict[str, list] = {}
    result = None
    try:
        result = enterprise_uscc_check(uscc=uscc)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if not name.strip():
        errors["name"] = [ValidationError("请填写企业名称 / Enterprise name is required", code="required")]
    city = _platform_city(city_code)
    if city is None:
        errors["city"] = [ValidationError("请选择本省的城市 / Choose a city of the province", code="invalid_city")]
    username = result.normalized if result and result.normalized else uscc
    password_errors = _password_errors(password=password, user=User(username=username, email=contact_email))
    if password_errors:
        errors["password"] = [ValidationError(message, code="password") for message in password_errors]
    return errors, result, city


def _password_errors(*, password: str, user: User) -> list[str]:
    """Django's password validators' messages, Chinese then English (they translate only into the active language)."""

    def messages(language: str) -> list[str]:
        with translation.override(language):
            try:
                validate_password(password, user=user)
            except ValidationError as exc:
                return list(exc.messages)
        return []

    chinese = messages("zh-hans")
    if not chinese:
        return []
    # a message Django's Chinese catalogue lacks comes out in English twice: show it once
    return [zh if zh == en else f"{zh} / {en}" for zh, en in zip(chinese, messages("en"), strict=True)]


@transaction.atomic
def enterprise_register(
    *,
    password: str,
    name: str,
    uscc: str,
    city_code: str,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    claim_code: str = "",
    ip_address: str | None = None,
) -> Registration:
    """Create an enterprise account whose username is the code; the enterprise waits in the bureau's review queue.

    A code the imported registry holds (an enterprise without an account) with the same name files a claim of that
    enterprise instead (enterprises.services.claims): an account without a role, waiting for the bureau, or bound at
    once when `claim_code` is the enterprise's valid claim code. Refused with a ConflictError, writing nothing: a code
    that already has an account (also one committed at the same moment, caught by the unique constraints), a registry
    code under another name, a rejected enterprise, a name another enterprise already registered; with a
    ValidationError: a wrong, expired or used claim code, or one given for a code the registry does not hold.
    """
    errors, result, city = _registration_errors(
        password=password, name=name, uscc=uscc, city_code=city_code, contact_email=contact_email
    )
    if errors or result is None or result.normalized is None or city is None:
        raise ValidationError(errors)
    code = result.normalized
    if _uscc_taken(code=code):
        raise ConflictError(_taken_message(code=code), {"field": "uscc", "uscc": code})
    contact = {"contact_name": contact_name.strip(), "contact_phone": contact_phone.strip()}
    contact["contact_email"] = contact_email.strip()
    try:
        with transaction.atomic():
            registered = _registry_enterprise(code=code, name=name)
            if registered is not None:
                claim = enterprise_claim_submit(
                    enterprise=registered,
                    password=password,
                    claimed_name=name,
                    city=city,
                    contact_name=contact["contact_name"],
                    contact_phone=contact["contact_phone"],
                    contact_email=contact["contact_email"],
                    claim_code=claim_code,
                    ip_address=ip_address,
                )
            elif claim_code.strip():
                raise claim_code_not_applicable()
            else:
                enterprise = _enterprise_create(code=code, name=name, city=city, contact=contact, result=result)
    except IntegrityError as exc:  # another sign-up with this code committed after our check
        raise ConflictError(USCC_TAKEN_MESSAGE, {"field": "uscc", "uscc": code}) from exc
    if registered is not None:
        registered.refresh_from_db()
        others = registered.claims.filter(status=EnterpriseClaim.Status.PENDING).exclude(pk=claim.pk).count()
        return Registration(
            enterprise=registered, user=claim.claimant, verdict=result.verdict, claim=claim, other_pending_claims=others
        )
    try:
        with transaction.atomic():
            user = user_create(
                username=code,
                password=password,
                role=Role.ENTERPRISE,
                email=contact["contact_email"],
                first_name=contact["contact_name"],
                enterprise=enterprise,
            )
    except IntegrityError as exc:  # the same code's account committed by a concurrent sign-up
        raise ConflictError(USCC_TAKEN_MESSAGE, {"field": "uscc", "uscc": code}) from exc
    audit_log_record(
        actor=user,
        action="enterprise.register",
        target=enterprise,
        detail={"uscc": code, "verdict": str(result.verdict), "verification": enterprise.verification},
        ip_address=ip_address,
    )
    if not enterprise.is_verified:
        _notify_reviewers(enterprise=enterprise)
    dashboard_cache_invalidate()
    return Registration(enterprise=enterprise, user=user, verdict=result.verdict)


def _registry_enterprise(*, code: str, name: str) -> Enterprise | None:
    """The imported enterprise of this code (locked), None when the registry does not hold it; refused when it is
    listed under another name or was rejected."""
    registered = Enterprise.objects.select_for_update().filter(uscc=code).first()
    if registered is None:
        return None
    if registered.members.exists():
        raise ConflictError(_taken_message(code=code), {"field": "uscc", "uscc": code})
    if registered.name not in _name_variants(name):
        raise ConflictError(REGISTRY_NAME_MISMATCH_MESSAGE, {"field": "name", "uscc": code})
    if registered.verification == Enterprise.Verification.REJECTED:
        raise ConflictError(REJECTED_MESSAGE, {"field": "uscc", "uscc": code})
    return registered


def _enterprise_create(*, code: str, name: str, city: City, contact: dict[str, str], result: UsccResult) -> Enterprise:
    """A new enterprise, waiting for review; a name another enterprise holds is refused."""
    if Enterprise.objects.filter(name__in=_name_variants(name)).exists():
        raise ConflictError(NAME_TAKEN_MESSAGE, {"field": "name"})
    pilot_note = (result.message or "") if result.verdict is UsccVerdict.REVIEW else ""
    return Enterprise.objects.create(
        name=" ".join(name.split()),
        uscc=code,
        city=city,
        verification=Enterprise.Verification.REVIEW,
        verification_note=(pilot_note or NEW_REGISTRATION_NOTE)[:500],
        **contact,
    )


def _notify_reviewers(*, enterprise: Enterprise) -> None:
    notification_send(
        recipients=enterprise_reviewers(enterprise=enterprise),
        kind=Notification.Kind.REVIEW,
        message_kind=REVIEW_PENDING,
        params={"enterprise": enterprise.name, "uscc": enterprise.uscc, "note": enterprise.verification_note},
        url=reverse("enterprises:review_queue"),
    )


@transaction.atomic
def enterprise_review_decide(
    *, enterprise: Enterprise, reviewer: User, approve: bool, note: str = "", now: datetime | None = None
) -> Enterprise:
    """Approve (→ verified) or reject (→ rejected, a note is required) an enterprise waiting in the review queue.

    Callers fetch `enterprise` through enterprise_review_queue, which scopes it to the reviewer.
    """
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if locked.verification != Enterprise.Verification.REVIEW:
        raise ConflictError(
            "该企业不在待审核状态 / This enterprise is not waiting for review",
            {"verification": locked.verification},
        )
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": ["驳回时请填写原因 / A reason is required to reject"]})
    locked.verification = Enterprise.Verification.VERIFIED if approve else Enterprise.Verification.REJECTED
    locked.verification_note = note[:500] if note else locked.verification_note
    locked.reviewed_by = reviewer
    locked.reviewed_at = now or timezone.now()
    locked.save(update_fields=["verification", "verification_note", "reviewed_by", "reviewed_at", "updated_at"])
    audit_log_record(
        actor=reviewer,
        action="enterprise.review.approve" if approve else "enterprise.review.reject",
        target=locked,
        detail={"uscc": locked.uscc, "note": note},
    )
    notification_send(
        recipients=locked.members.all(),
        kind=Notification.Kind.REVIEW,
        message_kind=REVIEW_APPROVED if approve else REVIEW_REJECTED,
        params={"enterprise": locked.name, "note": note},
        url=reverse("enterprises:profile"),
        now=locked.reviewed_at,
    )
    return locked

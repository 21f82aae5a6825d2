"""Self sign-up through the service: the USCC test vectors, the review queue, duplicates and their race."""

import csv
import os
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Role, User
from core.errors import ConflictError
from core.models import AuditLog
from enterprises.models import Enterprise, Notification
from enterprises.selectors.profile import enterprise_review_queue
from enterprises.services import registration
from enterprises.services.registration import (
    NAME_TAKEN_MESSAGE,
    NEW_REGISTRATION_NOTE,
    REGISTRY_NAME_MISMATCH_MESSAGE,
    REJECTED_MESSAGE,
    USCC_TAKEN_MESSAGE,
    enterprise_register,
    enterprise_review_decide,
)
from tests.conftest import service_missing

VECTORS = list(csv.DictReader((Path(__file__).parent / "data" / "uscc.csv").open(encoding="utf-8")))
PILOT_NOTE = (
    "未通过 GB 32100 校验，但组织机构代码校验通过，可能是福建早期试点代码，需人工复核 / "
    "Fails the GB 32100 check but its organisation code is valid: possibly an early Fujian pilot code, "
    "needs manual review"
)
INVALID_MESSAGES = {
    "914403001922038217": (
        "uscc_check_character",
        "第 18 位校验码错误，应为 6 / Wrong check character (position 18), expected 6",
    ),
    "91440300192203821I": (
        "uscc_charset",
        "含有不允许的字符 I（只允许数字和大写字母，不含 I、O、S、V、Z） / Contains characters not allowed: I "
        "(digits and upper-case letters only, no I, O, S, V, Z)",
    ),
    "000000000000000000": (
        "uscc_registration_authority",
        "第 1 位登记管理部门代码 0 不存在 / Registration authority code 0 (position 1) does not exist",
    ),
}


def _register(uscc: str, **overrides):
    values = {
        "password": "Test-pass-2026",
        "name": "武汉新能源科技有限公司",
        "uscc": uscc,
        "city_code": "4201",
        "contact_name": "张敏",
        "contact_phone": "027-87654321",
        "contact_email": "zhangmin@example.cn",
    }
    values.update(overrides)
    return enterprise_register(**values)


def _written() -> tuple[int, int, int]:
    return Enterprise.objects.count(), User.objects.count(), AuditLog.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("row", VECTORS, ids=[f"{r['code']}-{r['expected']}" for r in VECTORS])
def test_uscc_vectors_through_signup(row, bureau):
    # given
    code, expected = row["code"], row["expected"]
    before = _written()
    # when / then
    if expected == "invalid":
        with pytest.raises(ValidationError) as raised:
            _register(code)
        error = raised.value.error_dict["uscc"][0]
        assert (error.code, error.message) == INVALID_MESSAGES[code]
        assert _written() == before
        return
    result = _register(code)
    enterprise = Enterprise.objects.get()
    if expected == "review":
        assert (result.verdict, enterprise.verification, enterprise.verification_note) == (
            "review",
            Enterprise.Verification.REVIEW,
            PILOT_NOTE,
        )
        assert list(enterprise_review_queue(user=bureau)) == [enterprise]
        assert list(Notification.objects.values_list("recipient__username", "title")) == [
            ("bureau", "企业注册待审核：武汉新能源科技有限公司")
        ]
    else:
        # valid, and the lower-case vector: a person typing a code meant the capital letter (documented decision);
        # a valid code is still only a well-formed one: the new enterprise waits for the bureau's check
        assert (result.verdict, enterprise.verification, enterprise.verification_note) == (
            "valid",
            "review",
            NEW_REGISTRATION_NOTE,
        )
        assert enterprise.uscc == code.upper()
        assert list(enterprise_review_queue(user=bureau)) == [enterprise]
    user = User.objects.get(username=code.upper())
    assert (user.role, user.enterprise, user.email, user.first_name) == (
        Role.ENTERPRISE,
        enterprise,
        "zhangmin@example.cn",
        "张敏",
    )
    assert user.groups.filter(name=Role.ENTERPRISE).exists()
    assert (enterprise.city.code, enterprise.contact_phone) == ("4201", "027-87654321")
    assert list(AuditLog.objects.values_list("action", "target_id", "detail")) == [
        (
            "enterprise.register",
            str(enterprise.pk),
            {"uscc": code.upper(), "verdict": str(result.verdict), "verification": "review"},
        )
    ]


@pytest.mark.django_db
def test_all_field_errors_come_back_together_and_nothing_is_written():
    # given
    before = _written()
    # when
    with pytest.raises(ValidationError) as raised:
        _register("91110108795101314G", password="123", name=" ", city_code="1101")
    # then
    assert sorted(raised.value.message_dict) == ["city", "name", "password"]
    assert raised.value.message_dict["city"] == ["请选择本省的城市 / Choose a city of the province"]
    assert raised.value.message_dict["name"] == ["请填写企业名称 / Enterprise name is required"]
    assert raised.value.message_dict["password"] == [
        "This password is too short. It must contain at least 8 characters.",  # not in Django's zh-hans catalogue
        "这个密码太常见了。 / This password is too common.",
        "密码只包含数字。 / This password is entirely numeric.",
    ]
    assert _written() == before


@pytest.mark.django_db
def test_second_registration_of_a_code_is_a_clear_conflict():
    # given
    _register("91110108795101314G")
    before = _written()
    # when
    with pytest.raises(ConflictError) as raised:
        _register("91110108795101314G", name="另一家公司")
    # then
    assert raised.value.message == USCC_TAKEN_MESSAGE
    assert raised.value.extra == {"field": "uscc", "uscc": "91110108795101314G"}
    assert _written() == before


@pytest.mark.django_db(transaction=True)
def test_duplicate_registration_racing_past_the_early_check_hits_the_constraint(monkeypatch):
    """Two transactional calls: the second's early check ran before the first committed (simulated stale)."""
    # given: the first sign-up committed
    _register("91110108795101314G")
    monkeypatch.setattr(registration, "_uscc_taken", lambda *, code: False)
    before = _written()
    # when
    with pytest.raises(ConflictError) as raised:
        _register("91110108795101314G", name="另一家公司")
    # then: the unique constraint answered, the savepoint rolled back, the outer transaction wrote nothing
    assert raised.value.message == USCC_TAKEN_MESSAGE
    assert _written() == before
    assert list(Enterprise.objects.values_list("uscc", "members__username")) == [
        ("91110108795101314G", "91110108795101314G")
    ]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_threads_registering_the_same_code_at_the_same_moment_yield_one_enterprise(monkeypatch):
    """Real concurrency on PostgreSQL: both pass the early check, then both insert; one wins, one gets a conflict."""
    if connection.vendor != "postgresql":
        # SQLite's shared in-memory test database answers a second writer with "table is locked" instead of
        # making it wait, so the race itself is only meaningful on PostgreSQL (the call sequence above runs there).
        service_missing(f"DATABASE_URL does not point at PostgreSQL ({os.environ.get('DATABASE_URL', 'unset')})")
    # given: both threads pass the early check before either inserts
    barrier = threading.Barrier(2, timeout=20)
    original = registration._uscc_taken

    def check_then_wait(*, code: str) -> bool:
        taken = original(code=code)
        barrier.wait()
        return taken

    monkeypatch.setattr(registration, "_uscc_taken", check_then_wait)
    outcomes: dict[str, object] = {}

    def sign_up(username: str) -> None:
        try:
            outcomes[username] = _register("91110108795101314G", name=f"武汉{username}科技有限公司")
        except ConflictError as exc:
            outcomes[username] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(name,)) for name in ("alpha", "beta")]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then
    conflicts = [o for o in outcomes.values() if isinstance(o, ConflictError)]
    winners = [name for name, o in outcomes.items() if not isinstance(o, ConflictError)]
    assert len(outcomes) == 2
    assert [c.message for c in conflicts] == [USCC_TAKEN_MESSAGE]
    assert Enterprise.objects.filter(uscc="91110108795101314G").count() == 1
    assert len(winners) == 1
    assert list(User.objects.filter(role=Role.ENTERPRISE).values_list("username", flat=True)) == ["91110108795101314G"]


@pytest.mark.django_db
def test_bureau_approves_a_flagged_registration_with_audit_and_notification(bureau):
    # given
    result = _register("91350211M0000XUF46")
    # when
    enterprise = enterprise_review_decide(
        enterprise=result.enterprise, reviewer=bureau, approve=True, note="已核实营业执照"
    )
    # then
    enterprise.refresh_from_db()
    assert (enterprise.verification, enterprise.verification_note, enterprise.reviewed_by) == (
        "verified",
        "已核实营业执照",
        bureau,
    )
    assert list(enterprise_review_queue(user=bureau)) == []
    audit = AuditLog.objects.get(action="enterprise.review.approve")
    assert (audit.actor, audit.target_id, audit.detail) == (
        bureau,
        str(enterprise.pk),
        {"uscc": "91350211M0000XUF46", "note": "已核实营业执照"},
    )
    assert list(Notification.objects.filter(recipient=result.user).values_list("title", flat=True)) == [
        "企业注册审核已通过：武汉新能源科技有限公司"
    ]


@pytest.mark.django_db
def test_rejecting_needs_a_reason_and_a_decided_registration_cannot_be_decided_again(bureau):
    # given
    result = _register("91350211M0000XUF46")
    audits = AuditLog.objects.count()
    # when: no reason
    with pytest.raises(ValidationError) as raised:
        enterprise_review_decide(enterprise=result.enterprise, reviewer=bureau, approve=False)
    # then
    assert raised.value.message_dict == {"note": ["驳回时请填写原因 / A reason is required to reject"]}
    assert Enterprise.objects.get().verification == "review"
    assert AuditLog.objects.count() == audits
    # when: rejected with a reason, then decided again
    enterprise_review_decide(enterprise=result.enterprise, reviewer=bureau, approve=False, note="代码与执照不符")
    with pytest.raises(ConflictError) as raised_again:
        enterprise_review_decide(enterprise=result.enterprise, reviewer=bureau, approve=True)
    # then
    assert raised_again.value.message == "该企业不在待审核状态 / This enterprise is not waiting for review"
    assert Enterprise.objects.get().verification == "rejected"
    assert list(AuditLog.objects.filter(action__startswith="enterprise.review").values_list("action", flat=True)) == [
        "enterprise.review.reject"
    ]


@pytest.mark.django_db
def test_city_bureau_reviews_only_its_own_city(city_bureau, wuhan):
    # given
    _register("91350211M0000XUF46")
    _register("91350100M0001TGQXM", name="宜昌新材料有限公司", city_code="4205")
    # when
    queue = enterprise_review_queue(user=city_bureau)
    # then
    assert [e.city_id for e in queue] == ["4201"]


@pytest.mark.django_db
def test_a_registry_enterprise_signed_up_by_code_and_name_is_a_pending_claim(wuhan, bureau):
    """The registry's code and name are public record: signing up with them neither joins the enterprise nor
    verifies it nor fills its contact; it files a claim that waits for the bureau and changes nothing."""
    # given the imported registry holds the code with the name (full-width brackets), no account yet
    listed = Enterprise.objects.create(name="武汉光谷（新能源）有限公司", uscc="91110108795101314G", city=wuhan)
    # when someone signs up with that code and name (half-width brackets)
    result = _register("91110108795101314G", name="武汉光谷(新能源)有限公司")
    # then a pending claim of the registry's enterprise, an account bound to nothing, the reviewers told
    listed.refresh_from_db()
    assert (result.enterprise.pk, result.verification, listed.verification, listed.contact_phone) == (
        listed.pk,
        "pending",
        "verified",
        "",
    )
    assert list(listed.claims.values_list("claimant__username", "claimed_name", "contact_phone", "status")) == [
        ("91110108795101314G-1", "武汉光谷(新能源)有限公司", "027-87654321", "pending")
    ]
    assert (result.user.role, result.user.enterprise_id, listed.members.count()) == ("", None, 0)
    assert Enterprise.objects.count() == 1
    assert list(Notification.objects.values_list("recipient__username", "title")) == [
        ("bureau", "企业认领待审核：武汉光谷（新能源）有限公司")
    ]
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["enterprise.claim.submit"]


@pytest.mark.django_db
def test_a_registry_code_under_another_name_is_refused(wuhan):
    # given the registry holds the code under its licence name
    Enterprise.objects.create(name="武汉光谷新能源有限公司", uscc="91110108795101314G", city=wuhan)
    before = _written()
    # when someone signs up with the code and another name
    with pytest.raises(ConflictError) as raised:
        _register("91110108795101314G", name="冒名科技有限公司")
    # then refused, nothing written
    assert (raised.value.message, raised.value.extra) == (
        REGISTRY_NAME_MISMATCH_MESSAGE,
        {"field": "name", "uscc": "91110108795101314G"},
    )
    assert _written() == before


@pytest.mark.django_db
def test_a_rejected_enterprise_cannot_be_claimed(wuhan):
    # given a registry enterprise the bureau rejected
    Enterprise.objects.create(
        name="武汉光谷新能源有限公司", uscc="91110108795101314G", city=wuhan, verification="rejected"
    )
    before = _written()
    # when it signs up
    with pytest.raises(ConflictError) as raised:
        _register("91110108795101314G", name="武汉光谷新能源有限公司")
    # then refused, nothing written
    assert raised.value.message == REJECTED_MESSAGE
    assert _written() == before


@pytest.mark.django_db
def test_a_name_another_enterprise_holds_is_refused(enterprise):
    # given 武汉瑞诚科技有限公司 is registered under its own code
    before = _written()
    # when another code signs up with the same name
    with pytest.raises(ConflictError) as raised:
        _register("91110108795101314G", name=" 武汉瑞诚科技有限公司 ")
    # then refused, nothing written
    assert (raised.value.message, raised.value.extra) == (NAME_TAKEN_MESSAGE, {"field": "name"})
    assert _written() == before

"""The docking state machine, exhaustively: every state × every action × every role, through the service.

Allowed moves succeed (new state, one event, one audit entry, notifications); every other combination raises
NotFoundError for someone who may not see the request and ConflictError for a party who may see it, and then
nothing at all has changed.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.errors import ConflictError
from core.models import AuditLog
from enterprises.docking import (
    TRANSITIONS,
    DockingAction,
    DockingParty,
    docking_action_label,
    docking_allowed_actions,
)
from enterprises.errors import NotFoundError
from enterprises.models import DockingEvent, DockingRequest, DockingStatus, Notification
from enterprises.services.docking import docking_transition

pytestmark = pytest.mark.django_db

ROLE_PARTY = {
    "member": DockingParty.ENTERPRISE,
    "officer": DockingParty.INSTITUTION,
    "system": DockingParty.SYSTEM,
    "bureau": DockingParty.OBSERVER,
    "city_bureau": DockingParty.OBSERVER,
    "admin": DockingParty.OBSERVER,
    "other_member": None,
    "other_officer": None,
}
PAYLOAD = {
    DockingAction.DECLINE: {"decline_reason": "price", "note": "报价高于预算"},
    DockingAction.SIGN: {"transfer_mode": "licence", "amount": Decimal("150000.00"), "signed_date": date(2026, 11, 20)},
}
# who is told about each party's move: the other side (the system tells both)
NOTIFIED = {DockingParty.ENTERPRISE: 1, DockingParty.INSTITUTION: 1, DockingParty.SYSTEM: 2}


def _snapshot(docking: DockingRequest) -> tuple:
    fresh = DockingRequest.objects.get(pk=docking.pk)
    return (
        fresh.status,
        fresh.responded_at,
        fresh.closed_at,
        fresh.decline_reason,
        fresh.signed_amount,
        fresh.updated_at,
        DockingEvent.objects.count(),
        AuditLog.objects.count(),
        Notification.objects.count(),
    )


def test_the_transition_table_is_the_one_specified():
    assert {action: (t.party, set(t.sources), t.target) for action, t in TRANSITIONS.items()} == {
        "accept": (DockingParty.INSTITUTION, {"submitted"}, "accepted"),
        "decline": (DockingParty.INSTITUTION, {"submitted", "accepted", "negotiating"}, "declined"),
        "negotiate": (DockingParty.INSTITUTION, {"accepted"}, "negotiating"),
        "sign": (DockingParty.INSTITUTION, {"negotiating"}, "signed"),
        "withdraw": (DockingParty.ENTERPRISE, {"submitted", "accepted", "negotiating"}, "withdrawn"),
        "expire": (DockingParty.SYSTEM, {"submitted", "accepted", "negotiating"}, "expired"),
    }


@pytest.mark.parametrize("role", list(ROLE_PARTY))
@pytest.mark.parametrize("action", list(DockingAction))
@pytest.mark.parametrize("status", list(DockingStatus))
def test_every_state_action_and_role(actors, make_docking, status, action, role):
    # given: a request in `status`, already past its deadline so that the system may expire it
    submitted = timezone.now() - timedelta(days=90)
    docking = make_docking(status=status, submitted_at=submitted, expires_at=submitted + timedelta(days=60))
    party = ROLE_PARTY[role]
    allowed = party is not None and TRANSITIONS[action].party == party and status in TRANSITIONS[action].sources
    before = _snapshot(docking)
    events, audits, notifications = before[-3:]
    # when / then
    if allowed:
        result = docking_transition(docking=docking, action=action, actor=actors[role], **PAYLOAD.get(action, {}))
        assert result.status == TRANSITIONS[action].target
        assert DockingRequest.objects.get(pk=docking.pk).status == TRANSITIONS[action].target
        event = DockingEvent.objects.get(docking=docking)
        assert (event.action, event.from_status, event.to_status, event.actor) == (
            action,
            status,
            TRANSITIONS[action].target,
            actors[role],
        )
        assert AuditLog.objects.count() == audits + 1
        assert AuditLog.objects.latest("pk").action == f"docking.{action}"
        assert Notification.objects.count() == notifications + NOTIFIED[party]
        assert DockingEvent.objects.count() == events + 1
    else:
        expected = NotFoundError if party is None else ConflictError
        with pytest.raises(expected) as raised:
            docking_transition(docking=docking, action=action, actor=actors[role], **PAYLOAD.get(action, {}))
        if expected is ConflictError:
            assert raised.value.extra == {
                "status": status,
                "action": action,
                "allowed": docking_allowed_actions(status=status, party=party),
            }
        assert _snapshot(docking) == before


def test_conflict_message_names_the_allowed_actions_in_both_languages(make_docking, enterprise_member):
    # given
    docking = make_docking(status=DockingStatus.ACCEPTED)
    # when
    with pytest.raises(ConflictError) as raised:
        docking_transition(docking=docking, action="sign", actor=enterprise_member)
    # then
    assert raised.value.message == (
        "当前状态“已受理”下您不能执行“签约”，可执行：撤回 / "
        "Action 'sign' is not allowed for you in state 'accepted'; allowed: withdraw"
    )


def test_expire_before_the_deadline_is_refused_and_changes_nothing(make_docking):
    # given
    docking = make_docking(status=DockingStatus.SUBMITTED)
    before = _snapshot(docking)
    # when
    with pytest.raises(ConflictError) as raised:
        docking_transition(docking=docking, action="expire", actor=None)
    # then
    assert raised.value.message == "对接请求尚未到期 / The request has not reached its deadline"
    assert _snapshot(docking) == before


def test_unknown_action_is_a_validation_error_and_changes_nothing(make_docking, officer):
    from django.core.exceptions import ValidationError

    # given
    docking = make_docking(status=DockingStatus.SUBMITTED)
    before = _snapshot(docking)
    # when
    with pytest.raises(ValidationError) as raised:
        docking_transition(docking=docking, action="approve", actor=officer)
    # then
    assert raised.value.message_dict == {
        "action": [
            "未知动作 approve（可选：accept, decline, negotiate, sign, withdraw, expire） / Unknown action approve"
        ]
    }
    assert _snapshot(docking) == before


def test_first_response_time_is_set_once_and_terminal_states_are_closed(make_docking, officer, enterprise_member):
    # given
    t0 = timezone.now() - timedelta(days=3)
    docking = make_docking(status=DockingStatus.SUBMITTED, submitted_at=t0)
    # when
    docking_transition(docking=docking, action="accept", actor=officer, now=t0 + timedelta(hours=5))
    docking_transition(docking=docking, action="negotiate", actor=officer, now=t0 + timedelta(hours=30))
    docking_transition(docking=docking, action="withdraw", actor=enterprise_member, now=t0 + timedelta(hours=50))
    # then
    docking.refresh_from_db()
    assert docking.responded_at == t0 + timedelta(hours=5)
    assert docking.closed_at == t0 + timedelta(hours=50)
    assert list(DockingEvent.objects.filter(docking=docking).values_list("action", "from_status", "to_status")) == [
        ("accept", "submitted", "accepted"),
        ("negotiate", "accepted", "negotiating"),
        ("withdraw", "negotiating", "withdrawn"),
    ]


@pytest.mark.parametrize(
    ("action", "status", "label"),
    [
        ("decline", "submitted", "婉拒"),
        ("decline", "accepted", "终止洽谈（未成交）"),
        ("decline", "negotiating", "终止洽谈（未成交）"),
        ("sign", "negotiating", "签约"),
        ("submit", "", "提交"),
    ],
)
def test_declining_after_acceptance_is_labelled_as_closing_a_failed_negotiation(action, status, label):
    with translation.override("zh-hans"):
        assert docking_action_label(action=action, status=status) == label

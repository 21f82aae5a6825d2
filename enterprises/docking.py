"""The docking state machine: which party may take which action from which state (no I/O here).

submitted ──accept──▶ accepted ──negotiate──▶ negotiating ──sign──▶ signed
    │                    │                        │
    ├────────────────────┴────────────────────────┴──decline (institution, with a reason)──▶ declined
    └──────────── withdraw (enterprise) / expire (system, past the deadline) ──▶ withdrawn / expired

Declining from accepted or negotiating closes a negotiation that failed; it takes the same structured reason.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from enterprises.models import DockingStatus


class DockingParty(StrEnum):
    """How a user relates to one docking request."""

    ENTERPRISE = "enterprise"  # a member of the requesting enterprise
    INSTITUTION = "institution"  # an officer of the institution asked
    SYSTEM = "system"  # scheduled tasks (no user)
    OBSERVER = "observer"  # may see the request (bureau, admin) but never act on it


class DockingAction(StrEnum):
    """Actions on a docking request; the values are what the API's `action` field takes."""

    ACCEPT = "accept"
    DECLINE = "decline"
    NEGOTIATE = "negotiate"
    SIGN = "sign"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


ACTION_LABELS = {
    DockingAction.ACCEPT: _("受理"),
    DockingAction.DECLINE: _("婉拒"),
    DockingAction.NEGOTIATE: _("开始洽谈"),
    DockingAction.SIGN: _("签约"),
    DockingAction.WITHDRAW: _("撤回"),
    DockingAction.EXPIRE: _("过期"),
    "submit": _("提交"),
}
# Declining once the request was accepted ends a negotiation that failed: the button says so.
CLOSE_FAILED_LABEL = _("终止洽谈（未成交）")


@dataclass(frozen=True)
class Transition:
    """An action's single allowed party, the states it may start from and the state it leads to."""

    party: DockingParty
    sources: tuple[str, ...]
    target: str


OPEN = (DockingStatus.SUBMITTED, DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING)

TRANSITIONS: dict[DockingAction, Transition] = {
    DockingAction.ACCEPT: Transition(DockingParty.INSTITUTION, (DockingStatus.SUBMITTED,), DockingStatus.ACCEPTED),
    DockingAction.DECLINE: Transition(DockingParty.INSTITUTION, OPEN, DockingStatus.DECLINED),
    DockingAction.NEGOTIATE: Transition(DockingParty.INSTITUTION, (DockingStatus.ACCEPTED,), DockingStatus.NEGOTIATING),
    DockingAction.SIGN: Transition(DockingParty.INSTITUTION, (DockingStatus.NEGOTIATING,), DockingStatus.SIGNED),
    DockingAction.WITHDRAW: Transition(DockingParty.ENTERPRISE, OPEN, DockingStatus.WITHDRAWN),
    DockingAction.EXPIRE: Transition(DockingParty.SYSTEM, OPEN, DockingStatus.EXPIRED),
}

# The first answer of the institution: the response time is measured up to it.
FIRST_RESPONSE_ACTIONS = frozenset({DockingAction.ACCEPT, DockingAction.DECLINE})
TERMINAL_STATUSES = frozenset(
    {DockingStatus.DECLINED, DockingStatus.SIGNED, DockingStatus.WITHDRAWN, DockingStatus.EXPIRED}
)


def docking_allowed_actions(*, status: str, party: DockingParty | None) -> list[str]:
    """Actions `party` may take from `status`, in a stable order (empty for observers and strangers)."""
    return [
        str(action)
        for action, transition in TRANSITIONS.items()
        if party is not None and transition.party == party and status in transition.sources
    ]


def docking_action_label(*, action: str, status: str) -> str:
    """The button label of `action` taken from `status` (declining an accepted request closes it as failed)."""
    if action == DockingAction.DECLINE and status != DockingStatus.SUBMITTED:
        return str(CLOSE_FAILED_LABEL)
    return str(ACTION_LABELS.get(action, action))

"""Every docking state × action × role through the API: allowed moves succeed, the others are 404 or 409 and write
nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditLog
from enterprises.models import DockingEvent, DockingRequest, DockingStatus, Notification

pytestmark = pytest.mark.django_db


# --- every state × action × role through the API ------------------------------------------------------

API_ROLES = ["member", "other_member", "officer", "other_officer", "bureau", "city_bureau", "admin"]
API_ALLOWED = {
    ("member", "withdraw"): {"submitted", "accepted", "negotiating"},
    ("officer", "accept"): {"submitted"},
    ("officer", "decline"): {"submitted", "accepted", "negotiating"},
    ("officer", "negotiate"): {"accepted"},
    ("officer", "sign"): {"negotiating"},
}
API_ALLOWED_FOR = {
    "member": {"submitted": ["withdraw"], "accepted": ["withdraw"], "negotiating": ["withdraw"]},
    "officer": {
        "submitted": ["accept", "decline"],
        "accepted": ["decline", "negotiate"],
        "negotiating": ["decline", "sign"],
    },
}
API_PAYLOAD = {
    "decline": {"decline_reason": "fit", "note": "与企业现有产线不匹配"},
    "sign": {"transfer_mode": "assignment", "amount": "90000", "signed_date": "2026-11-02"},
}
TARGET = {
    "accept": "accepted",
    "decline": "declined",
    "negotiate": "negotiating",
    "sign": "signed",
    "withdraw": "withdrawn",
}


@pytest.mark.parametrize("role", API_ROLES)
@pytest.mark.parametrize("action", ["accept", "decline", "negotiate", "sign", "withdraw", "expire"])
@pytest.mark.parametrize("status", list(DockingStatus))
def test_api_transition_matrix(client_for, actors, make_docking, status, action, role):
    # given: past its deadline, so only the missing system role keeps "expire" from anyone
    submitted = timezone.now() - timedelta(days=90)
    docking = make_docking(status=status, submitted_at=submitted, expires_at=submitted + timedelta(days=60))
    before = (DockingEvent.objects.count(), AuditLog.objects.count(), Notification.objects.count())
    # when
    response = client_for(actors[role]).post(
        reverse("enterprises-api:docking-transition", args=[docking.pk]),
        {"action": action, **API_PAYLOAD.get(action, {})},
        format="json",
    )
    # then
    if status in API_ALLOWED.get((role, action), set()):
        assert response.status_code == 200
        assert response.json()["status"] == TARGET[action]
        assert DockingRequest.objects.get(pk=docking.pk).status == TARGET[action]
        assert DockingEvent.objects.count() == before[0] + 1
        return
    if role in ("other_member", "other_officer"):
        assert response.status_code == 404
    else:
        assert response.status_code == 409
        assert response.json()["error"]["details"] == {
            "status": status,
            "action": action,
            "allowed": API_ALLOWED_FOR.get(role, {}).get(status, []),
        }
    assert DockingRequest.objects.get(pk=docking.pk).status == status
    assert (DockingEvent.objects.count(), AuditLog.objects.count(), Notification.objects.count()) == before

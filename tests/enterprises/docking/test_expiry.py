"""When docking requests expire: the scheduled expiry of open requests past their deadline, the default deadline,
and a deadline in the past refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.models import DockingEvent, DockingRequest, DockingStatus, Notification
from enterprises.services.docking import docking_expire_due, docking_request_create
from tests.enterprises.docking.helpers import NOW
from tests.enterprises.factories import PatentFactory

pytestmark = pytest.mark.django_db


def test_expire_due_expires_only_open_requests_past_their_deadline(
    make_docking, institution, enterprise_member, officer
):
    # given
    past = NOW - timedelta(days=61)
    due_submitted = make_docking(submitted_at=past, expires_at=NOW - timedelta(days=1))
    due_negotiating = make_docking(
        status=DockingStatus.NEGOTIATING,
        patent=PatentFactory(institution=institution),
        submitted_at=past,
        expires_at=NOW - timedelta(hours=1),
    )
    not_due = make_docking(
        patent=PatentFactory(institution=institution), submitted_at=NOW, expires_at=NOW + timedelta(days=1)
    )
    already_signed = make_docking(
        status=DockingStatus.SIGNED,
        patent=PatentFactory(institution=institution),
        submitted_at=past,
        expires_at=NOW - timedelta(days=1),
    )
    # when
    expired = docking_expire_due(now=NOW)
    # then
    assert expired == 2
    statuses = dict(DockingRequest.objects.values_list("pk", "status"))
    assert statuses == {
        due_submitted.pk: "expired",
        due_negotiating.pk: "expired",
        not_due.pk: "submitted",
        already_signed.pk: "signed",
    }
    assert list(DockingEvent.objects.values_list("docking", "action", "actor").order_by("docking")) == [
        (due_submitted.pk, "expire", None),
        (due_negotiating.pk, "expire", None),
    ]
    # the system tells both sides
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "member",
        "member",
        "officer_a",
        "officer_a",
    ]
    assert docking_expire_due(now=NOW) == 0


def test_expiry_defaults_to_the_setting(enterprise_member, pooled_patent, settings):
    # given
    settings.DOCKING_EXPIRY_DAYS = 10
    # when
    docking = docking_request_create(actor=enterprise_member, patent=pooled_patent, now=NOW)
    # then
    assert docking.expires_at == NOW + timedelta(days=10)


def test_a_deadline_in_the_past_is_refused(enterprise_member, pooled_patent):
    with pytest.raises(ValidationError) as raised:
        docking_request_create(actor=enterprise_member, patent=pooled_patent, expires_on=timezone.localdate())
    assert raised.value.message_dict == {"expires_on": ["有效期须晚于今天 / The deadline must be after today"]}
    assert DockingRequest.objects.count() == 0

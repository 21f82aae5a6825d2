"""The notifications API: private to their recipient, marked read one by one or all at once."""

import pytest
from django.urls import reverse

from enterprises.models import Notification
from enterprises.services.docking import docking_transition
from tests.enterprises.api.helpers import local_iso

pytestmark = pytest.mark.django_db


# --- notifications -----------------------------------------------------------------------------------


def test_notifications_are_private_and_can_be_marked_read(client_for, enterprise_member, officer, make_docking):
    # given
    docking = make_docking()
    docking_transition(docking=docking, action="accept", actor=officer)
    notification = Notification.objects.get()
    # when
    listed = client_for(enterprise_member).get(reverse("enterprises-api:notification-list")).json()
    foreign = client_for(officer).post(reverse("enterprises-api:notification-read", args=[notification.pk]))
    read = client_for(enterprise_member).post(reverse("enterprises-api:notification-read", args=[notification.pk]))
    read_all = client_for(enterprise_member).post(reverse("enterprises-api:notification-read-all"))
    # then
    assert listed["results"] == [
        {
            "pk": notification.pk,
            "kind": "docking",
            "message_kind": "docking.accepted",
            "params": {"status": "accepted", "subject": "一种高镍正极材料及其制备方法", "note": ""},
            "title": "对接请求已受理：一种高镍正极材料及其制备方法",
            "body": "",
            "url": reverse("enterprises:docking_detail", args=[docking.pk]),
            "docking": docking.pk,
            "created_at": local_iso(notification.created_at),
            "is_read": False,
        }
    ]
    assert foreign.status_code == 404
    assert (read.status_code, read.json()["is_read"]) == (200, True)
    assert read_all.json() == {"marked": 0}

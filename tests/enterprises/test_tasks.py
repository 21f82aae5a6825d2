"""Tasks are thin: they load by pk or list due rows, call one service, and tolerate missing rows."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from enterprises.models import DockingRequest, Notification
from enterprises.tasks import docking_expire_due_task, notification_email_task

pytestmark = pytest.mark.django_db


def test_expire_task_expires_requests_past_their_deadline(make_docking):
    # given
    submitted = timezone.now() - timedelta(days=61)
    due = make_docking(submitted_at=submitted, expires_at=submitted + timedelta(days=60))
    # when
    expired = docking_expire_due_task()
    # then
    assert expired == 1
    assert DockingRequest.objects.get(pk=due.pk).status == "expired"


def test_email_task_sends_each_notification_once_and_ignores_missing_ones(enterprise_member):
    # given
    enterprise_member.email = "member@ruicheng.example.cn"
    enterprise_member.save()
    notification = Notification.objects.create(recipient=enterprise_member, kind="docking", title="对接请求已受理")
    # when
    first = notification_email_task([notification.pk, 999_999])
    second = notification_email_task([notification.pk])
    # then
    assert (first, second) == (1, 0)
    assert [m.subject for m in mail.outbox] == ["[专利盘活对接平台] 对接请求已受理"]


def test_management_command_expires_due_requests(make_docking):
    from io import StringIO

    from django.core.management import call_command

    # given
    submitted = timezone.now() - timedelta(days=61)
    due = make_docking(submitted_at=submitted, expires_at=submitted + timedelta(days=60))
    out = StringIO()
    # when
    call_command("docking_expire", stdout=out)
    # then
    assert out.getvalue() == "已过期 / expired: 1\n"
    assert DockingRequest.objects.get(pk=due.pk).status == "expired"

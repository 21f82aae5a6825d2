"""In-app notifications; each is also e-mailed (after commit, by a task) when the recipient has an address. The task
is the one registered on enterprises.hooks.notification_emails (enterprises.tasks calls this module; this module
imports no task module).

A notification stores its kind and parameters and is read in the reader's language (enterprises.notification_texts);
its e-mail is written in the recipient's.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from common.validators.text import header_safe
from enterprises.errors import not_found
from enterprises.hooks import notification_emails
from enterprises.models import DockingRequest, Notification
from enterprises.notification_texts import notification_text


def recipient_language(user: User) -> str:
    """The language a user's e-mails are written in: users carry no language preference, so the platform's own
    (zh-hans, settings.LANGUAGE_CODE) — whatever language the person whose action caused the mail was reading."""
    return settings.LANGUAGE_CODE


def notification_send(
    *,
    recipients: Iterable[User],
    kind: str,
    message_kind: str = "",
    params: Mapping[str, Any] | None = None,
    title: str = "",
    body: str = "",
    url: str = "",
    docking: DockingRequest | None = None,
    now: datetime | None = None,
    email: bool = True,
) -> list[Notification]:
    """Create one notification per distinct active recipient and queue their e-mails once the transaction commits
    (`email` False: no e-mail of its own — the caller mails a digest, as the saved-search alerts do).

    `message_kind` and `params` (enterprises.notification_texts.KINDS) make its text in the reader's language; the
    Chinese text is also stored as `title` and `body`. Without a kind, `title` and `body` are the text as given.
    """
    params = dict(params or {})
    if message_kind:
        with translation.override(settings.LANGUAGE_CODE):
            title, body = notification_text(message_kind=message_kind, params=params, title=title, body=body)
    created: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        created.append(
            Notification.objects.create(
                recipient=recipient,
                kind=kind,
                message_kind=message_kind,
                params=params,
                title=title[:200],
                body=body,
                url=url[:300],
                docking=docking,
                created_at=now or timezone.now(),
            )
        )
    if created and email:
        transaction.on_commit(partial(notification_emails.registered().delay, [n.pk for n in created]))
    return created


def notification_emails_send(*, notification_pks: list[int], now: datetime | None = None) -> int:
    """E-mail the given notifications not yet e-mailed whose recipients have an address; returns how many went out."""
    sent = 0
    pending = Notification.objects.select_related("recipient").filter(pk__in=notification_pks, emailed_at__isnull=True)
    for notification in pending:
        address = notification.recipient.email
        if not address:
            continue
        with translation.override(recipient_language(notification.recipient)):
            title, body = notification_text(
                message_kind=notification.message_kind,
                params=notification.params or {},
                title=notification.title,
                body=notification.body,
            )
            subject = f"[{gettext('专利盘活对接平台')}] {title}"
        if notification.url:  # stored as a path for the in-app list; a mail reader needs the whole address
            link = settings.SITE_URL + notification.url if notification.url.startswith("/") else notification.url
            body = f"{body}\n\n{link}" if body else link
        EmailMessage(
            subject=header_safe(subject),  # titles quote user input
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        ).send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=now or timezone.now())
        sent += 1
    return sent


def notification_mark_read(*, notification: Notification, user: User, now: datetime | None = None) -> Notification:
    """Mark one of `user`'s notifications read (idempotent); callers fetch it through notification_list."""
    if notification.recipient_id != user.pk:
        raise not_found()
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())

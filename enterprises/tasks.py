"""Thin Celery tasks for enterprises: e-mail notifications, expire docking requests past their deadline.

The services never import this module: they queue its tasks through enterprises.hooks (enterprises.apps registers
them), so the tasks import the services at the top and there is no import cycle.
"""

import logging
import smtplib

from celery import shared_task
from django.db import OperationalError

from enterprises.services.docking import docking_expire_due
from enterprises.services.notifications import notification_emails_send
from enterprises.services.review_notices import review_notices_send

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OperationalError, ConnectionError, smtplib.SMTPException), retry_backoff=True, max_retries=5
)
def notification_email_task(notification_pks: list[int]) -> int:
    """E-mail freshly created notifications (already e-mailed ones are skipped, so a retry sends no duplicates)."""
    return notification_emails_send(notification_pks=notification_pks)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def docking_expire_due_task() -> int:
    """Expire open docking requests past their deadline; meant for celery beat (e.g. hourly)."""
    expired = docking_expire_due()
    if expired:
        logger.info("expired %s docking requests", expired)
    return expired


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def review_notices_task(patent_pk: int, event: str, actor_pk: int | None, comment: str = "") -> int:
    """Notify the next reviewers or the submitter of a patent's move on the review chain (patents.review)."""
    return len(review_notices_send(patent_pk=patent_pk, event=event, actor_pk=actor_pk, comment=comment))

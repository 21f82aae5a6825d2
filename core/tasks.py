"""Infrastructure tasks: a health ping that proves a worker reached the database, the stalled-work sweep."""

import logging
import socket

from celery import shared_task
from django.conf import settings

from core.jobs import stalled_work_redispatch
from core.models import Province

logger = logging.getLogger(__name__)


@shared_task(name="core.stalled_work_redispatch_task")
def stalled_work_redispatch_task() -> dict[str, int]:
    """Celery beat: re-send matching runs and imports that stopped moving (their broker message was lost)."""
    return stalled_work_redispatch(seconds=settings.RECOVERY_STALLED_SECONDS)


@shared_task(name="core.health_ping_task")
def health_ping_task(token: str) -> dict:
    """Echo the token with the worker's host and the number of provinces it can read."""
    return {"token": token, "hostname": socket.gethostname(), "provinces": Province.objects.count()}

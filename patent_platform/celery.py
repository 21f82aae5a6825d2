"""Celery application; tasks are discovered from every installed app's tasks.py."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")

app = Celery("patent_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _recover_after_a_crash(sender=None, **kwargs) -> None:  # noqa: ANN001 - Celery signal signature
    """A starting worker re-queues what a killed one held, instead of waiting for the broker's visibility timeout."""
    from django.db import DatabaseError

    from imports.services import import_jobs_redispatch
    from matching.services import match_runs_redispatch

    try:
        logger.info(
            "recovery: re-sent %s match tasks, %s import jobs", match_runs_redispatch(), import_jobs_redispatch()
        )
    except DatabaseError as exc:  # a worker must still start when the database is briefly unavailable
        logger.warning("recovery skipped: %s", exc)

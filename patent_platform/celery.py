"""Celery application; tasks are discovered from every installed app's tasks.py."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")

app = Celery("patent_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _recover_after_a_crash(sender=None, **kwargs) -> None:  # noqa: ANN001 - Celery signal signature
    """A starting worker re-queues what a killed one held, instead of waiting for the broker's visibility timeout."""
    # deferred: this module is imported by patent_platform/__init__.py before Django's apps are loaded
    from django.db import DatabaseError

    from core.jobs import stalled_work_redispatch  # deferred: as above

    try:
        logger.info("recovery: re-sent %s", stalled_work_redispatch(seconds=None))
    except DatabaseError as exc:  # a worker must still start when the database is briefly unavailable
        logger.warning("recovery skipped: %s", exc)


@worker_process_init.connect
def _matching_kernels_warm_up(**kwargs) -> None:
    """Each worker process compiles (or loads from NUMBA_CACHE_DIR) the matching kernels before its first chunk."""
    from matching.engine import kernels_warm_up  # deferred: Django's apps are loaded only in the worker process

    kernels_warm_up()

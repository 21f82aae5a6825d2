"""The generation of the counted data: the dashboards key their cached figures by it, and every service that writes
rows the figures count (patents, enterprises, follows, needs, docking requests, claims, the IPC concordance) moves it
on. It lives here, below every writer, so a writer in any app imports it downwards (no layer exception).

Moving it on never fails a write: the figures are a cache, the write is the truth. With the cache backend (Redis)
down, the bump is logged and skipped; the figures cached before the outage then live at most
DASHBOARD_CACHE_SECONDS (a Redis restarted without persistence has lost them anyway).
"""

import logging
from typing import cast

import redis.exceptions
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
CACHE_VERSION_KEY = "dashboards:version"
# what a cache backend that cannot be reached raises (Django's Redis backend lets redis-py's errors through)
CACHE_UNAVAILABLE = (redis.exceptions.RedisError, OSError)


def dashboard_cache_version() -> int:
    """The current cache generation; `dashboard_cache_invalidate` moves it on."""
    return cast(int, cache.get_or_set(CACHE_VERSION_KEY, 1, timeout=None))  # never None: the default is stored


def dashboard_cache_invalidate() -> None:
    """Move the cache generation on, so every cached figure is recomputed on next read.

    Every service that writes rows the figures count calls it; writes outside services (shell, migrations) show up
    after DASHBOARD_CACHE_SECONDS. Called now and again after commit: a read racing the writing transaction could
    otherwise cache old figures under the new generation. A cache that cannot be reached is logged, not raised.
    """

    def bump() -> None:
        try:
            try:
                cache.incr(CACHE_VERSION_KEY)
            except ValueError:  # key missing (evicted or never read): start a fresh generation
                cache.set(CACHE_VERSION_KEY, 2, timeout=None)
        except CACHE_UNAVAILABLE as exc:
            logger.warning(
                "dashboard cache generation not moved on (%s: %s): cached figures may lag for up to %s s",
                type(exc).__name__,
                exc,
                settings.DASHBOARD_CACHE_SECONDS,
            )

    bump()
    transaction.on_commit(bump)

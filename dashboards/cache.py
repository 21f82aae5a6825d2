"""The dashboards' cache generation: cached figures are keyed by it, services that write move it on."""

from typing import cast

from django.conf import settings
from django.core.cache import cache

CACHE_VERSION_KEY = "dashboards:version"


def cache_seconds() -> int:
    """How long computed figures stay cached (setting DASHBOARD_CACHE_SECONDS; writes invalidate sooner)."""
    return int(settings.DASHBOARD_CACHE_SECONDS)


def dashboard_cache_version() -> int:
    """The current cache generation; `dashboards.services.dashboard_cache_invalidate` moves it on."""
    return cast(int, cache.get_or_set(CACHE_VERSION_KEY, 1, timeout=None))  # never None: the default is stored

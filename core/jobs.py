"""Recovery of background work whose broker message was lost (a Redis restarted without persistence, a crash
between the database commit and the publish): anything unfinished that made no progress for a while is sent again.

Re-sending is safe because every task involved is idempotent and serialises on a row lock; the cost of a false
alarm (work that was merely slow) is a duplicate message that finds its work done or waits for the lock.
The memory of "what did it look like last time" lives in the cache: after a cache loss (Redis restarted), the first
sweep only records, the next one acts.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)


def unchanged_for(*, key: str, state: Any, seconds: float) -> bool:
    """True when `state` has been the same at every call for at least `seconds` (then the clock restarts, so work
    that stays stuck is re-sent once per `seconds`, not at every sweep)."""
    now = time.time()
    cache_key = f"recovery:{key}"
    seen = cache.get(cache_key)
    if seen is None or seen[0] != state:
        cache.set(cache_key, (state, now), timeout=int(max(3600, 4 * seconds)))
        return False
    if now - seen[1] < seconds:
        return False
    cache.set(cache_key, (state, now), timeout=int(max(3600, 4 * seconds)))
    return True


def stalled_work_redispatch(*, seconds: float) -> dict[str, int]:
    """Re-send the matching runs and import jobs that made no progress for `seconds`."""
    from imports.services import import_jobs_redispatch
    from matching.services import match_runs_redispatch

    sent = {
        "match_tasks": match_runs_redispatch(stalled_for=seconds),
        "import_jobs": import_jobs_redispatch(stalled_for=seconds),
    }
    if any(sent.values()):
        logger.warning("recovery: re-sent stalled work %s", sent)
    return sent

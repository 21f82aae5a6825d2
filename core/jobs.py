"""Background work at the bottom of the stack: queueing a task after commit (`task_send`) and the recovery of work
whose broker message was lost.

Recovery of background work whose broker message was lost (a Redis restarted without persistence, a crash
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

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerError

from core.errors import ServiceUnavailableError

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


def task_send(task: Any, *args: Any, critical: bool = True) -> None:
    """Queue a task after the surrounding transaction commits; a broker that is down becomes a 'try again'.

    `critical=False` is for follow-up work that a later run redoes anyway (re-ranking): it is logged, not raised.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except (BrokerError, ConnectionError, OSError) as exc:
            logger.warning("broker unavailable for %s: %s", task.name, exc)
            if not critical:
                return
            raise ServiceUnavailableError(
                "后台任务服务暂时不可用，请稍后重试 / the task queue is unavailable, try again"
            ) from exc

    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(send, robust=False)
    else:
        send()


def stalled_work_redispatch(*, seconds: float | None) -> dict[str, int]:
    """Re-send the unfinished work of every sweeper in RECOVERY_SWEEPERS (name -> dotted path of a function taking
    `stalled_for`): what made no progress for `seconds`, or everything unfinished when `seconds` is None (a worker
    starting). The apps that own the work are named in settings, so this module imports none of them."""
    sent = {name: import_string(path)(stalled_for=seconds) for name, path in settings.RECOVERY_SWEEPERS.items()}
    if any(sent.values()):
        logger.warning("recovery: re-sent stalled work %s", sent)
    return sent

"""Background work at the bottom of the stack: queueing a task after commit (`task_send`), the hooks by which a lower
layer queues a task a higher one provides (`TaskHook`), and the recovery of work whose broker message was lost.

Registration, not settings: the app that owns a task or a sweeper hands it over in its AppConfig.ready() — an import
from the higher layer downwards, which import-linter sees — so no module here imports an app above it and no dotted
path in settings hides a link between layers.

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
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from core.errors import ServiceUnavailableError

logger = logging.getLogger(__name__)
# a sweeper re-sends the stalled work of one app and returns how many tasks it sent (`stalled_for`: see below)
Sweeper = Callable[..., int]
_SWEEPERS: dict[str, Sweeper] = {}


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


class TaskHook:
    """A task a module queues without importing it: the app that provides it registers it at start-up
    (`AppConfig.ready`). A lower layer tells a higher one about a change this way (patents.hooks, enterprises.hooks),
    and a services module queues its own app's task without importing the tasks module that calls it back
    (enterprises.hooks): no import runs up the layers, no import cycle."""

    def __init__(self, *, what: str) -> None:
        self.what = what
        self.task: Any = None

    def register(self, *, task: Any) -> None:
        """Hand over the task (a Celery task, or anything with `delay` and `name`); a second call replaces it."""
        self.task = task

    def registered(self) -> Any:
        """The registered task; ImproperlyConfigured when no app registered one (a missing `ready()`)."""
        if self.task is None:
            raise ImproperlyConfigured(f"no task registered for {self.what!r}: an AppConfig.ready() registers it")
        return self.task

    def send(self, *args: Any, critical: bool = True) -> None:
        """Queue the registered task after commit, as `task_send` does."""
        task_send(self.registered(), *args, critical=critical)


def register_sweeper(*, name: str, sweeper: Sweeper) -> None:
    """Add the stalled-work sweep of an app (called from its AppConfig.ready()): `sweeper(stalled_for=seconds)`
    re-sends what made no progress for that long (None: everything unfinished) and returns how many tasks it sent."""
    _SWEEPERS[name] = sweeper


def registered_sweepers() -> dict[str, Sweeper]:
    """The sweepers the apps registered, by name."""
    return dict(_SWEEPERS)


def stalled_work_redispatch(*, seconds: float | None) -> dict[str, int]:
    """Re-send the unfinished work of every registered sweeper (`register_sweeper`): what made no progress for
    `seconds`, or everything unfinished when `seconds` is None (a worker starting). The apps that own the work
    register their sweepers, so this module imports none of them."""
    sent = {name: sweeper(stalled_for=seconds) for name, sweeper in _SWEEPERS.items()}
    if any(sent.values()):
        logger.warning("recovery: re-sent stalled work %s", sent)
    return sent

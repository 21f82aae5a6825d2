"""The tasks enterprises' services queue without importing them (each registered in an AppConfig.ready()):

- `need_changed`: an enterprise's need was created, edited, closed or reopened; queued with the enterprise's id after
  commit, never critical (matching.apps registers the task that ranks the enterprise at once; matching sits above);
- `notification_emails`: e-mail freshly created notifications; queued with their ids after commit
  (enterprises.apps registers enterprises.tasks.notification_email_task: the task module imports the services, the
  services never import it, so there is no import cycle).

and `need_ranking`, not a task: the needs hall's ranking, which the needs API lists for officers (NeedRankingHook).
"""

from collections.abc import Callable
from typing import Any

from core.jobs import TaskHook

need_changed = TaskHook(what="an enterprise's technology needs changed")
notification_emails = TaskHook(what="e-mail new notifications")


class NeedRankingHook:
    """The needs hall's ranking, which the needs API lists for officers and bureau staff (matching.apps registers
    matching.reading.needs_hall's; matching sits above): `order_by_best(user=, needs=)` orders needs by the best
    patent of the caller's pool, `matches(user=, needs=)` gives each need's best patents as plain rows
    ({patent, application_number, title, institution, score, terms}) by the need's pk."""

    def __init__(self) -> None:
        self.order_by_best: Callable[..., list[Any]] | None = None
        self.matches: Callable[..., dict[int, list[dict[str, Any]]]] | None = None

    def register(
        self,
        *,
        order_by_best: Callable[..., list[Any]],
        matches: Callable[..., dict[int, list[dict[str, Any]]]],
    ) -> None:
        self.order_by_best, self.matches = order_by_best, matches


need_ranking = NeedRankingHook()

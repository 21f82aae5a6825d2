from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def match_runs_sweep(*, stalled_for: float | None) -> int:
    """The stalled-work sweep of matching runs (core.jobs): matching.runs.recover.match_runs_redispatch."""
    from matching.runs.recover import match_runs_redispatch  # deferred: numpy, scipy, numba load only when a sweep runs

    return match_runs_redispatch(stalled_for=stalled_for)


def patent_matching_facts(*, user: Any, patent: Any) -> dict[str, Any]:
    """A patent's similar patents and matched enterprises (patents.hooks.patent_detail_facts):
    matching.reading.similar.patent_matching_facts."""
    from matching.reading.similar import patent_matching_facts as facts  # deferred, as the sweep

    return facts(user=user, patent=patent)


def needs_order_by_best(**kwargs: Any) -> list[Any]:
    """The needs API's order by best match (enterprises.hooks.need_ranking): matching.reading.needs_hall's."""
    from matching.reading.needs_hall import hall_order_by_best  # deferred: the engine loads when a list asks

    return hall_order_by_best(**kwargs)


def needs_match_rows(**kwargs: Any) -> dict[int, list[dict[str, Any]]]:
    """Each need's best patents for the needs API (enterprises.hooks.need_ranking): matching.reading.needs_hall's."""
    from matching.reading.needs_hall import hall_match_rows

    return hall_match_rows(**kwargs)


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "matching"
    verbose_name = _("智能匹配")

    def ready(self) -> None:
        """Hand matching's tasks to the layers below (a changed need, a changed pool), its sweep to core's recovery and
        its facts to a patent's page: imports downwards, no dotted path in settings."""
        # deferred: AppConfig.ready, once the models are loaded
        from core.jobs import register_sweeper
        from enterprises.hooks import need_changed, need_ranking
        from matching.tasks import match_enterprise_now_task, patents_changed_task
        from patents.hooks import patent_detail_facts, pool_changed

        need_changed.register(task=match_enterprise_now_task)
        pool_changed.register(task=patents_changed_task)
        register_sweeper(name="match_tasks", sweeper=match_runs_sweep)
        patent_detail_facts.register(name="matching", provider=patent_matching_facts)
        need_ranking.register(order_by_best=needs_order_by_best, matches=needs_match_rows)

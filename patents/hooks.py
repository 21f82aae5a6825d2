"""What patents tells the layers above about its changes without importing them: each hook holds the task a higher
app registers in its AppConfig.ready() (matching.apps). Queued after commit, never critical: a later run redoes it."""

from collections.abc import Callable
from typing import Any

from core.jobs import TaskHook

# patents were pooled, withdrawn or edited: queued with their ids (matching re-ranks the enterprises whose stored
# recommendation lists they now enter)
pool_changed = TaskHook(what="patents pooled, withdrawn or edited")


class DetailFacts:
    """What a higher app adds to a patent's page and its API detail (matching: the similar pooled patents and, for
    the roles allowed, the number of matched enterprises), registered in its AppConfig.ready(): the page and the API
    read the same figures, and patents imports nothing above it."""

    def __init__(self) -> None:
        self._providers: dict[str, Callable[..., dict[str, Any]]] = {}

    def register(self, *, name: str, provider: Callable[..., dict[str, Any]]) -> None:
        """`provider(user=..., patent=...)` returns JSON-ready facts; a second registration of `name` replaces it."""
        self._providers[name] = provider

    def collect(self, *, user: Any, patent: Any) -> dict[str, Any]:
        """The facts of every registered provider about `patent` as `user` may see them (empty when none)."""
        facts: dict[str, Any] = {}
        for provider in self._providers.values():
            facts.update(provider(user=user, patent=patent))
        return facts


patent_detail_facts = DetailFacts()


# a patent moved on the review chain (patents.review): queued with (patent id, event, actor id, comment) after commit;
# enterprises registers the task that notifies the next reviewers or the submitter (the notifications live there)
review_moved = TaskHook(what="a patent moved on the review chain")

"""The current run's index, live: patents pooled, edited or withdrawn since the run read its patents are folded into
it (matching.engine.extend) the next time a reader asks, so a patent pooled now is searchable and recommendable at
once instead of after the next full run.

Nothing is queued and nothing is written: a patent's `updated_at` moves with every change that matters (pooling,
withdrawal, an edit, a re-import), so each process compares the newest `updated_at` since the run with what it
folded last (one aggregate per read over the index on updated_at: the changes since the run only) and folds only
the patents changed since then, reading their state now — pooled and valid: added with their current text
(replacing the old row); anything else: removed. Each process keeps one live index (the current run's); the run's
own artifact is untouched, and the next full run starts from the database again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from matching.engine import MatchIndex, PatentText, index_apply, index_pivot, patent_tokens_many
from matching.models import MatchRun
from matching.runs.artifacts import run_artifacts
from matching.runs.prepare import matchable_patents
from matching.runs.tokens import WEIGHTS, patent_ipc_subclasses
from patents.models import Patent


@dataclass
class _Live:
    key: tuple[int, str]
    index: MatchIndex
    pivot: float
    version: tuple[datetime | None, int] = (None, 0)
    folded: dict[int, datetime] = field(default_factory=dict)  # patent id -> the updated_at folded in


_state: _Live | None = None
_lock = threading.Lock()


def live_since(run: MatchRun) -> datetime:
    # the run read its patents after it started: a change from then on may or may not be in its index, so it is
    # folded again (idempotent: the row is rebuilt from the patent's current state)
    return run.started_at or run.created_at


def live_index(run: MatchRun) -> MatchIndex:
    """`run`'s index with every patent change since the run folded in (the run's own index when there is none)."""
    return live_index_versioned(run)[0]


def live_index_versioned(run: MatchRun) -> tuple[MatchIndex, str]:
    """The live index and its version (the same in every process for the same changes): a cached search ranking
    keyed by it is not served once a patent changed."""
    global _state
    base, _, _ = run_artifacts(run)
    since = live_since(run)
    version = _changes_since(since)
    label = f"{version[0].isoformat() if version[0] else '-'}/{version[1]}"
    key = (run.pk, run.created_at.isoformat())
    state = _state
    if state is not None and state.key == key and state.version == version:
        return state.index, label
    if not version[1]:
        return base, label
    with _lock:
        state = _state
        if state is None or state.key != key:
            state = _Live(key=key, index=base, pivot=index_pivot(base))
        if state.version != version:
            state = _fold(state, since=since, version=version)
        _state = state
    return state.index, label


def _changes_since(since: datetime) -> tuple[datetime | None, int]:
    """The newest `updated_at` among the patents changed since `since` and how many there are: the version a reader
    checks on every search. The same aggregate as
    `Patent.objects.filter(updated_at__gte=since).aggregate(Max("updated_at"), Count("*"))` and the same values, as
    one fixed statement: the ORM's building of that query cost several times the query itself."""
    connection = connections[router.db_for_read(Patent) or DEFAULT_DB_ALIAS]  # where the ORM would read
    quote = connection.ops.quote_name
    column = quote(str(Patent._meta.get_field("updated_at").column))
    sql = f"SELECT MAX({column}), COUNT(*) FROM {quote(Patent._meta.db_table)} WHERE {column} >= %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(since)])
        latest, n = cursor.fetchone()
    if isinstance(latest, str):  # SQLite answers text; converted as the ORM's datetime converter does
        latest = parse_datetime(latest)
    if latest is not None and settings.USE_TZ and timezone.is_naive(latest):
        latest = timezone.make_aware(latest, connection.timezone)
    return latest, int(n)


def _fold(state: _Live, *, since: datetime, version: tuple[datetime | None, int]) -> _Live:
    mark = max(state.folded.values(), default=since)
    rows = Patent.objects.filter(updated_at__gte=mark).values_list("pk", "updated_at")
    changed = {pk: at for pk, at in rows if state.folded.get(pk) != at}
    if not changed:
        return _Live(state.key, state.index, state.pivot, version, state.folded)
    ids = sorted(changed)
    # tokenized here, not through the token cache: a read must not write, and two processes folding the same
    # patent at once would race on its cache row
    texts = matchable_patents().filter(pk__in=ids).order_by("pk").values_list("pk", "title", "abstract", "claims")
    add_ids = [pk for pk, *_ in texts]
    docs = patent_tokens_many(
        patents=[PatentText(title=t, abstract=a, claims=c) for _, t, a, c in texts], weights=WEIGHTS
    )
    labels = patent_ipc_subclasses(patents=Patent.objects.filter(pk__in=add_ids), patent_ids=add_ids)
    present = set(state.index.patent_ids)
    remove = [str(pk) for pk in ids if pk not in set(add_ids) and str(pk) in present]
    index = index_apply(
        state.index,
        remove_ids=remove,
        add_documents=docs,
        add_ids=[str(pk) for pk in add_ids],
        add_labels=labels,
        pivot=state.pivot,
    )
    return _Live(state.key, index, state.pivot, version, {**state.folded, **changed})


def live_index_forget() -> None:
    """Drop this process's live index (tests; a process that must rebuild it)."""
    global _state
    _state = None

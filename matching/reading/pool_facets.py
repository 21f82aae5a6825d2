"""The facet values of the pooled patents (city, institution, IPC section, type, transfer modes), kept per process for
a search whose caller sees the whole pool (issue 23).

Such a search ranks the current run's live index, whose rows are exactly the pooled, matchable patents at its version
(matching.live.index), so it needs no visibility check on its ~600 candidates — only their facet values, which a
query joining three tables read on every uncached search (the largest share of its database time). Here they are
read once per process and run (every pooled patent: ~0.2–0.4 s and ~12 MB at 45,000) and kept in step with the
version the live index follows — the patents changed since the run started (a patent's ``updated_at`` moves with
every change that matters): when it moves, exactly those are read again (the same rows the version counts, so a
change committed late with an earlier ``updated_at`` is not skipped). Institution and city names do not move a
patent's ``updated_at``: they are read again once the search cache's time has passed (MATCHING_SEARCH_CACHE_SECONDS,
the lag a cached ranking's facets already have), a query of one row per institution. Reads only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast

from matching.live.index import live_since
from matching.models import MatchRun
from patents.models import Institution, InventoryStatus, Patent

# the transfer modes, counted per mode as the search's "mode" facet: read as their JSON text and parsed once per
# distinct value (a handful of mode combinations among 500 hits: Django's JSONField parsing of each row was a tenth
# of a search); the same expression on both paths, the checked one (matching.reading.search) and this table
MODE_FACET_FIELD = Cast("transfer_modes", output_field=TextField())

# a patent's own facet columns: institution id, IPC section, type, transfer modes as their JSON text
_PatentRow = tuple[int, str, str, str]


@dataclass(frozen=True)
class _Table:
    run: str  # the run the whole pool was read for
    version: str  # the live index version (matching.live.index) the changed patents were read at
    patents: dict[int, _PatentRow]
    institutions: dict[int, tuple[str, str]]  # institution id -> (city name, institution name)
    institutions_read: float  # time.monotonic() of that read


_table: _Table | None = None
_lock = threading.Lock()


def pool_facet_values(patent_ids: Iterable[int], *, run: MatchRun, version: str) -> dict[int, tuple]:
    """Each patent's facet values, as matching.reading.search.FACETS and its mode field list them (city, institution,
    IPC section, type, modes JSON text), at the current `run`'s live index `version`; ids the table does not hold
    are left out (the caller reads those through the database)."""
    table = _current(run, version)
    patents, institutions = table.patents, table.institutions
    out: dict[int, tuple] = {}
    for pid in patent_ids:
        row = patents.get(pid)
        if row is None:
            continue
        names = institutions.get(row[0])
        if names is None:  # an institution created after the names were read: the database answers
            continue
        out[pid] = (names[0], names[1], row[1], row[2], row[3])
    return out


def pool_facets_forget() -> None:
    """Drop this process's table (tests; a process that must read it again)."""
    global _table
    _table = None


def _current(run: MatchRun, version: str) -> _Table:
    global _table
    key = f"{run.pk}/{run.created_at.isoformat()}"
    table = _table
    if (
        table is not None
        and (table.run, table.version) == (key, version)
        and time.monotonic() - table.institutions_read < _names_seconds()
    ):
        return table
    with _lock:
        table = _table
        if table is None or table.run != key:  # the whole pool, once per run
            table = _Table(key, version, _patent_rows(since=None), _institution_names(), time.monotonic())
        else:
            if table.version != version:  # every patent changed since the run started: what the version counts
                changed = _patent_rows(since=live_since(run))
                table = _Table(key, version, {**table.patents, **changed}, table.institutions, table.institutions_read)
            if time.monotonic() - table.institutions_read >= _names_seconds():
                table = _Table(key, table.version, table.patents, _institution_names(), time.monotonic())
        _table = table
    return table


def _names_seconds() -> float:
    return float(settings.MATCHING_SEARCH_CACHE_SECONDS)


def _patent_rows(*, since: datetime | None) -> dict[int, _PatentRow]:
    """The pooled patents' facet columns (since None), or every patent's changed at or after `since` (whatever its
    state: a patent that left the pool left the live index too, so its row is never asked for)."""
    rows = Patent.objects.order_by()
    rows = rows.filter(inventory_status=InventoryStatus.POOLED) if since is None else rows.filter(updated_at__gte=since)
    columns = rows.values_list("pk", "institution_id", "ipc_section", "patent_type", MODE_FACET_FIELD)
    return {pk: (institution_id, section, kind, modes) for pk, institution_id, section, kind, modes in columns}


def _institution_names() -> dict[int, tuple[str, str]]:
    return {pk: (city, name) for pk, city, name in Institution.objects.values_list("pk", "city__name", "name")}

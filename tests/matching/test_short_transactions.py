"""A run holds the database's write lock only briefly: on SQLite — `make run` — there is one writer
at a time, and sign-ins, follows and needs wait for whatever transaction the run holds. So nothing is computed inside
a transaction, and on SQLite a chunk's rows go a few enterprises per transaction (PostgreSQL keeps one COPY per
chunk: its writers do not wait for each other). Real transactions here (no test-wide transaction around them)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

import matching.runs.chunks as chunks
import matching.runs.prepare as prepare
import matching.runs.tokens as tokens
import matching.runs.writes as writes
from matching.models import MatchChunk, MatchRun, Recommendation
from matching.runs.chunks import match_chunk_execute, match_chunk_rank
from matching.runs.inline import match_run_execute_inline

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = ("enterprise_id", "patent_id", "rank", "score", "final_score", "terms")


def _rows(run: MatchRun) -> list[tuple]:
    return list(Recommendation.objects.filter(run=run).order_by(*ROWS[:3]).values_list(*ROWS))


def _spy(monkeypatch, module: Any, name: str, calls: list[tuple[str, bool, int]]) -> None:
    """Record, for each call of module.name, whether a transaction was open and how many rows it wrote."""
    real: Callable = getattr(module, name)

    def spy(*args, **kwargs):
        rows = args[0] if args else None
        calls.append((name, connection.in_atomic_block, len(rows) if name == "recommendations_write" else 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)


def test_a_run_computes_outside_any_transaction(pooled_patents, matching_enterprises, monkeypatch):
    # given: spies on the tokenizers and the ranking, from empty token caches
    calls: list[tuple[str, bool, int]] = []
    _spy(monkeypatch, tokens, "patent_tokens_many", calls)
    _spy(monkeypatch, tokens, "enterprise_query_tokens", calls)
    _spy(monkeypatch, prepare, "fit_index", calls)
    _spy(monkeypatch, chunks, "rank_index", calls)
    _spy(monkeypatch, chunks, "explain_pairs", calls)
    # when
    run = match_run_execute_inline(run=MatchRun.objects.create())
    # then: each ran, and none inside a transaction (which on SQLite would hold every other writer back meanwhile)
    assert run.status == "done"
    assert {name for name, _, _ in calls} == {
        "patent_tokens_many",
        "enterprise_query_tokens",
        "fit_index",
        "rank_index",
        "explain_pairs",
    }
    assert [name for name, in_transaction, _ in calls if in_transaction] == []


def test_a_chunk_goes_to_sqlite_a_few_enterprises_per_transaction(
    pooled_patents, matching_enterprises, monkeypatch, settings
):
    # given: one chunk of the 5 enterprises, 50 patents each at most, and 100 rows per SQLite transaction
    settings.MATCHING_TOP_K = 50
    monkeypatch.setattr(writes, "SQLITE_ROWS_PER_TRANSACTION", 100)
    calls: list[tuple[str, bool, int]] = []
    _spy(monkeypatch, writes, "recommendations_write", calls)
    _spy(monkeypatch, chunks, "recommendations_write", calls)
    # when
    run = match_run_execute_inline(run=MatchRun.objects.create())
    # then: every row was written once, each write inside a transaction of its own
    assert run.status == "done"
    written = [n for _, _, n in calls]
    assert sum(written) == run.counts["recommendations"] == Recommendation.objects.filter(run=run).count()
    assert all(in_transaction for _, in_transaction, _ in calls)
    if connection.vendor == "postgresql":
        assert written == [run.counts["recommendations"]]  # one COPY, in the chunk's transaction
    else:
        # 2 enterprises (up to 100 rows) per transaction: 2 + 2 + 1
        per_enterprise = Recommendation.objects.filter(run=run).values_list("enterprise_id", flat=True)
        counts = [list(per_enterprise).count(e.pk) for e in matching_enterprises]
        assert written == [counts[0] + counts[1], counts[2] + counts[3], counts[4]]
        assert max(written) <= 100


def test_a_chunk_stopped_half_way_and_ranked_again_ends_with_exactly_its_rows(
    pooled_patents, matching_enterprises, monkeypatch
):
    # given: a finished run, then its chunk as a crash would leave it — two enterprises' lists written, not done
    monkeypatch.setattr(writes, "SQLITE_ROWS_PER_TRANSACTION", 100)
    run = match_run_execute_inline(run=MatchRun.objects.create())
    expected = _rows(run)
    MatchChunk.objects.filter(run=run).update(done=False)
    ranked = match_chunk_rank(run=run, number=0)
    assert ranked is not None
    rows, owners = ranked
    Recommendation.objects.filter(run=run).delete()
    writes.recommendations_replace_in_short_transactions(run_id=run.pk, owners=owners[:2], rows=rows)
    half = Recommendation.objects.filter(run=run).count()
    # when: the chunk is ranked and stored again, then a duplicate copy of its rows arrives
    match_chunk_execute(run=run, number=0)
    writes.recommendations_replace_in_short_transactions(run_id=run.pk, owners=owners, rows=rows)
    # then: exactly the rows of the undisturbed run, none twice
    assert 0 < half < len(expected)
    assert _rows(run) == expected
    assert MatchChunk.objects.get(run=run).done is True


def test_a_finished_run_drops_the_rows_of_the_runs_before_the_previous_one(
    pooled_patents, matching_enterprises, monkeypatch
):
    # given: two finished runs, and 7 rows per SQLite transaction
    monkeypatch.setattr(writes, "SQLITE_ROWS_PER_TRANSACTION", 7)
    first = match_run_execute_inline(run=MatchRun.objects.create())
    second = match_run_execute_inline(run=MatchRun.objects.create())
    kept = _rows(second)
    # when: a third run finishes
    third = match_run_execute_inline(run=MatchRun.objects.create())
    # then: the first run's rows are gone, the previous run's are kept, the new one is current
    assert (third.status, third.is_current) == ("done", True)
    assert Recommendation.objects.filter(run=first).count() == 0
    assert _rows(second) == kept
    assert len(_rows(third)) == third.counts["recommendations"] > 7

"""The stalled-work sweep: unfinished runs and imports that stopped moving are sent again, once per period."""

import pytest

from core.jobs import register_sweeper, stalled_work_redispatch, unchanged_for
from imports.models import ImportJob
from matching.models import MatchChunk, MatchRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def test_unchanged_for_needs_the_same_state_for_the_whole_period(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("core.jobs.time.time", lambda: clock[0])
    assert not unchanged_for(key="k", state=(1, 2), seconds=60)  # first sight: only recorded
    clock[0] += 59
    assert not unchanged_for(key="k", state=(1, 2), seconds=60)
    clock[0] += 2
    assert unchanged_for(key="k", state=(1, 2), seconds=60)
    assert not unchanged_for(key="k", state=(1, 2), seconds=60)  # the clock restarted: not again at once
    clock[0] += 61
    assert not unchanged_for(key="k", state=(1, 3), seconds=60)  # it moved: the clock restarts again


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """What the sweep sends, instead of a broker."""
    calls: list[tuple] = []
    for path in (
        "matching.tasks.match_run_prepare_task",
        "matching.tasks.match_chunk_task",
        "imports.tasks.import_job_run_task",
        "imports.tasks.import_job_preview_task",
    ):
        name = path.rsplit(".", 1)[1]
        monkeypatch.setattr(f"{path}.delay", lambda *args, _name=name: calls.append((_name, *args)))
    return calls


def test_sweep_resends_only_what_stopped_moving(sent, monkeypatch, officer, institution):
    clock = [1000.0]
    monkeypatch.setattr("core.jobs.time.time", lambda: clock[0])
    stuck = MatchRun.objects.create(status=MatchRun.Status.RUNNING, chunks_total=3)
    MatchChunk.objects.bulk_create([MatchChunk(run=stuck, number=n, done=n == 0) for n in range(3)])
    moving = MatchRun.objects.create(status=MatchRun.Status.RUNNING, chunks_total=2)
    MatchChunk.objects.bulk_create([MatchChunk(run=moving, number=n) for n in range(2)])
    MatchRun.objects.create(status=MatchRun.Status.DONE)
    queued = ImportJob.objects.create(
        kind="patents", status=ImportJob.Status.QUEUED, created_by=officer, institution=institution, original_name="a"
    )
    ImportJob.objects.create(
        kind="patents", status=ImportJob.Status.DONE, created_by=officer, institution=institution, original_name="b"
    )
    # first sweep only records
    assert stalled_work_redispatch(seconds=60) == {"match_tasks": 0, "import_jobs": 0}
    # meanwhile one run finishes a chunk
    clock[0] += 61
    MatchChunk.objects.filter(run=moving, number=0).update(done=True)
    assert stalled_work_redispatch(seconds=60) == {"match_tasks": 2, "import_jobs": 1}
    assert sorted(sent) == [
        ("import_job_run_task", queued.pk),
        ("match_chunk_task", stuck.pk, 1),
        ("match_chunk_task", stuck.pk, 2),
    ]


def test_worker_start_resends_every_unfinished_run_but_not_a_fresh_preview(sent, officer, institution):
    pending = MatchRun.objects.create()
    ImportJob.objects.create(kind="patents", created_by=officer, institution=institution, original_name="c")

    assert stalled_work_redispatch(seconds=None) == {"match_tasks": 1, "import_jobs": 0}
    assert sent == [("match_run_prepare_task", pending.pk)]


SWEPT: list[float | None] = []


def fake_sweeper(*, stalled_for: float | None) -> int:
    SWEPT.append(stalled_for)
    return 7


def test_the_sweep_runs_the_registered_sweepers_and_nothing_else(monkeypatch, sent):
    # given: one sweeper of a test's own instead of the apps' (core.jobs imports none of them)
    monkeypatch.setattr("core.jobs._SWEEPERS", {})
    register_sweeper(name="fake", sweeper=fake_sweeper)
    SWEPT.clear()
    MatchRun.objects.create()
    # when
    result = stalled_work_redispatch(seconds=30)
    # then
    assert result == {"fake": 7}
    assert SWEPT == [30]
    assert sent == []

"""Every entry point starts a run through match_run_start; the preparation task sends the chunk tasks itself (only
the start of a run and its recovery send a run's tasks); the registered task names are stable; the ranking numbers
are settings."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from matching.models import MatchChunk, MatchRun, Recommendation
from matching.runs.tasks import match_run_prepare_dispatch
from matching.tasks import match_run_nightly_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch) -> list[tuple]:
    """The tasks sent, instead of a broker."""
    calls: list[tuple] = []
    for name in ("match_run_prepare_task", "match_chunk_task"):
        monkeypatch.setattr(f"matching.tasks.{name}.delay", lambda *args, _name=name: calls.append((_name, *args)))
    return calls


def test_the_page_the_api_and_beat_record_a_run_and_queue_its_preparation(
    client, client_for, bureau, queued, django_capture_on_commit_callbacks
):
    # when
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):  # the preparation is queued after commit
        page = client.post(reverse("matching:runs_start"))
        MatchRun.objects.update(status="done")  # one run at a time: each finishes before the next starts
        api = client_for(bureau).post(reverse("matching-api:match-runs"))
        MatchRun.objects.filter(status="pending").update(status="done")
        match_run_nightly_task()
    # then
    assert (page.status_code, api.status_code) == (302, 202)
    runs = list(MatchRun.objects.order_by("pk"))
    assert [r.parameters for r in runs] == [
        {"top_k": 50, "trigger": "web", "by": "bureau"},
        {"top_k": 50, "trigger": "api", "by": "bureau"},
        {"top_k": 50, "trigger": "nightly"},
    ]
    assert [r.status for r in runs] == ["done", "done", "pending"]
    assert queued == [("match_run_prepare_task", r.pk) for r in runs]


def test_the_command_runs_the_whole_run_in_process(pooled_patents, matching_enterprises, settings, queued):
    # (19 pairs score > 0 without the needs' pseudo-relevance feedback, the default, and with it: its class vote
    # acts on the patents' IPC classes, and these have none; the feedback's own tests give them some)
    # when
    call_command("match_all", verbosity=0)
    # then
    run = MatchRun.objects.get()
    assert (run.status, run.is_current, run.parameters) == ("done", True, {"top_k": 50, "trigger": "command"})
    assert Recommendation.objects.filter(run=run).count() == run.counts["recommendations"] == 19  # scores > 0 only
    assert queued == []
    # when: again with the feedback
    settings.MATCHING_NEED_FEEDBACK = True
    call_command("match_all", verbosity=0)
    # then
    fed = MatchRun.objects.get(is_current=True)
    assert fed.pk != run.pk
    assert Recommendation.objects.filter(run=fed).count() == fed.counts["recommendations"] == 19


def test_preparation_sends_one_task_per_chunk_and_a_redelivery_only_the_unfinished(
    pooled_patents, matching_enterprises, settings, queued
):
    # given: 5 enterprises in chunks of 2
    settings.MATCHING_ENTERPRISE_CHUNK = 2
    run = MatchRun.objects.create()
    # when
    sent = match_run_prepare_dispatch(run=run)
    # then
    run.refresh_from_db()
    assert (sent, run.status, run.chunks_total) == (3, "running", 3)
    assert queued == [("match_chunk_task", run.pk, 0), ("match_chunk_task", run.pk, 1), ("match_chunk_task", run.pk, 2)]
    # when: the preparation is delivered again after chunk 1 finished
    MatchChunk.objects.filter(run=run, number=1).update(done=True)
    queued.clear()
    again = match_run_prepare_dispatch(run=run)
    # then: nothing is prepared twice, only the unfinished chunks are sent
    assert again == 2
    assert queued == [("match_chunk_task", run.pk, 0), ("match_chunk_task", run.pk, 2)]
    assert MatchChunk.objects.filter(run=run).count() == 3


def test_preparation_without_anything_to_match_fails_the_run_and_sends_nothing(matching_enterprises, queued):
    # given: no pooled patents
    run = MatchRun.objects.create()
    # when
    sent = match_run_prepare_dispatch(run=run)
    # then
    run.refresh_from_db()
    assert (sent, run.status) == (0, "failed")
    assert run.error == "没有可匹配的入库专利或企业 / no pooled patents or enterprises to match"
    assert queued == []
    assert not MatchChunk.objects.filter(run=run).exists()


def _ranked(run: MatchRun, enterprises) -> dict[int, list[int]]:
    rows = Recommendation.objects.filter(run=run).order_by("rank")
    return {e.pk: list(rows.filter(enterprise=e).values_list("patent", flat=True)) for e in enterprises}


def test_top_k_and_terms_shown_are_settings(pooled_patents, matching_enterprises, settings, queued):
    # given: a run with the defaults (50 patents, 8 terms)
    call_command("match_all", verbosity=0)
    default = _ranked(MatchRun.objects.get(), matching_enterprises)
    settings.MATCHING_TOP_K = 3
    settings.MATCHING_TERMS_SHOWN = 2
    # when
    call_command("match_all", verbosity=0)
    # then: the same best patents, cut at 3, with 2 terms each
    run = MatchRun.objects.get(is_current=True)
    assert run.parameters["top_k"] == 3
    assert _ranked(run, matching_enterprises) == {pk: patents[:3] for pk, patents in default.items()}
    assert max(len(patents) for patents in default.values()) > 3
    shown = {len(terms) for terms in Recommendation.objects.filter(run=run).values_list("terms", flat=True)}
    assert shown == {1, 2}  # at most 2 (some pairs share a single term)


def test_the_registered_task_names_and_their_queue_are_those_the_broker_and_beat_know():
    # given: the worker imports the modules Celery discovers (every app's tasks.py)
    from patent_platform.celery import app

    app.loader.import_default_modules()
    # when
    names = sorted(name for name in app.tasks if name.startswith("matching."))
    # then: messages already queued, the beat schedule and the routes keep finding them
    assert names == [
        "matching.tasks.alerts_send_task",
        "matching.tasks.match_chunk_task",
        "matching.tasks.match_enterprise_now_task",
        "matching.tasks.match_run_nightly_task",
        "matching.tasks.match_run_prepare_task",
        "matching.tasks.patents_changed_task",
    ]
    assert django_settings.CELERY_TASK_ROUTES == {"matching.tasks.*": {"queue": "matching"}}
    assert django_settings.CELERY_BEAT_SCHEDULE["matching-nightly"]["task"] in names

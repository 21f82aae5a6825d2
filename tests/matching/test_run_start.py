"""Starting a full run: one at a time (已有匹配正在运行), and without a broker the run goes to a background thread
of the server (core.local_executor), so the request returns at once; a crash or a dead process fails the run."""

import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.local_executor import local_wait
from matching.models import MatchRun
from matching.runs.guard import LOCAL_KEY, match_run_submit_local
from matching.runs.start import match_run_start


@pytest.mark.django_db
def test_a_second_start_while_a_run_is_active_is_refused_everywhere(client, client_for, bureau, settings, monkeypatch):
    # given: a run waiting for its worker (the broker path; nothing sent)
    monkeypatch.setattr("matching.tasks.match_run_prepare_task.delay", lambda *args: None)
    active = MatchRun.objects.create(status="running")
    client.force_login(bureau)
    # when
    page = client.post(reverse("matching:runs_start"), follow=True)
    api = client_for(bureau).post(reverse("matching-api:match-runs"))
    with pytest.raises(CommandError, match="已有匹配正在运行"):
        call_command("match_all", verbosity=0)
    # then
    assert "已有匹配正在运行" in page.content.decode()
    assert api.status_code == 409
    assert list(MatchRun.objects.values_list("pk", flat=True)) == [active.pk]


@pytest.mark.django_db
def test_an_abandoned_run_no_longer_blocks(settings, monkeypatch):
    monkeypatch.setattr("matching.tasks.match_run_prepare_task.delay", lambda *args: None)
    stuck = MatchRun.objects.create(status="running")
    settings.MATCHING_RUN_ABANDONED_SECONDS = 0
    time.sleep(0.01)
    # when
    run = match_run_start(trigger="web")
    # then
    stuck.refresh_from_db()
    assert (stuck.status, run.status) == ("failed", "pending")
    assert "abandoned" in stuck.error


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_page_returns_at_once_and_a_thread_runs_the_run(
    client, bureau, pooled_patents, matching_enterprises, settings
):
    # given
    settings.MATCHING_LOCAL_EXECUTOR = True
    settings.MATCHING_ENTERPRISE_CHUNK = 2
    client.force_login(bureau)
    # when
    page = client.post(reverse("matching:runs_start"))
    at_response = MatchRun.objects.get()
    local_wait(key=LOCAL_KEY, timeout=120)
    # then: the response came before the run finished, the thread finished it
    assert page.status_code == 302
    assert at_response.status in ("pending", "running")
    run = MatchRun.objects.get()
    assert (run.status, run.is_current, run.chunks_total) == ("done", True, 3)
    status = client.get(reverse("matching:runs_status")).json()["runs"][0]
    assert (status["chunks_done"], status["chunks_total"], status["progress"]) == (3, 3, 100)
    assert status["elapsed_s"] is not None
    assert status["counts"]["recommendations"] > 0


@pytest.mark.django_db(transaction=True)
def test_a_crash_in_the_thread_fails_the_run_and_a_dead_process_leaves_no_blocking_run(settings):
    settings.MATCHING_LOCAL_EXECUTOR = True
    # given: a run whose execution raises
    run = MatchRun.objects.create(status="running")

    def explode(r: MatchRun) -> None:
        raise RuntimeError("disk full")

    # when
    match_run_submit_local(run=run, execute=explode)
    local_wait(key=LOCAL_KEY, timeout=30)
    # then
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "RuntimeError: disk full")
    # given: a run left running by a server that stopped (no thread here works on it)
    orphan = MatchRun.objects.create(status="running")
    # when: someone starts a run (no data: it fails at once, in its thread)
    started = match_run_start(trigger="web")
    local_wait(key=LOCAL_KEY, timeout=30)
    # then
    orphan.refresh_from_db()
    started.refresh_from_db()
    assert orphan.status == "failed"
    assert "interrupted" in orphan.error
    assert started.status == "failed"
    assert "no pooled patents" in started.error


@pytest.mark.django_db
def test_the_runs_page_writes_counts_with_thousands_separators(client, bureau):
    # given: a finished run of the demo's size
    MatchRun.objects.create(
        status="done",
        progress=100,
        counts={"patents": 9446, "enterprises": 3000, "recommendations": 149850},
        timings={"wall_s": 1234.5},
    )
    client.force_login(bureau)
    # when
    html = client.get(reverse("matching:runs")).content.decode()
    # then
    for shown in ('class="patents">9,446<', 'class="enterprises">3,000<', 'class="recommendations">149,850<'):
        assert shown in html
    assert 'class="elapsed">1,234.5<' in html

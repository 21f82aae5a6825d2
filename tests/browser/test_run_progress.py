"""In headless Chromium, as `make run` serves it (no broker: the run goes to a thread of the server): "立即全量匹配"
returns before the run has done any work, the page then shows its progress in place — phase, chunks, percentage,
elapsed time, counts and the 当前 tag — without a reload, and a second start while it runs is refused."""

import threading

import pytest

import matching.runs.start as run_start
from core.local_executor import local_wait
from matching.models import MatchRun
from matching.runs.guard import LOCAL_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gated_run(monkeypatch):
    """The real run, held until the test opens the gate: the page is seen while the run has not started."""
    gate = threading.Event()
    execute = run_start.match_run_execute_inline

    def held(*, run: MatchRun) -> MatchRun:
        gate.wait(timeout=60)
        return execute(run=run)

    monkeypatch.setattr(run_start, "match_run_execute_inline", held)
    yield gate
    gate.set()  # never leave the server's thread waiting
    local_wait(key=LOCAL_KEY, timeout=120)


def test_start_returns_at_once_and_the_page_follows_the_run_to_the_end(
    page, login, live_server, bureau, pooled_patents, matching_enterprises, settings, gated_run
):
    # given
    settings.MATCHING_LOCAL_EXECUTOR = True
    settings.MATCHING_ENTERPRISE_CHUNK = 2  # several chunks, so "done / total" moves
    login("bureau")
    page.goto(f"{live_server.url}/matching/runs/")
    # when
    page.get_by_test_id("start-run").click()
    page.wait_for_load_state("load")
    # then: the answer came while the run was held back — it cannot have run inside the request
    row = page.locator("tr[data-run]").first
    assert row.get_attribute("data-status") == "pending"
    assert MatchRun.objects.get().status == "pending"
    assert row.locator(".tag").count() == 0
    # when: a second start while it is active
    page.get_by_test_id("start-run").click()
    page.wait_for_load_state("load")
    # then
    assert "已有匹配正在运行" in page.content()
    assert MatchRun.objects.count() == 1
    # when: the run may go on; the page is marked so a reload would show
    page.evaluate("() => { window.__notReloaded = true; }")
    gated_run.set()
    page.wait_for_function(
        "() => document.querySelector('tr[data-run] progress').value == 100"
        " && document.querySelector('tr[data-run] .id .tag') !== null",
        timeout=90_000,
    )
    # then: every cell was updated in place
    assert page.evaluate("() => window.__notReloaded") is True
    run = MatchRun.objects.get()
    assert (run.status, run.is_current, run.chunks_total) == ("done", True, 3)
    assert row.get_attribute("data-status") == "done"
    assert row.locator(".chunks").inner_text() == "3 / 3"
    assert row.locator(".status").inner_text() == run.get_status_display()
    assert row.locator(".tag").inner_text() == "当前"
    assert row.locator(".recommendations").inner_text() == f"{run.counts['recommendations']:,}"
    assert row.locator(".elapsed").inner_text() != "—"
    assert page.locator("#runs").get_attribute("data-polling") == "no"

"""No lost writes while a full matching run writes.

`make run` serves with runserver (threaded) on SQLite and runs matching in a thread of the server: while a run
writes its recommendations, users keep signing in, following, publishing needs and signing deals. Every one of those
writes must succeed or get a 409 for a real conflict — never a 500 "database is locked" — and the run must finish.

Two platforms, the same 50 writes:
- `embedded`: a server of its own exactly as `make run` serves it (local settings, runserver, a SQLite FILE in WAL
  mode), whatever database the suite runs on — so CI, which runs the suite on PostgreSQL, runs it too;
- `suite database`: the live server on the suite's database with the run in a thread of this process (PostgreSQL in
  CI; in-memory SQLite cannot be shared between threads this way, so it needs DATABASE_URL, like the other tests of
  real services: skipped locally, failing under REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from django.db import connection

from tests.conftest import service_missing
from tests.core.busy_platform import MEMBERS, PASSWORD, Answer, Api, embedded_server, seed

PATENTS = 1200
ENTERPRISES = 600
SIGNS = 6
# the run's enterprises in chunks of 50, each ranked and written in a transaction of its own: 12 chunks, as a province
# run has (26,000 enterprises in chunks of 2,000: 13), so the users' writes interleave with the run's as they do there
# — with one chunk the whole ranking was one write of ~2 s on a quick machine, over before most writes were answered
CHUNK = 50
CHUNKED = {"PLATFORM_MATCHING_ENTERPRISE_CHUNK": str(CHUNK)}
Job = Callable[[], list[Answer]]


def _run_start(api: Api, tokens: dict[str, str]) -> int:
    started = api.call("run", "POST", "/api/v1/match-runs/", token=tokens["bureau"])
    assert started.status == 202, started.body
    return int(started.body["pk"])


def _run_status(api: Api, tokens: dict[str, str], pk: int) -> dict[str, Any]:
    listing = api.call("runs", "GET", "/api/v1/match-runs/", token=tokens["bureau"])
    assert listing.status == 200, listing.body
    return next(run for run in listing.body["results"] if run["pk"] == pk)


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(0.1)


def _jobs(api: Api, data: dict[str, Any]) -> tuple[list[Job], list[Job]]:
    """The 50 writes in two waves. While the run prepares (tokenizing, writing its token caches): 8 sign-ins and 12
    needs (each need re-ranks its enterprise at once, writing recommendations of the current run). While it ranks and
    writes its chunks: 6 simultaneous signs of one docking request, 18 follows and 6 unfollows."""
    tokens, members, patents = data["tokens"], data["members"], data["patents"]
    barrier = threading.Barrier(SIGNS)
    signing = {"action": "sign", "transfer_mode": "licence", "amount": "120000", "signed_date": str(date.today())}

    def sign() -> list[Answer]:
        barrier.wait(timeout=30)  # all six at the same moment
        path = f"/api/v1/docking/{data['docking']}/transition/"
        return [api.call("sign", "POST", path, token=tokens["officer"], body=signing)]

    def sign_in(username: str) -> list[Answer]:
        return [api.call("sign-in", "POST", "/api/v1/auth/token/", body={"username": username, "password": PASSWORD})]

    def follow_three_unfollow_one(i: int) -> list[Answer]:
        token = tokens[members[i]]
        follows = [
            api.call("follow", "POST", "/api/v1/follows/", token=token, body={"patent": patents[10 + 3 * i + n]})
            for n in range(3)
        ]
        first = follows[0].body.get("pk") if isinstance(follows[0].body, dict) else None
        return [*follows, api.call("unfollow", "DELETE", f"/api/v1/follows/{first}/", token=token)]

    def need(i: int, n: int) -> list[Answer]:
        body = {
            "title": f"锂电池隔膜涂覆工艺需求{n}",
            "keywords": "锂电池,隔膜,涂覆",
            "description": "寻求可许可的专利",
        }
        return [api.call("need", "POST", "/api/v1/needs/", token=tokens[members[i]], body=body)]

    preparing: list[Job] = [lambda u=u: sign_in(u) for u in [*members, "officer", "bureau"]]
    preparing += [lambda i=i, n=n: need(i, n) for i in range(MEMBERS) for n in range(2)]
    ranking: list[Job] = [sign] * SIGNS + [lambda i=i: follow_three_unfollow_one(i) for i in range(MEMBERS)]
    return preparing, ranking


def _check(api: Api, data: dict[str, Any]) -> None:
    tokens = data["tokens"]
    # given a full run, started and preparing
    pk = _run_start(api, tokens)
    _wait_for(lambda: _run_status(api, tokens, pk)["status"] == "running", 60, "the run to start")
    preparing, ranking = _jobs(api, data)
    chunks_phase: list[dict[str, Any]] = []
    ended: list[float] = []

    def second_wave() -> list[Answer]:
        _wait_for(lambda: _run_status(api, tokens, pk)["progress"] >= 10, 120, "the run to rank its chunks")
        chunks_phase.append(_run_status(api, tokens, pk))
        with ThreadPoolExecutor(max_workers=len(ranking)) as pool:
            return [a for future in [pool.submit(job) for job in ranking] for a in future.result()]

    def watch() -> None:
        while _run_status(api, tokens, pk)["status"] in ("pending", "running"):
            time.sleep(0.1)
        ended.append(time.monotonic())

    # when 50 writes go on: 20 while it prepares, 30 while it ranks and writes its chunks
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(max_workers=4) as users, ThreadPoolExecutor(max_workers=1) as later:
        wave = later.submit(second_wave)
        answers = [a for future in [users.submit(job) for job in preparing] for a in future.result()]
        answers += wave.result()
    watcher.join(timeout=300)

    # then every write succeeded or was refused for a real conflict, none failed
    assert len(answers) == 50
    failed = [(a.what, a.status, str(a.body)[:60]) for a in answers if not (200 <= a.status < 300 or a.status == 409)]
    assert failed == [], f"{len(failed)} writes failed: {failed}"
    assert sorted(a.status for a in answers if a.what == "sign") == [200] + [409] * (SIGNS - 1)
    assert Counter(a.what for a in answers if 200 <= a.status < 300) == {
        "sign": 1,
        "sign-in": MEMBERS + 2,
        "follow": 3 * MEMBERS,
        "unfollow": MEMBERS,
        "need": 2 * MEMBERS,
    }
    # and the run finished, and wrote its chunks while the second wave went on
    run = _run_status(api, tokens, pk)
    assert (run["status"], run["error"], run["is_current"]) == ("done", "", True)
    assert run["counts"]["recommendations"] > 0
    assert ended, "the run did not finish within 300 s"
    assert chunks_phase[0]["status"] == "running", "the run ended before the second wave could start"
    during = sum(1 for a in answers if a.answered < ended[0])
    slowest = max(answers, key=lambda a: a.answered - a.started)
    print(
        f"run {run['timings']}; {during}/50 writes answered before it ended; "
        f"slowest: {slowest.what} {slowest.answered - slowest.started:.2f} s"
    )
    assert during >= 25, f"only {during} of the 50 writes were answered while the run was going on"
    # and nothing was lost: what was answered 2xx is there
    for i, member in enumerate(data["members"]):
        follows = api.call("follows", "GET", "/api/v1/follows/", token=tokens[member]).body
        needs = api.call("needs", "GET", "/api/v1/needs/", token=tokens[member]).body
        assert sorted(f["patent"]["pk"] for f in follows["results"]) == data["patents"][11 + 3 * i : 13 + 3 * i]
        assert needs["count"] == 2
    docking = api.call("docking", "GET", f"/api/v1/docking/{data['docking']}/", token=tokens["officer"]).body
    assert (docking["status"], docking["signed_amount"]) == ("signed", "120000.00")


def test_writes_during_a_run_on_the_embedded_sqlite_file(tmp_path):
    # given `make run`'s own server and database file (the suite's database is not used)
    with embedded_server(tmp_path, patents=PATENTS, enterprises=ENTERPRISES, extra_env=CHUNKED) as (url, data, log):
        try:
            _check(Api(url), data)
        except AssertionError:
            print(log.read_text()[-20000:])
            raise
    # and the database was a file in WAL mode (readers never wait for the writer)
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.django_db(transaction=True)
def test_writes_during_a_run_on_the_suite_database(live_server, settings):
    if connection.vendor == "sqlite":
        service_missing("needs a database the live server's threads can share (DATABASE_URL=postgres://…)")
    from core.local_executor import local_wait
    from matching.runs.guard import LOCAL_KEY

    settings.MATCHING_LOCAL_EXECUTOR = True  # the run in a thread of this process, as without a broker
    settings.MATCHING_ENTERPRISE_CHUNK = CHUNK
    data = seed(patents=PATENTS, enterprises=ENTERPRISES)
    try:
        _check(Api(live_server.url), data)
    finally:
        local_wait(key=LOCAL_KEY, timeout=300)

"""Helpers of tests/core/test_writes_during_a_run.py: a platform with a real corpus, users and a docking request
ready to sign (`seed`), a `make run`-like server of its own on a SQLite file (`embedded_server`), and a small HTTP
client of the JSON API (`Api`). No test here: pytest collects only test_*.py."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo_data"
PASSWORD = "Test-pass-2026"
MEMBERS = 6  # enterprise members who follow and publish needs
# what the server's environment must not inherit from the test run (CI sets REDIS_URL: then it would use a broker)
NOT_INHERITED = (
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "PLATFORM_MATCHING_LOCAL_EXECUTOR",
    "DJANGO_CACHE_URL",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
)


def seed(*, patents: int, enterprises: int) -> dict[str, Any]:
    """Real pooled patents (KPPatent-ZH) and real Hubei enterprises (their 经营范围), an officer, a province bureau
    user, MEMBERS enterprise members with API tokens, a docking request in negotiation (ready to sign) and a current
    matching run.
    Returns what the test needs: ids, usernames and token keys."""
    from rest_framework.authtoken.models import Token

    from accounts.models import Role
    from accounts.services import user_create
    from core.models import City
    from enterprises.models import Enterprise
    from enterprises.services.docking import docking_request_create, docking_transition
    from matching.runs.start import match_run_start
    from patents.models import Institution, Patent

    wuhan = City.objects.get(code="4201")
    institution = Institution.objects.create(name="华中科技大学", moe_code="4142010487", city=wuhan)
    with (DEMO / "kppatent-zh" / "patents_full.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = [row for _, row in zip(range(patents), csv.DictReader(fh), strict=False)]
    pooled = Patent.objects.bulk_create(
        [
            Patent(
                application_number=f"2020101{i:05d}.{i % 10}",
                title=row["title"],
                abstract=row["abstract"],
                claims=row["claims"][:3000],
                patent_type="invention",
                institution=institution,
                inventory_status="pooled",
                legal_status="valid",
                transfer_modes=["licence"],
            )
            for i, row in enumerate(rows)
        ]
    )
    with (DEMO / "hubei-enterprises-sample" / "enterprises_sample.csv").open(encoding="utf-8-sig") as fh:
        sample = [row for _, row in zip(range(enterprises), csv.DictReader(fh), strict=False)]
    firms = Enterprise.objects.bulk_create(
        [
            Enterprise(name=row["企业名称"], uscc=row["统一社会信用代码"], city=wuhan, business_scope=row["经营范围"])
            for row in sample
        ]
    )
    officer = user_create(username="officer", password=PASSWORD, role=Role.OFFICER, institution=institution)
    bureau = user_create(username="bureau", password=PASSWORD, role=Role.BUREAU_PROVINCE)
    members = [
        user_create(username=f"member{i}", password=PASSWORD, role=Role.ENTERPRISE, enterprise=firms[i])
        for i in range(MEMBERS)
    ]
    docking = docking_request_create(
        actor=members[0], patent=pooled[0], message="希望洽谈许可", contact_phone="027-87654321"
    )
    for action in ("accept", "negotiate"):
        docking = docking_transition(docking=docking, action=action, actor=officer)
    tokens = {user.username: Token.objects.create(user=user).key for user in [officer, bureau, *members]}
    # as after `make run`'s setup (match_all --if-stale): a current run, which a new need re-ranks its enterprise in
    current = match_run_start(trigger="seed", inline=True)
    assert current.status == "done", current.error
    return {
        "patents": [p.pk for p in pooled],
        "docking": docking.pk,
        "members": [m.username for m in members],
        "tokens": tokens,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=True
        )


@contextmanager
def embedded_server(
    tmp: Path, *, patents: int, enterprises: int, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, dict[str, Any], Path]]:
    """What `make run` serves, on a fresh SQLite file in `tmp`: the local settings (no broker, so a matching run goes
    to a thread of the server), migrated and seeded, served by `runserver` (threaded; --noreload only skips the file
    watcher). Yields the base URL, the seed's answer and the server's log; the server is stopped on exit."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env |= {
        "DJANGO_SETTINGS_MODULE": "patent_platform.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    log = tmp / "server.log"
    _manage(["migrate", "--noinput", "-v0"], env, log)
    script = (
        "import json, django; django.setup(); from tests.core.busy_platform import seed; "
        f"print(json.dumps(seed(patents={patents}, enterprises={enterprises})))"
    )
    seeded = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = _free_port()
    with log.open("a") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, f"the server stopped: {log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, "the server did not answer /healthz within 60 s"
            time.sleep(0.2)
        yield url, data, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@dataclass(frozen=True)
class Answer:
    """One API call as the client saw it: what it was, its status, body and when (time.monotonic) it was answered."""

    what: str
    status: int
    body: Any
    started: float
    answered: float


class Api:
    """The JSON API over real HTTP (a new connection per call, as separate users' browsers and scripts would)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(self, what: str, method: str, path: str, *, token: str = "", body: dict | None = None) -> Answer:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method, headers=headers)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            parsed: Any = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")[:500]
        return Answer(what, status, parsed, started, time.monotonic())

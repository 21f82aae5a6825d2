"""The load benchmark's server side (bench/load.py): the database it needs, gunicorn, the soak's helpers and RSS.

Every command runs `manage.py` of this checkout with the caller's environment (DATABASE_URL: PostgreSQL).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(*args: str, env: dict[str, str], capture: bool = False, timeout: float = 3600) -> str:
    proc = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        timeout=timeout,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else None,
        text=True,
    )
    if proc.returncode:
        raise SystemExit(f"manage.py {args[0]} exited with {proc.returncode}:\n{(proc.stderr or '')[-2000:]}")
    return proc.stdout if capture else ""


def shell(code: str, env: dict[str, str]) -> str:
    return manage("shell", "-c", code, env=env, capture=True).strip().splitlines()[-1]


def prepare(env: dict[str, str], *, scale: tuple[int, int] | None = None) -> None:
    """Migrate; load the demo into an empty database; with `scale` (patents, enterprises) add bench/full_run.py's
    corpus (SYNTHETIC text recombined from real sentences, pooled, with needs; the real corpora are read from
    MATCH_BENCH_DATA, default ../shared/data) unless that many are there, then run the matching over everything (a
    full run: minutes at 45,000 x 26,000). Without a complete run: one."""
    manage("migrate", "--noinput", env=env)
    count = int(shell("from patents.models import Patent; print(Patent.objects.count())", env))
    if count == 0:
        print("empty database: loading the demo (a few minutes) …", flush=True)
        manage("load_demo", env=env)
    if scale is not None:
        patents, enterprises = scale
        code = (
            f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import full_run as F; "
            "from patents.models import Patent; "
            "n = Patent.objects.filter(institution__name=F.BENCH_INSTITUTION, inventory_status='pooled').count(); "
            f"load = n < {patents}; "
            f"F._cleanup() if load else None; F._load({patents}, {enterprises}) if load else None; "
            "print('loaded' if load else 'kept')"
        )
        print(f"--scale: {patents:,} patents x {enterprises:,} enterprises (loaded once, kept after) …", flush=True)
        if shell(code, env) == "loaded":
            print("--scale: bench data loaded; a full matching run (minutes) …", flush=True)
            manage("match_all", env=env)
    manage("match_all", "--if-stale", env=env)


def distinct_queries(env: dict[str, str], n: int, seed: int = 7) -> list[str]:
    """`n` different search texts made of words of real pooled patent titles (two fragments each), so that almost
    no request can be answered from the search-ranking cache."""
    code = (
        "import json; from patents.models import Patent; "
        "print(json.dumps(list(Patent.objects.filter(inventory_status='pooled').order_by('pk')"
        ".values_list('title', flat=True)[:2000]), ensure_ascii=False))"
    )
    return queries_from_titles(json.loads(shell(code, env)), n, seed)


def distinct_queries_here(n: int, seed: int = 7) -> list[str]:
    """distinct_queries, read in this process (Django set up): the same texts for the same database."""
    from patents.models import Patent

    titles = Patent.objects.filter(inventory_status="pooled").order_by("pk").values_list("title", flat=True)[:2000]
    return queries_from_titles(list(titles), n, seed)


def queries_from_titles(raw_titles: list[str], n: int, seed: int) -> list[str]:
    titles = [t.removeprefix("一种") for t in raw_titles if len(t) >= 6]
    rng = random.Random(seed)
    fragments = sorted({t[i : i + rng.choice((2, 3, 4))] for t in titles for i in range(0, len(t) - 4, 3)})
    queries: set[str] = set()
    while len(queries) < n and fragments:
        queries.add(f"{rng.choice(fragments)} {rng.choice(fragments)}")
    return sorted(queries)


def corpus_size(env: dict[str, str]) -> dict[str, int]:
    """Pooled patents and enterprises in the database (the JSON line says what was measured against)."""
    code = (
        "import json; from patents.models import Patent; from enterprises.models import Enterprise; "
        "print(json.dumps({'pooled_patents': Patent.objects.filter(inventory_status='pooled').count(), "
        "'enterprises': Enterprise.objects.count()}))"
    )
    return json.loads(shell(code, env))


def enterprise_token(env: dict[str, str], username: str) -> str:
    code = (
        "from rest_framework.authtoken.models import Token; from accounts.models import User; "
        f"print(Token.objects.get_or_create(user=User.objects.get(username={username!r}))[0].key)"
    )
    return shell(code, env)


def start_gunicorn(*, env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    command = [str(gunicorn)] if gunicorn.exists() else [PYTHON, "-m", "gunicorn"]
    command += ["patent_platform.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--worker-class", "sync", "--timeout", "60", "--max-requests", "0", "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")


def start_helper(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """`manage.py *args` in the background, in its own process group (stopped with it)."""
    return subprocess.Popen(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen | None, *, group: bool = False) -> None:
    if proc is None or proc.poll() is not None:
        return
    if group:
        os.killpg(proc.pid, signal.SIGTERM)
    else:
        proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler(threading.Thread):
    """Every `interval` seconds: seconds since start, total and per-worker RSS (MB) of gunicorn's workers."""

    def __init__(self, master: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.master, self.interval = master, interval
        self.samples: list[tuple[float, float, list[float]]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._halt.is_set():
            per_worker = [round(rss_mb(pid), 1) for pid in worker_pids(self.master)]
            self.samples.append((round(time.monotonic() - started, 1), round(sum(per_worker), 1), per_worker))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(5)

    def figures(self) -> dict:
        """First, last and peak total RSS, growth of the last sample against the first quarter's mean (workers
        finish warming early), every sample."""
        totals = [total for _, total, _ in self.samples]
        head = sum(totals[: max(1, len(totals) // 4)]) / max(1, len(totals) // 4)
        return {
            "samples": [[t, total] for t, total, _ in self.samples],
            "first": totals[0],
            "last": totals[-1],
            "max": max(totals),
            "growth_pct_vs_first_quarter": round(100 * (totals[-1] - head) / head, 1),
            "per_worker_last": self.samples[-1][2],
        }


def soak_import_file(rows: int, env: dict[str, str]) -> Path:
    """A valid inventory of `rows` new invention patents; numbers already registered (by any institution: the
    import refuses to take over another owner's patent, and rightly rejects the whole file) are skipped."""
    sys.path.insert(0, str(ROOT))
    from common.validators.application_number import compute_check_digit

    prefix = "20251"
    taken = set(
        json.loads(
            shell(
                "import json; from patents.models import Patent; print(json.dumps(list(Patent.objects.filter("
                f"application_number__startswith={prefix!r}).values_list('application_number', flat=True))))",
                env,
            )
        )
    )
    path = Path(tempfile.mkdtemp(prefix="load-soak-")) / "soak-inventory.csv"
    written, serial = 0, 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("申请号,专利名称,专利类型,申请日,摘要\n")
        while written < rows:
            serial += 1
            body = f"{prefix}{serial:07d}"
            number = f"{body}.{compute_check_digit(body)}"
            if number in taken:
                continue
            fh.write(f"{number},一种负载测试用锂电池装置{serial},发明,20250301,本发明公开一种锂电池装置。\n")
            written += 1
    return path

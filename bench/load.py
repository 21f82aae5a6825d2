"""Load benchmark of the web tier: gunicorn on loopback against PostgreSQL (python bench/load.py).

Starts gunicorn (patent_platform.settings.local, DJANGO_DEBUG=False) on 127.0.0.1, prepares the demo if the
database is empty (migrate, load_demo, match_all --if-stale), then drives, with a small thread-pool client of its
own (bounded by time and by a request budget per scenario):

- baselines in the same run: /healthz and the recommendation list over ONE connection, sequentially;
- /api/v1/recommendations/ as the demo enterprise user (token auth) and /api/v1/search/?q=<real words>, each with
  --connections concurrent connections; search twice: the ten popular queries below (their ranking is cached after
  the first request, as on the morning of a push) and "search distinct", where every request sends a text never
  sent before (words of real pooled titles), so each one is ranked from scratch;
- a soak (--soak-seconds, default 60; the issue's figure is 600 with --soak-import and --soak-match) of the mixed
  load, optionally while an import (manage.py import_patents of a generated file) and a matching run
  (manage.py match_all) go on, sampling the RSS of every gunicorn worker to show whether memory stays flat.

Goals: >= 200 req/s and p95 <= 100 ms with no errors on both API endpoints. Prints a table, then ONE line of JSON.
Stops by itself; gunicorn and the helper processes it started are terminated on exit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Real technical words of the demo corpus (KPPatent-ZH / cn-patent-ipc titles), as an enterprise would type them.
QUERIES = [
    "锂电池",
    "无人机",
    "传感器",
    "图像识别",
    "新能源汽车",
    "光纤",
    "钢材 热处理",
    "中药 提取",
    "污水处理",
    "芯片 封装",
]
GOAL_RPS = 200.0
GOAL_P95_MS = 100.0


@dataclass
class Result:
    """Latencies (seconds) and errors of one scenario."""

    name: str
    connections: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    def figures(self) -> dict:
        return {
            "connections": self.connections,
            "requests": self.requests,
            "errors": self.errors,
            "error_rate": round(self.errors / self.requests, 5) if self.requests else None,
            "rps": round(self.requests / self.elapsed, 1) if self.elapsed else None,
            "p50_ms": round(self.percentile(50), 2),
            "p95_ms": round(self.percentile(95), 2),
            "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(max(self.latencies) * 1000, 2) if self.latencies else None,
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 2) if self.latencies else None,
        }


def drive(
    *,
    name: str,
    port: int,
    paths: list[str],
    headers: dict[str, str],
    connections: int,
    seconds: float,
    budget: int,
    unique: bool = False,
) -> Result:
    """`connections` threads, each one HTTP connection (re-opened when the server closes it), until time or budget.

    Paths are drawn at random, or with `unique` each one once in order (the budget is then at most len(paths))."""
    if unique:
        budget = min(budget, len(paths))
    result = Result(name, connections)
    lock = threading.Lock()
    issued = [0]
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        latencies: list[float] = []
        errors: list[str] = []
        conn: http.client.HTTPConnection | None = None
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= budget:
                    break
                number = issued[0]
                issued[0] += 1
            path = paths[number] if unique else rng.choice(paths)
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    errors.append(f"{response.status} {path}")
                else:
                    latencies.append(elapsed)
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__} {path}")
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += len(errors)
            result.error_samples.extend(errors[: 5 - len(result.error_samples)])

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    result.elapsed = time.monotonic() - started
    return result


# --- processes ------------------------------------------------------------------------------------------------------


def manage(*args: str, env: dict[str, str], capture: bool = False, timeout: float = 1800) -> str:
    proc = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else None,
        text=True,
    )
    return proc.stdout if capture else ""


def shell(code: str, env: dict[str, str]) -> str:
    return manage("shell", "-c", code, env=env, capture=True).strip().splitlines()[-1]


def prepare(env: dict[str, str]) -> None:
    manage("migrate", "--noinput", env=env)
    count = int(shell("from patents.models import Patent; print(Patent.objects.count())", env))
    if count == 0:
        print("empty database: loading the demo (a few minutes) …", flush=True)
        manage("load_demo", env=env)
    manage("match_all", "--if-stale", env=env)


def distinct_queries(env: dict[str, str], n: int, seed: int = 7) -> list[str]:
    """`n` different search texts made of words of real pooled patent titles (two fragments each), so that almost
    no request can be answered from the search-ranking cache."""
    code = (
        "import json; from patents.models import Patent; "
        "print(json.dumps(list(Patent.objects.filter(inventory_status='pooled').order_by('pk')"
        ".values_list('title', flat=True)[:2000]), ensure_ascii=False))"
    )
    titles = [t.removeprefix("一种") for t in json.loads(shell(code, env)) if len(t) >= 6]
    rng = random.Random(seed)
    fragments = sorted({t[i : i + rng.choice((2, 3, 4))] for t in titles for i in range(0, len(t) - 4, 3)})
    queries: set[str] = set()
    while len(queries) < n and fragments:
        queries.add(f"{rng.choice(fragments)} {rng.choice(fragments)}")
    return sorted(queries)


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


# --- main -----------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=max(2, 2 * (os.cpu_count() or 1) + 1))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15, help="duration of each load scenario")
    parser.add_argument("--baseline-seconds", type=float, default=5)
    parser.add_argument("--budget", type=int, default=30_000, help="most requests in one scenario")
    parser.add_argument("--soak-seconds", type=float, default=60, help="0 skips the soak (the issue asks for 600)")
    parser.add_argument("--soak-import", action="store_true", help="run an import during the soak")
    parser.add_argument("--soak-import-rows", type=int, default=20_000)
    parser.add_argument("--soak-match", action="store_true", help="run a full matching run during the soak")
    parser.add_argument("--rss-interval", type=float, default=5)
    parser.add_argument("--user", default="enterprise", help="the demo enterprise user")
    parser.add_argument("--skip-setup", action="store_true", help="do not migrate / load the demo / match")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "patent_platform.settings.local",
        "DJANGO_DEBUG": "False",
        "PYTHONUNBUFFERED": "1",
    }
    database = env.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        print(f"warning: DATABASE_URL is not PostgreSQL ({database or 'unset: SQLite'}); figures are not the real ones")
    if not args.skip_setup:
        prepare(env)
    token = enterprise_token(env, args.user)
    auth = {"Authorization": f"Token {token}", "Accept": "application/json"}
    recommendations = ["/api/v1/recommendations/", "/api/v1/recommendations/?page=2", "/api/v1/recommendations/?page=3"]
    searches = [f"/api/v1/search/?q={urllib.parse.quote(q)}" for q in QUERIES]
    # one path per request at most: a fresh ranking every time (the worst case: nothing cached)
    fresh = [f"/api/v1/search/?q={urllib.parse.quote(q)}" for q in distinct_queries(env, args.budget)]

    log = Path(tempfile.mkdtemp(prefix="load-")) / "gunicorn.log"
    server = start_gunicorn(env=env, port=args.port, workers=args.workers, log=log)
    helpers: list[subprocess.Popen] = []
    results: list[Result] = []
    figures: dict = {
        "database": "postgresql" if database.startswith("postgres") else "sqlite",
        "gunicorn_workers": args.workers,
        "cpus": os.cpu_count(),
    }
    try:
        common = {"port": args.port, "headers": auth, "budget": args.budget}
        # warm every worker (imports, the TF-IDF index in each process) before measuring
        drive(name="warm-up", paths=recommendations + searches, connections=args.workers * 2, seconds=5, **common)
        one = {**common, "connections": 1, "seconds": args.baseline_seconds}
        results.append(drive(name="baseline healthz, 1 conn", paths=["/healthz"], **one))
        results.append(drive(name="baseline recommendations, 1 conn", paths=recommendations, **one))
        many = {**common, "connections": args.connections, "seconds": args.seconds}
        results.append(drive(name="healthz", paths=["/healthz"], **many))
        results.append(drive(name="recommendations", paths=recommendations, **many))
        results.append(drive(name="search", paths=searches, **many))
        results.append(drive(name="search distinct", paths=fresh, unique=True, **many))
        rss = None
        if args.soak_seconds > 0:
            if args.soak_import:
                path = soak_import_file(args.soak_import_rows, env)
                code = shell("from patents.models import Institution; print(Institution.objects.first().moe_code)", env)
                helpers.append(
                    subprocess.Popen(
                        [PYTHON, "manage.py", "import_patents", str(path), "--institution", code],
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
            if args.soak_match:
                helpers.append(
                    subprocess.Popen(
                        [PYTHON, "manage.py", "match_all"],
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
            rss = RssSampler(server.pid, args.rss_interval)
            rss.start()
            mixed = recommendations + searches
            soak = {**many, "seconds": args.soak_seconds, "budget": 10**9}
            results.append(
                drive(name=f"soak {int(args.soak_seconds)} s (mixed)", paths=mixed, **soak)
            )  # recs + popular
            rss.stop()
            figures["soak_background"] = [
                name for name, on in (("import", args.soak_import), ("matching", args.soak_match)) if on
            ]
            # exit status of each background job (None: still running when the soak ended, then stopped)
            figures["soak_helpers_exit"] = dict(
                zip(figures["soak_background"], [h.poll() for h in helpers], strict=True)
            )
    finally:
        for helper in helpers:
            stop(helper, group=True)
        stop(server)

    print(
        f"\n{'scenario':34} {'conns':>5} {'reqs':>7} {'err':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for result in results:
        f = result.figures()
        print(
            f"{result.name:34} {f['connections']:>5} {f['requests']:>7} {f['errors']:>5} {f['rps']:>8} "
            f"{f['p50_ms']:>8} {f['p95_ms']:>8} {f['p99_ms']:>8}"
        )
        if result.error_samples:
            print(f"{'':34} errors e.g. {result.error_samples}")
        figures[result.name.split(",")[0].replace(" ", "_")] = f
    if rss is not None and rss.samples:
        totals = [total for _, total, _ in rss.samples]
        # first sample vs. last, and against the mean of the first quarter (workers finish warming early)
        head = totals[: max(1, len(totals) // 4)]
        figures["rss_mb"] = {
            "samples": [[t, total] for t, total, _ in rss.samples],
            "first": totals[0],
            "last": totals[-1],
            "max": max(totals),
            "growth_pct_vs_first_quarter": round(
                100 * (totals[-1] - statistics.fmean(head)) / statistics.fmean(head), 1
            ),
            "per_worker_last": rss.samples[-1][2],
        }
        print(
            f"\ngunicorn workers' RSS (MB, total of {len(rss.samples[-1][2])}): "
            + " ".join(f"{t:.0f}s={total:.0f}" for t, total, _ in rss.samples)
        )
    if "soak_helpers_exit" in figures:
        print(f"background jobs during the soak, exit status (0 = done): {figures['soak_helpers_exit']}")
    goals = {}
    for name in ("recommendations", "search", "search_distinct"):
        f = figures[name]
        goals[name] = bool(f["rps"] and f["rps"] >= GOAL_RPS and f["p95_ms"] <= GOAL_P95_MS and f["errors"] == 0)
    figures["goals"] = {"rps": GOAL_RPS, "p95_ms": GOAL_P95_MS, "error_rate": 0, "met": goals}
    print(f"\ngoals (>= {GOAL_RPS:.0f} req/s, p95 <= {GOAL_P95_MS:.0f} ms, 0 errors): {goals}")
    print(json.dumps(figures, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

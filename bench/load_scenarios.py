"""The load benchmark's client side (bench/load.py): the queries, one scenario's driver and its figures, the table.

A scenario is `connections` threads, each one keep-alive HTTP connection to gunicorn on loopback, sending GETs
until its time or its request budget is spent; latencies are measured per request, errors (any status but 200, a
dropped connection) counted and sampled.
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from dataclasses import dataclass, field

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

    @property
    def key(self) -> str:
        """The scenario's name in the JSON line: "search distinct" -> search_distinct (", 1 conn" dropped)."""
        return self.name.split(",")[0].replace(" ", "_")

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


def print_results(results: list[Result]) -> dict[str, dict]:
    """The table of every scenario (errors sampled below their row); returns their figures by key."""
    print(
        f"\n{'scenario':34} {'conns':>5} {'reqs':>7} {'err':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    figures = {}
    for result in results:
        f = result.figures()
        print(
            f"{result.name:34} {f['connections']:>5} {f['requests']:>7} {f['errors']:>5} {f['rps']:>8} "
            f"{f['p50_ms']:>8} {f['p95_ms']:>8} {f['p99_ms']:>8}"
        )
        if result.error_samples:
            print(f"{'':34} errors e.g. {result.error_samples}")
        figures[result.key] = f
    return figures


def goals_met(figures: dict[str, dict]) -> dict[str, bool]:
    """Per API scenario: >= GOAL_RPS, p95 <= GOAL_P95_MS and no error."""
    return {
        name: bool(f["rps"] and f["rps"] >= GOAL_RPS and f["p95_ms"] <= GOAL_P95_MS and f["errors"] == 0)
        for name, f in ((n, figures[n]) for n in ("recommendations", "search", "search_distinct"))
    }

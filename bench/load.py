"""Load benchmark of the web tier: gunicorn on loopback against PostgreSQL (python bench/load.py).

Starts gunicorn (patent_platform.settings.local, DJANGO_DEBUG=False) on 127.0.0.1, prepares the demo if the
database is empty (migrate, load_demo, match_all --if-stale), then drives, with a small thread-pool client of its
own (bench/load_scenarios.py: bounded by time and by a request budget per scenario):

- baselines in the same run: /healthz and the recommendation list over ONE connection, sequentially;
- /api/v1/recommendations/ as the demo enterprise user (token auth) and /api/v1/search/?q=<real words>, each with
  --connections concurrent connections; search twice: the ten popular queries (their ranking is cached after
  the first request, as on the morning of a push) and "search distinct", where every request sends a text never
  sent before (words of real pooled titles), so each one is ranked from scratch;
- a soak (--soak-seconds, default 60; the issue's figure is 600 with --soak-import and --soak-match) of the mixed
  load, optionally while an import (manage.py import_patents of a generated file) and a matching run
  (manage.py match_all) go on, sampling the RSS of every gunicorn worker to show whether memory stays flat.

--scale: the same scenarios at province scale — bench/full_run.py's corpus (45,000 pooled patents x 26,000
enterprises with needs by default, SYNTHETIC text recombined from real sentences) added to the demo and matched
once (minutes; kept for the next --scale run: use a database of its own). The search then ranks ~5x the patents.

Goals: >= 200 req/s and p95 <= 100 ms with no errors on both API endpoints. Prints a table, then ONE line of JSON
with every figure. Stops by itself; gunicorn and the helper processes it started are terminated on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `python bench/load.py` from anywhere

from load_scenarios import GOAL_P95_MS, GOAL_RPS, QUERIES, Result, drive, goals_met, print_results  # noqa: E402
from load_server import (  # noqa: E402
    RssSampler,
    corpus_size,
    distinct_queries,
    enterprise_token,
    prepare,
    shell,
    soak_import_file,
    start_gunicorn,
    start_helper,
    stop,
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
    parser.add_argument("--scale", action="store_true", help="add the province-scale bench corpus (see above)")
    parser.add_argument("--scale-patents", type=int, default=45_000)
    parser.add_argument("--scale-enterprises", type=int, default=26_000)
    return parser.parse_args()


def soak(
    args: argparse.Namespace, env: dict[str, str], server: subprocess.Popen, many: dict, paths: list[str]
) -> tuple[Result, RssSampler, dict]:
    """The mixed load for --soak-seconds, with the optional import and matching run in the background."""
    helpers: list[subprocess.Popen] = []
    try:
        if args.soak_import:
            path = soak_import_file(args.soak_import_rows, env)
            code = shell("from patents.models import Institution; print(Institution.objects.first().moe_code)", env)
            helpers.append(start_helper("import_patents", str(path), "--institution", code, env=env))
        if args.soak_match:
            helpers.append(start_helper("match_all", env=env))
        rss = RssSampler(server.pid, args.rss_interval)
        rss.start()
        result = drive(
            name=f"soak {int(args.soak_seconds)} s (mixed)", paths=paths, **{**many, "seconds": args.soak_seconds}
        )
        rss.stop()
        background = [name for name, on in (("import", args.soak_import), ("matching", args.soak_match)) if on]
        # exit status of each background job (None: still running when the soak ended, then stopped)
        return result, rss, dict(zip(background, [h.poll() for h in helpers], strict=True))
    finally:
        for helper in helpers:
            stop(helper, group=True)


def main() -> int:
    args = arguments()
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
        prepare(env, scale=(args.scale_patents, args.scale_enterprises) if args.scale else None)
    token = enterprise_token(env, args.user)
    auth = {"Authorization": f"Token {token}", "Accept": "application/json"}
    recommendations = ["/api/v1/recommendations/", "/api/v1/recommendations/?page=2", "/api/v1/recommendations/?page=3"]
    searches = [f"/api/v1/search/?q={urllib.parse.quote(q)}" for q in QUERIES]
    # one path per request at most: a fresh ranking every time (the worst case: nothing cached)
    fresh = [f"/api/v1/search/?q={urllib.parse.quote(q)}" for q in distinct_queries(env, args.budget)]
    figures: dict = {
        "database": "postgresql" if database.startswith("postgres") else "sqlite",
        "scale": args.scale,
        **corpus_size(env),
        "gunicorn_workers": args.workers,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }

    log = Path(tempfile.mkdtemp(prefix="load-")) / "gunicorn.log"
    server = start_gunicorn(env=env, port=args.port, workers=args.workers, log=log)
    results: list[Result] = []
    rss = None
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
        if args.soak_seconds > 0:
            result, rss, exits = soak(args, env, server, {**many, "budget": 10**9}, recommendations + searches)
            results.append(result)
            figures["soak_background"] = list(exits)
            figures["soak_helpers_exit"] = exits
    finally:
        stop(server)

    figures["load_after"] = [round(x, 2) for x in os.getloadavg()]
    figures.update(print_results(results))
    if rss is not None and rss.samples:
        figures["rss_mb"] = rss.figures()
        print(
            f"\ngunicorn workers' RSS (MB, total of {len(rss.samples[-1][2])}): "
            + " ".join(f"{t:.0f}s={total:.0f}" for t, total, _ in rss.samples)
        )
    if "soak_helpers_exit" in figures:
        print(f"background jobs during the soak, exit status (0 = done): {figures['soak_helpers_exit']}")
    goals = goals_met(figures)
    figures["goals"] = {"rps": GOAL_RPS, "p95_ms": GOAL_P95_MS, "error_rate": 0, "met": goals}
    print(
        f"\n{figures['pooled_patents']:,} pooled patents, {figures['enterprises']:,} enterprises"
        f"{' (--scale)' if args.scale else ''}; load average {figures['load_before'][0]} before, "
        f"{figures['load_after'][0]} after, on {figures['cpus']} CPUs"
    )
    print(f"goals (>= {GOAL_RPS:.0f} req/s, p95 <= {GOAL_P95_MS:.0f} ms, 0 errors): {goals}")
    print(json.dumps(figures, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

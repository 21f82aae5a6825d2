"""Benchmark: a full matching run at province scale through Celery workers (python bench/full_run_scale.py).

450,000 pooled patents × 26,000 enterprises by default (text recombined from the real corpora like bench/import.py
and bench/full_run.py: synthetic, and labelled so). The bench starts the workers itself — `celery worker -Q matching`
processes on REDIS_URL (your own Redis database) and DATABASE_URL — queues one run through match_run_start, as the
nightly beat does, and waits for it: first with empty token caches, then warm with 1 worker and with 2 workers (the
chunks are spread over the workers that are running). Reported: wall time of each run, the peak memory (VmHWM) of
every worker process and of this process. Goal: ≤ 10 min and ≤ 4 GB.
Needs DATABASE_URL (PostgreSQL) and REDIS_URL. Options: --patents N --enterprises M --workers 1,2 --reuse
--skip-cold --threads T (cores each worker ranks on; by default every worker's kernel uses every core, so on this
2-core machine one worker already fills both and a second adds nothing: --threads 1 shows how the chunks spread
when each worker has a core of its own, as on separate machines).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import full_run  # noqa: E402 - after the path setup, like the other benches


def _workers_start(count: int, log_dir: Path, threads: int | None) -> list[subprocess.Popen]:
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "False", "DJANGO_DEBUG": "False"}
    if threads:  # each worker's ranking kernel and BLAS on this many cores (default: all of them)
        env |= {name: str(threads) for name in ("NUMBA_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "patent_platform",
                "worker",
                "-Q",
                "matching",
                "-c",
                "1",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"scale{n}-{os.getpid()}@%h",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=(log_dir / f"worker{n}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        for n in range(count)
    ]


def _tree(pid: int) -> list[int]:
    """The process and its descendants (a prefork worker is a parent and one child)."""
    out = [pid]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                out += _tree(int(proc.name))
    return out


def _peak_mb(pid: int) -> float:
    """Largest VmHWM (peak resident memory) among the process's tree, in MB."""
    peak = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


_PHASE_KEYS = (
    "prepare_s",
    "prepare_cpu_s",
    "tokenize_s",
    "tokenize_cpu_s",
    "fit_s",
    "fit_cpu_s",
    "queries_s",
    "queries_cpu_s",
    "save_s",
    "chunks_s",
    "finalize_s",
)


def _run(workers: int, trigger: str, log_dir: Path, timeout: float, threads: int | None) -> dict:
    from matching.models import MatchRun
    from matching.runs.start import match_run_start

    procs = _workers_start(workers, log_dir, threads)
    try:
        time.sleep(8)  # workers connect and warm their kernels up before the run is queued
        started = time.perf_counter()
        run = match_run_start(trigger=trigger)
        while time.perf_counter() - started < timeout:
            run.refresh_from_db()
            if run.status in (MatchRun.Status.DONE, MatchRun.Status.FAILED):
                break
            time.sleep(0.5)
        seen_s = time.perf_counter() - started
        peaks = [round(_peak_mb(p.pid)) for p in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)
    return {
        "workers": workers,
        "threads_per_worker": threads or os.cpu_count(),
        "status": run.status,
        "error": run.error,
        "wall_s": run.timings.get("wall_s"),
        "queued_to_done_s": round(seen_s, 2),
        **{k: run.timings.get(k) for k in _PHASE_KEYS},
        "chunks": run.chunks_total,
        "recommendations": run.counts.get("recommendations"),
        "worker_peak_mb": peaks,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patents", type=int, default=450_000)
    parser.add_argument("--enterprises", type=int, default=26_000)
    parser.add_argument("--workers", default="1,2", help='worker counts of the warm runs, e.g. 1,2 ("": none)')
    parser.add_argument("--reuse", action="store_true", help="keep bench data loaded by an earlier --reuse run")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--skip-cold", action="store_true", help="keep the token caches; no cold-cache run first")
    parser.add_argument(
        "--threads", type=int, default=None, help="cores each worker ranks on (default: all; 1 = a core per worker)"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and REDIS_URL (your own Redis database) for the workers")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "False"
    full_run._setup()
    from django.core.management import call_command

    from matching.models import EnterpriseTokens, PatentTokens
    from patents.models import Patent

    call_command("migrate", verbosity=0)
    log_dir = Path(os.environ.get("BENCH_LOG_DIR", "/tmp")) / f"full_run_scale-{os.getpid()}"
    log_dir.mkdir(parents=True, exist_ok=True)
    loaded = Patent.objects.filter(institution__name=full_run.BENCH_INSTITUTION).count() == args.patents
    load_s = 0.0
    if not (args.reuse and loaded):
        full_run._cleanup()
        started = time.perf_counter()
        full_run._load(args.patents, args.enterprises)
        load_s = time.perf_counter() - started
    load_start = os.getloadavg()
    print(f"data loaded in {load_s:.1f} s; load average {'/'.join(f'{x:.1f}' for x in load_start)}", flush=True)
    runs = []
    if not args.skip_cold:
        PatentTokens.objects.all().delete()
        EnterpriseTokens.objects.all().delete()
        runs.append(_run(1, "bench-scale-cold", log_dir, args.timeout, args.threads))
        print(f"finished: {json.dumps(runs[-1], ensure_ascii=False)}", flush=True)
    for n in filter(None, args.workers.split(",")):  # --workers "" : the cold run only
        runs.append(_run(int(n), f"bench-scale-{n}w", log_dir, args.timeout, args.threads))
        print(f"finished: {json.dumps(runs[-1], ensure_ascii=False)}", flush=True)
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    if not args.reuse:
        full_run._cleanup()
    print(
        f"Full matching run through Celery workers — {args.patents:,} pooled patents × {args.enterprises:,} "
        f"enterprises (synthetic text recombined from real corpora), PostgreSQL; load average {load:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{'run':<22}{'workers':>8}{'threads':>8}{'tokenize s':>11}{'fit s':>7}{'queries s':>10}{'prepare s':>10}"
        f"{'chunks s':>9}"
        f"{'finalize s':>11}{'wall s':>8}{'peak MB/worker':>18}  rows"
    )
    names = [f"warm, {r['workers']} worker(s)" for r in runs]
    if not args.skip_cold:
        names[0] = "cold token caches"
    for name, run in zip(names, runs, strict=True):
        print(
            f"{name:<22}{run['workers']:>8}{run['threads_per_worker']:>8}{run['tokenize_s'] or 0:>11.1f}"
            f"{run['fit_s'] or 0:>7.1f}"
            f"{run['queries_s'] or 0:>10.1f}{run['prepare_s'] or 0:>10.1f}{run['chunks_s'] or 0:>9.1f}"
            f"{run['finalize_s'] or 0:>11.1f}"
            f"{run['wall_s'] or 0:>8.1f}{'/'.join(map(str, run['worker_peak_mb'])):>18}"
            f"  {run['recommendations'] or 0:,}"
        )
    print("goal: ≤ 600 s and ≤ 4,096 MB per worker; chunks s is the sum over the workers (wall s falls with more)")
    print(
        json.dumps(
            {
                "bench": "full_run_scale",
                "patents": args.patents,
                "enterprises": args.enterprises,
                "synthetic_text": True,
                "database": "postgresql",
                "data_load_s": round(load_s, 1),
                "runs": runs,
                "bench_process_peak_mb": round(own_mb),
                "load_average": round(load, 2),
                "load_average_start": [round(x, 2) for x in load_start],
                "cpus": os.cpu_count(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

"""The assessment's search filters (issue 25) and a patent page's matching facts (issue 26 item 5), in process.

Workload: the demo as bench/search.py prepares it (`load_demo` + `match_all --if-stale` when the database has no
run), the assessments of demo.patentpage added when there are none, the search cache off, a province bureau user.

* search filters – bench/search.py's 50 short queries through the search page's selector (patent_search) with no
  filter (the baseline, in this process), the transfer-mode filter that was there before, and the new ones: value
  grades A,B; inventor consent; both; grades with the mode;
* patent page – for 50 pooled patents (seeded): the similar pooled patents an enterprise member sees
  (matching.reading.similar.similar_patents) and the matched enterprises a bureau user is told
  (matched_enterprise_count: the push list ranked now).

Every query is run once to warm up, then `--passes` times (default 3); per row the mean, median and p95 of one call
(ms of wall time) and the mean CPU time of this process per call. The machine's load is printed: on a shared 2-core
box the CPU column is the steadier one.

Usage: [DATABASE_URL=...] python bench/patentpage.py [--passes N]
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable

import _common as C  # also puts the project root on sys.path
from search import SEED, _setup, short_queries

FILTERS = {
    "no filter (baseline)": {},
    "mode licence (before)": {"mode": "licence"},
    "grade A,B": {"grade": "A,B"},
    "inventor consent": {"consent": "1"},
    "grade A,B + consent": {"grade": "A,B", "consent": "1"},
    "grade A,B + mode licence": {"grade": "A,B", "mode": "licence"},
}
N_PATENTS = 50


def _timed(calls: list[Callable[[], object]], passes: int) -> dict[str, float]:
    for call in calls:  # warm-up
        call()
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(passes):
        for call in calls:
            t0, c0 = time.perf_counter(), time.process_time()
            call()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return {
        "calls": len(wall),
        "mean_ms": round(statistics.fmean(wall), 2),
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": round(sorted(wall)[int(0.95 * (len(wall) - 1))], 2),
        "cpu_mean_ms": round(statistics.fmean(cpu), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from accounts.models import Role, User
    from accounts.services import user_create
    from demo.patentpage import assessments_load
    from enterprises.models import Enterprise
    from matching.models import MatchRun
    from matching.reading.search import patent_search
    from matching.reading.similar import matched_enterprise_count, similar_patents
    from matching.runs.prepare import matchable_patents
    from patents.models import PatentAssessment

    call_command("migrate", verbosity=0)
    if not MatchRun.objects.filter(is_current=True, status=MatchRun.Status.DONE).exists():
        call_command("load_demo", verbosity=0)
        call_command("match_all", "--if-stale", verbosity=0)
    if not PatentAssessment.objects.exists():
        assessments_load()  # no patent's updated_at moves: the run's index stays as it is
    settings.MATCHING_SEARCH_CACHE_SECONDS = 0
    bureau = User.objects.filter(username="bench_search_bureau").first() or user_create(
        username="bench_search_bureau", password="Bench-pass-2026", role=Role.BUREAU_PROVINCE
    )
    member = User.objects.filter(username="bench_patentpage_member").first() or user_create(
        username="bench_patentpage_member",
        password="Bench-pass-2026",
        role=Role.ENTERPRISE,
        enterprise=Enterprise.objects.order_by("pk").first(),
    )
    texts = short_queries()
    started = time.perf_counter()
    figures: dict[str, dict[str, float]] = {}
    for name, filters in FILTERS.items():
        calls = [
            (lambda text=text, filters=filters: patent_search(user=bureau, text=text, filters=filters))
            for text in texts
        ]
        figures[f"search, {name}"] = _timed(calls, args.passes)
    patents = random.Random(SEED).sample(list(matchable_patents().order_by("pk")), N_PATENTS)
    figures["patent page: similar (enterprise)"] = _timed(
        [(lambda p=p: similar_patents(user=member, patent=p)) for p in patents], args.passes
    )
    figures["patent page: matched count (bureau)"] = _timed(
        [(lambda p=p: matched_enterprise_count(user=bureau, patent=p)) for p in patents], args.passes
    )
    C.print_table(
        title=f"search filters and patent page facts, cache off, {args.passes} passes ({C.load_note()})",
        headers=["what", "calls", "mean ms", "median ms", "p95 ms", "CPU ms (mean)"],
        rows=[[k, f["calls"], f["mean_ms"], f["median_ms"], f["p95_ms"], f["cpu_mean_ms"]] for k, f in figures.items()],
    )
    assessed = PatentAssessment.objects.count()
    print(
        json.dumps(
            {
                "bench": "patentpage",
                "passes": args.passes,
                "assessed": assessed,
                "figures": figures,
                "load": os.getloadavg()[0],
                "seconds": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

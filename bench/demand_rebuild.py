"""The finalise's supply-and-demand rebuild (issue 27): the two INSERT…SELECT statements (patent_demand_rebuild, then
enterprise_supply_rebuild: the baseline) against supply_and_demand_rebuild (parallel SELECTs into temporary tables,
JIT off, supply by hash aggregation), on the rows of a finished run already in the database.

    DATABASE_URL=postgres://… python bench/demand_rebuild.py [--run RUN_ID] [--repeat 3]

Needs a database where bench/full_run.py left its run (PostgreSQL: 45,000 × 26,000 there). Every timing runs inside a
transaction that is rolled back: the stored PatentDemand / EnterpriseSupply rows are not changed. Each repeat times
both ways in turn and checks that they write exactly the same rows. Last line: one JSON object."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from matching.models import EnterpriseSupply, MatchRun  # noqa: E402
from matching.runs.demand import (  # noqa: E402
    enterprise_supply_rebuild,
    patent_demand_rebuild,
    supply_and_demand_rebuild,
)
from patents.models import PatentDemand  # noqa: E402


def _baseline(run_id: int) -> None:
    patent_demand_rebuild(run_id=run_id)
    enterprise_supply_rebuild(run_id=run_id)


def _fast(run_id: int) -> None:
    supply_and_demand_rebuild(run_id=run_id)


def _timed(way: Callable[[int], None], run_id: int) -> tuple[float, list[tuple], list[tuple]]:
    with transaction.atomic():
        started = time.perf_counter()
        way(run_id)
        seconds = time.perf_counter() - started
        demand = list(
            PatentDemand.objects.order_by("patent_id").values_list(
                "patent_id", "run_id", "enterprises", "needs", "best_score"
            )
        )
        supply = list(
            EnterpriseSupply.objects.order_by("enterprise_id").values_list(
                "enterprise_id", "run_id", "best_score", "best_patent_id"
            )
        )
        transaction.set_rollback(True)
    return seconds, demand, supply


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", type=int, default=None, help="the run's id (default: the current run)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run = MatchRun.objects.get(pk=args.run) if args.run else MatchRun.objects.get(is_current=True)
    rows = run.recommendations.count()
    base_s: list[float] = []
    fast_s: list[float] = []
    same = True
    for _ in range(args.repeat):
        b, demand_b, supply_b = _timed(_baseline, run.pk)
        f, demand_f, supply_f = _timed(_fast, run.pk)
        base_s.append(b)
        fast_s.append(f)
        same = same and demand_b == demand_f and supply_b == supply_f
    base, fast = statistics.median(base_s), statistics.median(fast_s)
    load = os.getloadavg()[0]
    print(f"run {run.pk}: {rows:,} rows, {connection.vendor}, load {load:.2f}, {args.repeat} repeats (median)")
    print(f"{'way':<32}{'seconds':>10}")
    print(f"{'baseline (two INSERT…SELECT)':<32}{base:>10.2f}")
    print(f"{'supply_and_demand_rebuild':<32}{fast:>10.2f}")
    print(f"speed-up {base / fast:.2f}×, same rows: {same} ({len(demand_f):,} patents, {len(supply_f):,} enterprises)")
    figures = {
        "run_id": run.pk,
        "rows": rows,
        "vendor": connection.vendor,
        "load": round(load, 2),
        "baseline_s": [round(s, 3) for s in base_s],
        "fast_s": [round(s, 3) for s in fast_s],
        "baseline_median_s": round(base, 3),
        "fast_median_s": round(fast, 3),
        "speedup": round(base / fast, 2),
        "same_rows": same,
        "patents_in_demand": len(demand_f),
        "enterprises_with_supply": len(supply_f),
    }
    print(json.dumps(figures))
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

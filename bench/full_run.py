"""Benchmark: a full matching run through the product's services on PostgreSQL (python bench/full_run.py).

45,000 pooled patents (~2 KB each) × 26,000 enterprises (real business scopes + a need), text built from the real
corpora in ../shared/data and labelled synthetic. Measures the whole run — tokenize (cache cold, then warm),
fit, rank both ways with explanations and feedback, persist every recommendation — as `full_run_s`.
Baseline in the same run: writing the same number of recommendation rows with Django's bulk_create instead of
COPY. Needs DATABASE_URL (PostgreSQL). Options: --patents N --enterprises M.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BENCH_INSTITUTION = "匹配基准大学（bench）"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "False")
    import django

    django.setup()


def _cleanup() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE matching_recommendation, matching_matchchunk, matching_patenttokens, "
            "matching_matchrun RESTART IDENTITY"
        )
    from enterprises.models import Enterprise
    from patents.models import Patent

    Enterprise.objects.filter(uscc__startswith="BENCH").delete()
    Patent.objects.filter(institution__name=BENCH_INSTITUTION).delete()


def _load(n_patents: int, n_enterprises: int) -> None:
    from _common import synthetic_needs, synthetic_patents

    from core.models import City
    from core.services import regions_ensure
    from enterprises.models import Enterprise, TechNeed
    from patents.models import Institution, Patent

    regions_ensure()
    wuhan = City.objects.get(code="4201")
    institution, _ = Institution.objects.get_or_create(name=BENCH_INSTITUTION, defaults={"city": wuhan})
    Patent.objects.bulk_create(
        [
            Patent(
                application_number=f"B{i:011d}.0",
                title=t[:300],
                abstract=a,
                claims=c,
                patent_type="invention",
                institution=institution,
                inventory_status="pooled",
                legal_status="valid",
                transfer_modes=["licence"],
            )
            for i, (_, t, a, c) in enumerate(synthetic_patents(n=n_patents))
        ],
        batch_size=2000,
    )
    needs = synthetic_needs(n=n_enterprises)
    Enterprise.objects.bulk_create(
        [
            Enterprise(name=f"基准企业{i}", uscc=f"BENCH{i:013d}", city=wuhan, business_scope=scope)
            for i, (_, _, scope) in enumerate(needs)
        ],
        batch_size=2000,
    )
    ids = dict(Enterprise.objects.filter(uscc__startswith="BENCH").values_list("uscc", "pk"))
    TechNeed.objects.bulk_create(
        [
            TechNeed(enterprise_id=ids[f"BENCH{i:013d}"], title=need[:60], description=need)
            for i, (_, need, _) in enumerate(needs)
        ],
        batch_size=2000,
    )


def _write_baseline(rows: int) -> tuple[float, float]:
    """Seconds to write `rows` recommendation rows by COPY and by bulk_create (same rows, rolled back)."""
    from django.db import transaction

    from enterprises.models import Enterprise
    from matching.models import MatchRun, Recommendation
    from matching.services import RecRow, recommendations_write
    from patents.models import Patent

    patents = list(Patent.objects.filter(institution__name=BENCH_INSTITUTION).values_list("pk", flat=True)[:1000])
    enterprises = list(Enterprise.objects.filter(uscc__startswith="BENCH").values_list("pk", flat=True))
    out = []
    for method in ("copy", "bulk_create"):
        with transaction.atomic():
            run = MatchRun.objects.create()
            recs = [
                RecRow(
                    run.pk,
                    enterprises[i // 1000],
                    patents[i % len(patents)],
                    i % 50 + 1,
                    0.5,
                    0.5,
                    ["示例", "术语"],
                )
                for i in range(rows)
            ]
            started = time.perf_counter()
            if method == "copy":
                recommendations_write(recs)
            else:
                Recommendation.objects.bulk_create([Recommendation(**r._asdict()) for r in recs], batch_size=5000)
            out.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patents", type=int, default=45_000)
    parser.add_argument("--enterprises", type=int, default=26_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (this benchmark measures the PostgreSQL path)")
    _setup()
    from django.core.management import call_command

    from matching.models import MatchRun
    from matching.services import match_run_execute_inline

    call_command("migrate", verbosity=0)
    _cleanup()
    started = time.perf_counter()
    _load(args.patents, args.enterprises)
    load_s = time.perf_counter() - started
    cold = match_run_execute_inline(run=MatchRun.objects.create(parameters={"bench": "cold"}))
    warm = match_run_execute_inline(run=MatchRun.objects.create(parameters={"bench": "warm"}))
    rows = warm.counts.get("recommendations", 0)
    copy_s, insert_s = _write_baseline(200_000)
    load = os.getloadavg()[0]
    _cleanup()
    print(
        f"Full matching run — {args.patents:,} pooled patents × {args.enterprises:,} enterprises "
        f"(synthetic text recombined from real corpora), PostgreSQL; load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'run':<28}{'tokenize s':>11}{'fit s':>8}{'queries s':>10}{'rank+write s':>13}{'wall s':>9}  rows")
    for name, run in (("cold token cache", cold), ("warm token cache", warm)):
        t = run.timings
        print(
            f"{name:<28}{t['tokenize_s']:>11.2f}{t['fit_s']:>8.2f}{t['queries_s']:>10.2f}{t['chunks_s']:>13.2f}"
            f"{t['wall_s']:>9.2f}  {run.counts.get('recommendations', 0):,}"
        )
    print(f"writing 200,000 rows: COPY {copy_s:.2f} s vs bulk_create {insert_s:.2f} s (×{insert_s / copy_s:.1f})")
    print("goal: full run including persistence ≤ 60 s (aim 30 s)")
    print(
        json.dumps(
            {
                "patents": args.patents,
                "enterprises": args.enterprises,
                "synthetic_text": True,
                "database": "postgresql",
                "data_load_s": round(load_s, 1),
                "full_run_s": warm.timings["wall_s"],
                "full_run_cold_cache_s": cold.timings["wall_s"],
                "tokenize_cold_s": cold.timings["tokenize_s"],
                "tokenize_warm_s": warm.timings["tokenize_s"],
                "fit_s": warm.timings["fit_s"],
                "rank_and_write_s": warm.timings["chunks_s"],
                "recommendations": rows,
                "copy_200k_s": round(copy_s, 2),
                "bulk_create_200k_s": round(insert_s, 2),
                "ratio_copy_vs_bulk_create": round(insert_s / copy_s, 1),
                "status": warm.status,
                "load_average": round(load, 2),
            }
        )
    )


if __name__ == "__main__":
    main()

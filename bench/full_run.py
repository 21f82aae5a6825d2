"""Benchmark: a full matching run through the product's services on PostgreSQL (python bench/full_run.py).

45,000 pooled patents (~2 KB each) × 26,000 enterprises (real business scopes + a need), text built from the real
corpora in ../shared/data and labelled synthetic. Measures the whole run — tokenize (cache cold, then warm),
fit, rank with explanations and feedback, persist every recommendation — as `full_run_s` (warm caches), and the
numba kernels' first compile (a fresh process, empty NUMBA_CACHE_DIR) and load from the cache. Baselines in the same
process: one chunk's explanations by the previous per-query explain_many against explain_pairs (with a check that the
terms are identical), 200,000 rows written by bulk_create against COPY, and issue 27's budget: the warm run with
supply and demand (chunks' shares, the finalise's sums) against the same run without them, two of each in the order
with, without, without, with (bench/full_run_demand.py). Needs DATABASE_URL (PostgreSQL).
Options: --patents N --enterprises M --reuse (keep the loaded bench data between invocations).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
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


def _copy_field(value: object) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_objects(objects: list) -> None:
    """Insert unsaved model instances of one model by COPY (what bulk_create would store: defaults and auto_now
    values applied by Django's pre_save), in blocks of 20,000 rows."""
    import io

    from django.db import connection, transaction

    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(objects), 20_000):
            buffer = io.StringIO()
            for obj in objects[start : start + 20_000]:
                buffer.write("\t".join(_copy_field(f.pre_save(obj, add=True)) for f in fields))
                buffer.write("\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)


def _load(n_patents: int, n_enterprises: int) -> None:
    """The bench's patents, enterprises and needs, written by COPY (450,000 patents load in minutes, not tens)."""
    from _common import synthetic_needs, synthetic_patents

    from core.models import City
    from core.services import regions_ensure
    from enterprises.models import Enterprise, TechNeed
    from patents.models import Institution, Patent

    regions_ensure()
    wuhan = City.objects.get(code="4201")
    institution, _ = Institution.objects.get_or_create(name=BENCH_INSTITUTION, defaults={"city": wuhan})
    _copy_objects(
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
        ]
    )
    needs = synthetic_needs(n=n_enterprises)
    _copy_objects(
        [
            Enterprise(name=f"基准企业{i}", uscc=f"BENCH{i:013d}", city=wuhan, business_scope=scope)
            for i, (_, _, scope) in enumerate(needs)
        ]
    )
    ids = dict(Enterprise.objects.filter(uscc__startswith="BENCH").values_list("uscc", "pk"))
    _copy_objects(
        [
            TechNeed(enterprise_id=ids[f"BENCH{i:013d}"], title=need[:60], description=need)
            for i, (_, need, _) in enumerate(needs)
        ]
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patents_patent; ANALYZE enterprises_enterprise; ANALYZE enterprises_techneed")


def _write_baseline(rows: int) -> tuple[float, float]:
    """Seconds to write `rows` recommendation rows by COPY and by bulk_create (same rows, rolled back)."""
    import numpy as np
    from django.db import transaction

    from enterprises.models import Enterprise
    from matching.models import MatchRun, Recommendation
    from matching.runs.rows import RecommendationRows
    from matching.runs.writes import recommendations_write
    from patents.models import Patent

    patents = list(Patent.objects.filter(institution__name=BENCH_INSTITUTION).values_list("pk", flat=True)[:1000])
    enterprises = list(Enterprise.objects.filter(uscc__startswith="BENCH").values_list("pk", flat=True))
    pairs = np.arange(rows)
    out = []
    for method in ("copy", "bulk_create"):
        with transaction.atomic():
            run = MatchRun.objects.create()
            recs = RecommendationRows(
                run_id=run.pk,
                enterprise_ids=np.array(enterprises)[pairs // 1000],
                patent_ids=np.array(patents)[pairs % len(patents)],
                ranks=pairs % 50 + 1,
                scores=np.full(rows, 0.5),
                semantic=np.zeros(rows),
                final_scores=np.full(rows, 0.5),
                terms=['["示例", "术语"]'] * rows,
            )
            terms = ["示例", "术语"]
            started = time.perf_counter()
            if method == "copy":
                recommendations_write(recs)
            else:
                Recommendation.objects.bulk_create(
                    [
                        Recommendation(
                            run_id=run.pk, enterprise_id=e, patent_id=p, rank=r, score=0.5, final_score=0.5, terms=terms
                        )
                        for e, p, r in zip(
                            recs.enterprise_ids.tolist(), recs.patent_ids.tolist(), recs.ranks.tolist(), strict=True
                        )
                    ],
                    batch_size=5000,
                )
            out.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return out[0], out[1]


def _explain_baseline(run) -> tuple[float, float, bool]:
    """One chunk's explanations: the per-query explain_many (the previous path) against explain_pairs (now); and
    whether both give the same terms."""
    import json as json_

    import numpy as np
    from django.conf import settings

    from matching.engine import explain_many, explain_pairs, top_k_patents
    from matching.runs.artifacts import run_artifacts
    from matching.runs.rows import terms_json

    index, queries, _ = run_artifacts(run)
    part = queries[: settings.MATCHING_ENTERPRISE_CHUNK]
    top = top_k_patents(queries=part, patents=index.matrix, k=settings.MATCHING_TOP_K)
    started = time.perf_counter()
    before = explain_many(index=index, queries=part, patent_rows=top.indices, n_terms=settings.MATCHING_TERMS_SHOWN)
    before_json = [json_.dumps(pair, ensure_ascii=False) for query in before for pair in query]
    old_s = time.perf_counter() - started
    started = time.perf_counter()
    ids = explain_pairs(
        matrix=index.matrix,
        queries=part,
        query_rows=np.repeat(np.arange(part.shape[0]), top.indices.shape[1]),
        patent_rows=top.indices.ravel(),
        n_terms=settings.MATCHING_TERMS_SHOWN,
    )
    now_json = terms_json(terms=index.terms, term_ids=ids)
    new_s = time.perf_counter() - started
    return old_s, new_s, now_json == before_json


def _numba_compile() -> tuple[float, float]:
    """Seconds a fresh process takes to compile the matching kernels with an empty NUMBA_CACHE_DIR, then to load
    them from that cache (what a worker pays when it starts)."""
    code = (
        "import os, time; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'patent_platform.settings.local');"
        "import django; django.setup(); from matching.engine import kernels_warm_up;"
        "t = time.perf_counter(); kernels_warm_up(); print(time.perf_counter() - t)"
    )
    with tempfile.TemporaryDirectory() as cache_dir:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
        out = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
                ).stdout.split()[-1]
            )
            for _ in range(2)
        ]
    return out[0], out[1]


PHASES = ("tokenize", "fit", "queries", "save")


def _measured(trigger: str) -> tuple[object, float]:
    """A whole inline run and the CPU seconds this process spent on it (every thread: ranking and the writer)."""
    from matching.runs.start import match_run_start

    started_cpu = time.process_time()
    run = match_run_start(trigger=trigger, inline=True)
    return run, time.process_time() - started_cpu


def _phases(run, cpu_s: float) -> dict[str, float]:
    """Wall and CPU seconds per phase: the preparation's phases from the run's timings; chunks (ranking,
    explanations, COPY) = the rest of the run (its CPU: this process's CPU minus the preparation's)."""
    t = run.timings
    out = {f"{name}{kind}": t.get(f"{name}{kind}", 0.0) for name in PHASES for kind in ("_s", "_cpu_s")}
    out["chunks_s"] = round(t["wall_s"] - t["prepare_s"] - t.get("finalize_s", 0.0), 2)
    out["chunks_cpu_s"] = round(cpu_s - t.get("prepare_cpu_s", 0.0), 2)
    out["chunks_summed_s"] = t.get("chunks_s", 0.0)
    out["finalize_s"] = t.get("finalize_s", 0.0)
    out["wall_s"], out["cpu_s"] = t["wall_s"], round(cpu_s, 2)
    return out


def _print_phases(runs: dict[str, dict[str, float]]) -> None:
    names = (*PHASES, "chunks")
    print(f"{'run':<20}" + "".join(f"{n + ' s':>17}" for n in names) + f"{'finalize s':>11}{'total s':>17}")
    print(f"{'':<20}" + f"{'wall / CPU':>17}" * len(names) + f"{'wall':>11}{'wall / CPU':>17}")
    for label, ph in runs.items():
        cells = "".join(f"{ph[n + '_s']:>9.2f} / {ph[n + '_cpu_s']:<5.1f}" for n in names)
        print(f"{label:<20}{cells}{ph['finalize_s']:>11.2f}{ph['wall_s']:>9.2f} / {ph['cpu_s']:<5.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patents", type=int, default=45_000)
    parser.add_argument("--enterprises", type=int, default=26_000)
    parser.add_argument("--reuse", action="store_true", help="keep bench data loaded by an earlier --reuse run")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database (this benchmark measures the PostgreSQL path)")
    _setup()
    from django.core.management import call_command
    from full_run_demand import demand_baseline, with_and_without

    from matching.engine import kernels_warm_up
    from matching.models import EnterpriseTokens, PatentTokens
    from patents.models import Patent

    call_command("migrate", verbosity=0)
    compile_s, cached_s = _numba_compile()
    loaded = Patent.objects.filter(institution__name=BENCH_INSTITUTION).count() == args.patents
    load_s = 0.0
    if not (args.reuse and loaded):
        _cleanup()
        started = time.perf_counter()
        _load(args.patents, args.enterprises)
        load_s = time.perf_counter() - started
    PatentTokens.objects.all().delete()
    EnterpriseTokens.objects.all().delete()
    started = time.perf_counter()
    kernels_warm_up()  # from the cache: what this process pays before its first chunk
    kernels_s = time.perf_counter() - started
    load_start = os.getloadavg()
    cold, cold_cpu = _measured("bench-cold")
    with_runs, without_runs = with_and_without(_measured)
    warm, warm_cpu = with_runs[-1]  # the last run: its rows and files are still there for the baselines below
    load_end = os.getloadavg()
    phases = {"cold token caches": _phases(cold, cold_cpu)}
    for label, runs in (("warm", with_runs), ("warm, no demand", without_runs)):
        for i, (run, cpu) in enumerate(runs, 1):
            phases[f"{label} {i}"] = _phases(run, cpu)
    with_s = [run.timings["wall_s"] for run, _ in with_runs]
    without_s = [run.timings["wall_s"] for run, _ in without_runs]
    rows = warm.counts.get("recommendations", 0)
    explain_old_s, explain_new_s, same_terms = _explain_baseline(warm)
    demand = demand_baseline(warm)
    # issue 27's budget: the warm run with supply and demand against the same run without them (mean of two each)
    demand_growth = 100 * (sum(with_s) / len(with_s) / (sum(without_s) / len(without_s)) - 1)
    # and the pieces timed alone: the finalise's sums plus the chunks' shares
    demand_cost = warm.timings.get("demand_s", 0.0) + demand["demand_chunk_shares_s"]
    copy_s, insert_s = _write_baseline(200_000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    if not args.reuse:
        _cleanup()
    print(
        f"Full matching run — {args.patents:,} pooled patents × {args.enterprises:,} enterprises "
        f"(synthetic text recombined from real corpora), PostgreSQL, {os.cpu_count()} CPUs; load average (1/5/15 min) "
        f"at start {'/'.join(f'{x:.1f}' for x in load_start)}, at end {'/'.join(f'{x:.1f}' for x in load_end)}"
    )
    _print_phases(phases)
    print(
        f"numba kernels: compile {compile_s:.2f} s (empty cache), load from cache {cached_s:.2f} s, "
        f"here {kernels_s:.2f} s"
    )
    print(
        f"one chunk's explanations: explain_many (previous) {explain_old_s:.2f} s vs explain_pairs "
        f"{explain_new_s:.2f} s (×{explain_old_s / max(explain_new_s, 1e-9):.1f}), same terms: {same_terms}"
    )
    print(
        f"supply and demand: from the run's stored rows (before) {demand['demand_from_rows_s']:.2f} s vs summed from "
        f"the chunks' shares {demand['demand_from_chunks_s']:.2f} s (×"
        f"{demand['demand_from_rows_s'] / max(demand['demand_from_chunks_s'], 1e-9):.1f}), same rows: "
        f"{demand['demand_same_rows']}; the chunks' shares timed alone {demand['demand_chunk_shares_s']:.2f} s\n"
        f"the warm run with supply and demand {' / '.join(f'{x:.2f}' for x in with_s)} s vs without "
        f"{' / '.join(f'{x:.2f}' for x in without_s)} s: {demand_growth:+.1f} % (budget +10 %)"
    )
    print(f"writing 200,000 rows: COPY {copy_s:.2f} s vs bulk_create {insert_s:.2f} s (×{insert_s / copy_s:.1f})")
    print(f"peak memory {peak_mb:,.0f} MB; goal: warm full run incl. persistence ≤ 30 s")
    print(
        json.dumps(
            {
                "bench": "full_run",
                "patents": args.patents,
                "enterprises": args.enterprises,
                "synthetic_text": True,
                "database": "postgresql",
                "data_load_s": round(load_s, 1),
                "full_run_s": with_s[0],  # the first warm run
                # of which the supply-and-demand aggregation at finalise (PatentDemand, EnterpriseSupply)
                "demand_s": warm.timings.get("demand_s"),
                "demand_share_pct": round(100 * warm.timings.get("demand_s", 0.0) / warm.timings["wall_s"], 2),
                **demand,
                "demand_cost_s": round(demand_cost, 2),  # demand_s + demand_chunk_shares_s, timed alone
                "full_run_with_demand_s": with_s,  # the warm runs, in the order with, without, without, with
                "full_run_without_demand_s": without_s,
                "demand_growth_pct": round(demand_growth, 2),  # mean with vs mean without; budget 10
                "full_run_cold_cache_s": cold.timings["wall_s"],
                "full_run_cold_incl_kernels_s": round(cold.timings["wall_s"] + kernels_s, 2),
                "numba_compile_s": round(compile_s, 2),
                "numba_cache_load_s": round(cached_s, 2),
                "kernels_load_s": round(kernels_s, 2),
                "tokenize_cold_s": cold.timings["tokenize_s"],
                "tokenize_warm_s": warm.timings["tokenize_s"],
                "queries_cold_s": cold.timings["queries_s"],
                "queries_warm_s": warm.timings["queries_s"],
                "fit_s": warm.timings["fit_s"],
                "prepare_warm_s": warm.timings["prepare_s"],
                "rank_and_write_s": warm.timings["chunks_s"],
                "recommendations": rows,
                "explain_chunk_previous_s": round(explain_old_s, 3),
                "explain_chunk_now_s": round(explain_new_s, 3),
                "explain_same_terms": same_terms,
                "copy_200k_s": round(copy_s, 2),
                "bulk_create_200k_s": round(insert_s, 2),
                "ratio_copy_vs_bulk_create": round(insert_s / copy_s, 1),
                "peak_rss_mb": round(peak_mb),
                "status": warm.status,
                "load_average": round(load, 2),
                "load_average_start": [round(x, 2) for x in load_start],
                "load_average_end": [round(x, 2) for x in load_end],
                "phases": phases,
                "cpus": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()

"""In-process search time: the search page's selector (matching.reading.search.patent_search) on the demo data.

Workload: the demo (`load_demo` + `match_all --if-stale`, prepared here when the database has no run: 2,676 pooled
patents since issue 24, 9,446 before; `load_demo --scale full` gives 45,000), the search cache off (every search
ranked from scratch), a province bureau user (sees the whole pool).
Queries, all distinct, drawn with a fixed seed from real text:

* short – 50 queries of 2–3 keyphrases of one KPPatent-ZH patent (what a search box gets);
* long  – 20 pooled patents' titles (a described need);
* number – 10 pooled patents' application numbers, in turn as 202410123457.5, CN2024101234575 and
  ZL 2024 1012 3457.5.

Every query is run once to warm up (the index loads, the kernels compile), then `--passes` times (default 5);
per kind the mean, median and p95 of one search (ms of wall time) over all timed calls, and the mean CPU time of
this process per search (process_time, all its threads: less sensitive than wall time to other work on the
machine). "short, ranking only" times the engine's part of the short queries alone (search_index_rank: tokens,
ranking, explanations; no visibility query, no facets, no rows read). The machine's load is printed: on a shared
2-core box compare runs made back to back, several times.

Usage: [DATABASE_URL=...] python bench/search.py [--passes N]
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time

import _common as C  # also puts the project root on sys.path

SEED = 2024
N_SHORT = 50
N_LONG = 20
N_NUMBER = 10


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "False")
    import django

    django.setup()


def short_queries(n: int = N_SHORT, seed: int = SEED) -> list[str]:
    """`n` distinct queries of 2–3 keyphrases of one KPPatent-ZH patent each (seeded)."""
    rng = random.Random(seed)
    patents = [p for p in C.kp_full() + C.kp_abstracts() if len(p.keyphrases) >= 3]
    out: list[str] = []
    while len(out) < n:
        phrases = rng.choice(patents).keyphrases
        text = " ".join(rng.sample(phrases, rng.choice((2, 3))))
        if text not in out:
            out.append(text)
    return out


def _number_spellings(number: str) -> list[str]:
    digits = number.replace(".", "")
    spaced = " ".join(digits[i : i + 4] for i in range(0, len(digits) - 1, 4))
    return [number, f"CN{digits}", f"ZL {spaced}.{digits[-1]}" if len(digits) == 13 else f"ZL {number}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from accounts.models import Role, User
    from accounts.services import user_create
    from matching.models import MatchRun
    from matching.reading.search import patent_search, search_index_rank
    from matching.runs.current import current_run

    call_command("migrate", verbosity=0)
    if not MatchRun.objects.filter(is_current=True, status=MatchRun.Status.DONE).exists():
        call_command("load_demo", verbosity=0)
        call_command("match_all", "--if-stale", verbosity=0)
    settings.MATCHING_SEARCH_CACHE_SECONDS = 0  # every search ranked from scratch
    user = User.objects.filter(username="bench_search_bureau").first() or user_create(
        username="bench_search_bureau", password="Bench-pass-2026", role=Role.BUREAU_PROVINCE
    )
    from matching.runs.prepare import matchable_patents

    rng = random.Random(SEED)
    pooled = list(matchable_patents().order_by("pk").values_list("title", "application_number"))
    picked = rng.sample(pooled, N_LONG + N_NUMBER)
    kinds = {
        "short": short_queries(),
        "long": [title for title, _ in picked[:N_LONG]],
        "number": [_number_spellings(number)[i % 3] for i, (_, number) in enumerate(picked[N_LONG:]) if number],
    }
    for texts in kinds.values():  # warm-up: index load, kernel compile, tokenizer dictionary
        for text in texts:
            patent_search(user=user, text=text, filters={})
    run = current_run()
    assert run is not None

    def rank_only(text: str) -> None:
        hits, shown = settings.MATCHING_SEARCH_HITS, settings.MATCHING_SEARCH_PAGE_SIZE
        search_index_rank(run=run, text=text, visible=None, k=hits, explain=shown)

    times: dict[str, list[float]] = {kind: [] for kind in (*kinds, "short, ranking only")}
    cpu: dict[str, list[float]] = {kind: [] for kind in times}
    started = time.perf_counter()
    for _ in range(args.passes):
        for kind, texts in kinds.items():
            for text in texts:
                t0, c0 = time.perf_counter(), time.process_time()
                patent_search(user=user, text=text, filters={})
                times[kind].append((time.perf_counter() - t0) * 1000)
                cpu[kind].append((time.process_time() - c0) * 1000)
        for text in kinds["short"]:
            t0, c0 = time.perf_counter(), time.process_time()
            rank_only(text)
            times["short, ranking only"].append((time.perf_counter() - t0) * 1000)
            cpu["short, ranking only"].append((time.process_time() - c0) * 1000)
    figures = {
        kind: {
            "searches": len(values),
            "mean_ms": round(statistics.fmean(values), 2),
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(sorted(values)[int(0.95 * (len(values) - 1))], 2),
            "cpu_mean_ms": round(statistics.fmean(cpu[kind]), 2),
        }
        for kind, values in times.items()
    }
    C.print_table(
        title=f"patent_search, cache off, {args.passes} passes ({C.load_note()})",
        headers=["queries", "searches", "mean ms", "median ms", "p95 ms", "CPU ms (mean)"],
        rows=[
            [k, f["searches"], f["mean_ms"], f["median_ms"], f["p95_ms"], f["cpu_mean_ms"]] for k, f in figures.items()
        ],
    )
    print(
        json.dumps(
            {
                "bench": "search",
                "passes": args.passes,
                "pooled": len(pooled),
                "figures": figures,
                "load": os.getloadavg()[0],
                "seconds": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

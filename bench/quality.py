"""Retrieval quality of the matching engine (TF-IDF alone and fused with LSA) against jieba+BM25.

Labelled sets, all built from real data (../shared/data):

* ipc       – cn-patent-ipc: a patent title is the query, relevant = every other
              patent sharing an IPC subclass; corpus = the 9,740 titles; 2,000
              sampled queries (seed 42), the query patent itself excluded.
* kp-full   – KPPatent-ZH: a patent's keyphrases are the "need", relevant = that
              patent; corpus = the 696 full patents (title + abstract + claims).
* kp-abs    – the same on the 3,024 abstracts. The engine's user dictionary was
              built from these keyphrases, so this set is in-sample for the
              dictionary; the "engine, no user dict" row shows it does not matter.

* short-full, short-abs – short searches: 2 or 3 keyphrases of one KPPatent-ZH
              patent (seeded; phrases of 2+ characters found in its own text,
              none part of another) typed as a search, relevant = every
              document whose text holds all of them; over the 696 full
              patents / the 3,024 abstracts. Queries go through the search
              box's path (plain tokens, no need weighting). Metrics P@10 and
              nDCG@10. "engine fused" is the engine before term coverage,
              "+ coverage" with it (matching.engine.coverage, as the search
              ranks), "coverage on every query" the same rule without its
              short-query limit (what it would do to the need-like sets).

Development / test split. The latent-semantic layer (``IndexConfig``
``semantic_components``, ``semantic_weight``, ``semantic_floor``) was tuned on
queries that are never reported: for ipc 2,000 *other* titles (seed 7, none of
the 2,000 reported ones), for kp-full and kp-abs the even rows; the figures
reported are on the ipc sample above and the odd rows of the keyphrase sets.
The corpus is the whole set in both (the SVD itself sees no label). ``--tune``
reruns the grid on the development queries and says whether the defaults are
its best point.

Metrics: P@10 and MRR@10 (with one relevant document P@10 is capped at 0.1); nDCG@10 (binary gains) too.
The term coverage of short queries (missing factor, word range) was chosen by ``--tune-coverage`` on the even
rows of the short sets (the development queries), never on the odd rows reported.
One engine configuration is used for every set. ``--sweep`` also prints the
older min_df/max_df/pivot-slope and field-weight grids (on the reported sets,
lexical engine only; they chose the TF-IDF defaults before the split existed).

Baselines tokenize with plain jieba (default dictionary, HMM on) and drop
punctuation/whitespace tokens, so that BM25 is not handicapped by "，" tokens.

Need feedback: "engine fused + need feedback (PRF)" is the engine with pseudo-relevance feedback of needs
(matching.engine.prf, DEFAULT_PSEUDO_FEEDBACK: the class distribution voted on by the best 4 hits' IPC subclasses,
no Rocchio; chosen by ``--tune-feedback`` on the development queries only, among the points that lose nothing on any
other set); the ratio "with feedback / without" is printed for every set.

Push lists (bench/quality_push.py): over the 40,074 real Hubei business scopes, the share of top-20 push-list pairs
carried by a single term, before (served fused score) and after the push rules (matching.engine.push).

Modules: quality_sets.py (the sets), quality_metrics.py (evaluation, the systems), quality_tuning.py (the grids),
quality_push.py (push lists).

Usage: python bench/quality.py [--quick] [--tune] [--tune-coverage] [--tune-feedback] [--sweep] [--no-push]
The last line of output is one JSON object holding every figure.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import asdict, replace

import _common as C  # also puts the project root on sys.path
import numpy as np
from quality_metrics import bm25_system, engine_system, evaluate, tfidf_system, tune_bm25
from quality_push import push_list_figures
from quality_sets import SHORT_SETS, LabelledSet, build_sets
from quality_tuning import (
    LEXICAL,
    METRIC_NAMES,
    run_coverage_tuning,
    run_feedback_tuning,
    run_semantic_tuning,
    run_sweep,
    run_weight_sweep,
)

from matching.engine import DEFAULT_PSEUDO_FEEDBACK, CoverageConfig, FieldWeights, IndexConfig, Tokenizer

FUSED = "engine fused (TF-IDF + LSA + IPC prior)"
FEEDBACK = "engine fused + need feedback (PRF)"
COVERED = "engine fused + short-query coverage"
COVERED_ALL = "engine fused + coverage on every query"
BM25 = "jieba + BM25Okapi (k1=1.5, b=0.75)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="500 IPC queries and 1,000 abstracts")
    parser.add_argument("--tune", action="store_true", help="rerun the semantic grid on the development queries")
    parser.add_argument("--sweep", action="store_true", help="also the min_df/max_df/pivot and field-weight grids")
    parser.add_argument(
        "--tune-coverage", action="store_true", help="the short-query coverage grid on the development queries"
    )
    parser.add_argument(
        "--tune-feedback", action="store_true", help="the pseudo-relevance feedback grid on the development queries"
    )
    parser.add_argument("--no-push", action="store_true", help="skip the push-list figures (40,074 business scopes)")
    parser.add_argument("--config", default="{}", help="JSON overrides of IndexConfig (experiments)")
    parser.add_argument("--weights", default="{}", help="JSON overrides of FieldWeights (experiments)")
    args = parser.parse_args()

    started = time.perf_counter()
    dev_all, sets_all = build_sets(quick=args.quick)
    # the need-like sets (ipc, keyphrases) as before; the short searches apart, with their own metrics
    dev_sets = [d for d in dev_all if d.name not in SHORT_SETS]
    sets = [d for d in sets_all if d.name not in SHORT_SETS]
    short_sets = [d for d in sets_all if d.name in SHORT_SETS]
    config = IndexConfig(**json.loads(args.config))
    lexical_config = IndexConfig(**{**asdict(config), **LEXICAL})
    weights = FieldWeights(**json.loads(args.weights))
    tokenizer = Tokenizer()
    coverage = CoverageConfig()
    (k1, b), bm25_grid = tune_bm25(dev_sets)
    print(f"BM25 tuned on the development queries: k1={k1}, b={b} (x{bm25_grid[0]['relative']:.4f} of the defaults)")
    systems: dict[str, Callable[[LabelledSet], Callable[[int, int], np.ndarray]]] = {
        FEEDBACK: engine_system(tokenizer=tokenizer, weights=weights, config=config, feedback=DEFAULT_PSEUDO_FEEDBACK),
        FUSED: engine_system(tokenizer=tokenizer, weights=weights, config=config),
        "engine TF-IDF + LSA (no IPC prior)": engine_system(
            tokenizer=tokenizer, weights=weights, config=IndexConfig(**{**asdict(config), "class_weight": 0.0})
        ),
        "engine TF-IDF": engine_system(tokenizer=tokenizer, weights=weights, config=lexical_config),
        "engine fused, no user dict": engine_system(
            tokenizer=Tokenizer(user_dict=None), weights=weights, config=config
        ),
        BM25: bm25_system(),
        f"jieba + BM25Okapi dev-tuned (k1={k1}, b={b})": bm25_system(k1, b),
        "jieba + TfidfVectorizer()": tfidf_system,
        COVERED: engine_system(tokenizer=tokenizer, weights=weights, config=config, coverage=coverage),
        COVERED_ALL: engine_system(
            tokenizer=tokenizer, weights=weights, config=config, coverage=replace(coverage, max_words=10**6)
        ),
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    for data in sets_all:
        for name, system in systems.items():
            results.setdefault(name, {})[data.name] = evaluate(scores=system(data), data=data)
    _print_results(results=results, sets=sets, title="Retrieval quality (real data, reported queries)")
    _print_results(
        results=results,
        sets=short_sets,
        title=f"Short searches (reported queries; coverage: {coverage})",
        metrics=("p10", "ndcg10"),
    )
    short_bm25 = {
        d.name: {m: max(results[BM25][d.name][m], results[f"jieba + BM25Okapi dev-tuned (k1={k1}, b={b})"][d.name][m])
                 for m in ("p10", "ndcg10")}
        for d in short_sets
    }  # fmt: skip
    short_summary = {
        f"{system} / {base}": {
            d.name: {m: results[system][d.name][m] / reference[d.name][m] for m in ("p10", "ndcg10")}
            for d in short_sets
        }
        for system in (FUSED, FEEDBACK, COVERED)
        for base, reference in (("best BM25", short_bm25), ("engine fused", {n: results[FUSED][n] for n in SHORT_SETS}))
        if system != FUSED or base != "engine fused"
    }
    for label, per_set in short_summary.items():
        print(
            f"{label}: " + ", ".join(f"{n} P@10 x{r['p10']:.3f} nDCG@10 x{r['ndcg10']:.3f}" for n, r in per_set.items())
        )

    # The baseline of every ratio is the stronger BM25 (defaults or dev-tuned) on each set and metric.
    tuned = results[f"jieba + BM25Okapi dev-tuned (k1={k1}, b={b})"]
    bm25 = {d.name: {m: max(results[BM25][d.name][m], tuned[d.name][m]) for m in ("p10", "mrr10")} for d in sets}
    ratios = {
        system: {d.name: {m: results[system][d.name][m] / bm25[d.name][m] for m in ("p10", "mrr10")} for d in sets}
        for system in (FEEDBACK, FUSED, "engine TF-IDF + LSA (no IPC prior)", "engine TF-IDF")
    }
    fed, served = ratios[FEEDBACK], ratios[FUSED]  # needs rank without the feedback unless it is turned on
    feedback_gain = {
        d.name: {m: results[FEEDBACK][d.name][m] / results[FUSED][d.name][m] for m in ("p10", "mrr10", "ndcg10")}
        for d in sets_all
    }
    goals = {
        "ipc_p10_x1.25_bm25": served["ipc"]["p10"] >= 1.25,
        "kp_mrr_at_least_bm25": all(served[n]["mrr10"] >= 1.0 for n in ("kp-full", "kp-abs")),
        "feedback_ipc_p10_x1.30_bm25": fed["ipc"]["p10"] >= 1.30,
        "feedback_kp_mrr_at_least_bm25": all(fed[n]["mrr10"] >= 1.0 for n in ("kp-full", "kp-abs")),
        "feedback_no_loss_kp": all(feedback_gain[n][m] >= 1.0 for n in ("kp-full", "kp-abs") for m in ("p10", "mrr10")),
        "feedback_no_loss_short": all(feedback_gain[n][m] >= 1.0 for n in SHORT_SETS for m in ("p10", "ndcg10")),
    }
    for system, per_set in ratios.items():
        print(
            f"\n{system} / best BM25: "
            + ", ".join(f"{n} P@10 x{r['p10']:.3f} MRR x{r['mrr10']:.3f}" for n, r in per_set.items())
        )
    gain = {
        d.name: {m: results[FUSED][d.name][m] / results["engine TF-IDF"][d.name][m] for m in ("p10", "mrr10")}
        for d in sets
    }
    print("fused / TF-IDF: " + ", ".join(f"{n} P@10 x{r['p10']:.3f} MRR x{r['mrr10']:.3f}" for n, r in gain.items()))
    print(
        "with feedback / without: "
        + ", ".join(
            f"{n} P@10 x{r['p10']:.4f} MRR x{r['mrr10']:.4f} nDCG x{r['ndcg10']:.4f}" for n, r in feedback_gain.items()
        )
    )
    print(
        "goals (served = without the feedback, its default; feedback_* = with it): "
        + ", ".join(f"{g}: {ok}" for g, ok in goals.items())
    )

    feedback_tuning: dict[str, object] = {}
    if args.tune_feedback:
        feedback_tuning = run_feedback_tuning(dev_sets=dev_all, config=config, weights=weights, tokenizer=tokenizer)
    push = {} if args.no_push else push_list_figures(quick=args.quick)
    coverage_tuning: dict[str, object] = {}
    if args.tune_coverage:
        coverage_tuning = run_coverage_tuning(dev_sets=dev_all, config=config, weights=weights, tokenizer=tokenizer)
    tuning: dict[str, object] = {}
    if args.tune:
        tuning = run_semantic_tuning(dev_sets=dev_sets, config=config, weights=weights, tokenizer=tokenizer)
    sweep: list[dict[str, object]] = []
    weight_sweep: list[dict[str, object]] = []
    if args.sweep:
        sweep = run_sweep(sets=sets, weights=weights)
        weight_sweep = run_weight_sweep(data=next(d for d in sets if d.name == "kp-full"), config=lexical_config)

    print(
        json.dumps(
            {
                "bench": "quality",
                "quick": args.quick,
                "config": asdict(config),
                "field_weights": asdict(weights),
                "sets": {d.name: d.note for d in sets_all},
                "coverage": asdict(coverage),
                "results": results,
                "short_searches": short_summary,
                "coverage_tuning": coverage_tuning,
                "over_bm25": ratios,
                "bm25_dev_tuned": {"k1": k1, "b": b, "grid": bm25_grid},
                "fused_over_tfidf": gain,
                "pseudo_feedback": asdict(DEFAULT_PSEUDO_FEEDBACK),
                "feedback_over_fused": feedback_gain,
                "feedback_tuning": feedback_tuning,
                "push_lists": push,
                "goals": goals,
                "semantic_tuning": tuning,
                "sweep": sweep,
                "field_weight_sweep": weight_sweep,
                "seconds": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )


def _print_results(
    *,
    results: dict[str, dict[str, dict[str, float]]],
    sets: list[LabelledSet],
    title: str,
    metrics: tuple[str, ...] = ("p10", "mrr10"),
) -> None:
    rows = []
    for name, per_set in results.items():
        row: list[object] = [name]
        for data in sets:
            row += [per_set[data.name][m] for m in metrics]
        rows.append(row)
    headers = ["system"] + [f"{d.name} {METRIC_NAMES[m]}" for d in sets for m in metrics]
    C.print_table(headers=headers, rows=rows, title=title)
    for data in sets:
        print(f"  {data.name}: {data.note}")


if __name__ == "__main__":
    main()

"""How the supply-and-demand threshold (SUPPLY_DEMAND_THRESHOLD, core/supply.py, docs/supply_demand.md) was chosen.

A patent is "matched" to an enterprise when it is in the enterprise's stored top K (MATCHING_TOP_K = 50) at a score
of at least the threshold. The evidence, on the labelled sets of bench/quality.py (real data, ../shared/data; the
reported queries only, as quality.py reports them): each query plays an enterprise, its top 50 documents by the
engine's fused score (TF-IDF + LSA + IPC prior: what a run stores) are its list, and for each threshold of a grid:

- precision: the share of the pairs kept (score >= t) whose document is relevant;
- kept/query: pairs kept per query (of 50); queries hit: the share of queries with at least one pair kept;
- recall@50 kept: the share of the relevant documents in the top 50 that are kept.

The rule: the lowest threshold whose precision on kp-full is at least TARGET_PRECISION — kp-full is the set closest
to production (need-like queries: a patent's keyphrases; documents: full patents, title + abstract + claims, as the
pool holds them; one relevant document each, so precision there means "a kept pair is the right patent"). The ipc
set (titles only; relevant = any title sharing an IPC subclass, 30 % of the top 50 at any score) and kp-abs are
shown on the same grid as a check. Scores depend on the corpus (the IDF, the LSA space): re-run this bench on the
province's own data when real follow and docking pairs exist.

Not used as evidence: the demo's follows and docking requests (demo/activity.py) are generated from the engine's own
ranking, so their score distribution against random pairs would only show the engine agreeing with itself; real
follow/docking pairs can replace them once the platform has some (the same table, by source).

Usage: python bench/threshold.py [--quick]. The last line of output is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import time

import _common as C  # also puts the project root on sys.path
import numpy as np
from quality_metrics import engine_system
from quality_sets import SHORT_SETS, LabelledSet, build_sets

from matching.engine import FieldWeights, IndexConfig, Tokenizer

TOP_K = 50
GRID = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
TARGET_PRECISION = 0.5
TARGET_SET = "kp-full"


def _pairs(data: LabelledSet, scores) -> tuple[np.ndarray, np.ndarray, int]:  # noqa: ANN001 - quality's callable
    """(scores, relevant flags, query index) of every query's top TOP_K pairs."""
    out_scores, out_relevant, owners = [], [], []
    n = len(data.queries)
    for start in range(0, n, 500):
        block = scores(start, min(n, start + 500))
        if data.exclude is not None:
            block[np.arange(block.shape[0]), data.exclude[start : start + block.shape[0]]] = -np.inf
        top = np.argsort(-block, axis=1)[:, :TOP_K]
        for i, row in enumerate(top):
            query = start + i
            out_scores.append(block[i, row])
            out_relevant.append(np.array([doc in data.relevant[query] for doc in row]))
            owners.append(np.full(len(row), query))
    return np.concatenate(out_scores), np.concatenate(out_relevant), np.concatenate(owners)


def _table(data: LabelledSet, scores, relevant, owners) -> list[dict[str, float]]:  # noqa: ANN001
    n = len(data.queries)
    rows = []
    for t in GRID:
        kept = scores >= t
        rows.append(
            {
                "threshold": t,
                "precision": round(float(relevant[kept].mean()) if kept.any() else 0.0, 4),
                "kept_per_query": round(float(kept.sum()) / n, 2),
                "queries_hit": round(len(set(owners[kept].tolist())) / n, 4),
                "recall_kept": round(float((kept & relevant).sum()) / max(int(relevant.sum()), 1), 4),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="500 IPC queries and 1,000 abstracts")
    args = parser.parse_args()
    started = time.perf_counter()
    _, reported = build_sets(quick=args.quick)
    system = engine_system(tokenizer=Tokenizer(), weights=FieldWeights(), config=IndexConfig())
    figures: dict[str, list[dict[str, float]]] = {}
    for data in reported:
        if data.name in SHORT_SETS:  # searches, not needs
            continue
        scores, relevant, owners = _pairs(data, system(data))
        figures[data.name] = _table(data, scores, relevant, owners)
        C.print_table(
            title=f"{data.name}: {data.note}; top {TOP_K} by the fused score",
            headers=["threshold", "precision", "kept/query", "queries hit", "recall@50 kept"],
            rows=[[r["threshold"], r["precision"], r["kept_per_query"], r["queries_hit"], r["recall_kept"]]
                  for r in figures[data.name]],
        )  # fmt: skip
    chosen = next((r["threshold"] for r in figures[TARGET_SET] if r["precision"] >= TARGET_PRECISION), GRID[-1])
    at = {name: next(r for r in rows if r["threshold"] == chosen) for name, rows in figures.items()}
    print(f"chosen threshold: {chosen} (lowest with {TARGET_SET} precision >= {TARGET_PRECISION})")
    for name, row in at.items():
        print(
            f"  {name}: precision {row['precision']}, {row['kept_per_query']} pairs/query, {row['queries_hit']:.0%} hit"
        )
    print(
        json.dumps(
            {
                "bench": "threshold",
                "quick": args.quick,
                "top_k": TOP_K,
                "target_set": TARGET_SET,
                "target_precision": TARGET_PRECISION,
                "chosen_threshold": chosen,
                "at_chosen": at,
                "grid": figures,
                "seconds": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

"""The grids of bench/quality.py (``--tune``, ``--tune-coverage``, ``--sweep``): on the development queries, except
the older df/pivot and field-weight sweeps (their docstrings say which queries)."""

from __future__ import annotations

from dataclasses import asdict

import _common as C  # also puts the project root on sys.path
import numpy as np
from quality_metrics import _engine_tokens, engine_system, evaluate
from quality_sets import SHORT_SETS, LabelledSet

from matching.engine import CoverageConfig, FieldWeights, IndexConfig, PseudoFeedback, Tokenizer, fit_index, fuse

LEXICAL = {"semantic_components": 0}  # IndexConfig overrides of the TF-IDF-only engine
COVERAGE_GRID_FACTORS = (1.0, 0.7, 0.5, 0.35, 0.25, 0.15, 0.1, 0.05)
COVERAGE_GRID_MAX_WORDS = (3, 4, 5, 6, 8)
METRIC_NAMES = {"p10": "P@10", "mrr10": "MRR@10", "ndcg10": "nDCG@10"}
FEEDBACK_GRID = [
    PseudoFeedback(top=t, weight=w, class_vote=v)
    for t in (2, 3, 4, 5)
    for w in (0.0, 0.5, 1.0, 1.5)
    for v in (0.0, 0.5, 1.0)
    if w or v
]


def run_feedback_tuning(
    *, dev_sets: list[LabelledSet], config: IndexConfig, weights: FieldWeights, tokenizer: Tokenizer
) -> dict[str, object]:
    """The pseudo-relevance feedback grid (top x weight x class vote) on the development queries only. Objective: the
    ipc set's P@10 relative to no feedback, among the points that lose nothing (P@10, MRR@10 / nDCG@10) on the other
    sets."""
    plain = engine_system(tokenizer=tokenizer, weights=weights, config=config)
    base = {d.name: evaluate(scores=plain(d), data=d) for d in dev_sets}
    entries: list[dict[str, object]] = []
    for point in FEEDBACK_GRID:
        system = engine_system(tokenizer=tokenizer, weights=weights, config=config, feedback=point)
        per_set = {d.name: evaluate(scores=system(d), data=d) for d in dev_sets}
        metrics = {d.name: ("p10", "ndcg10") if d.search else ("p10", "mrr10") for d in dev_sets}
        relative = {n: {m: per_set[n][m] / base[n][m] for m in ms} for n, ms in metrics.items()}
        others = min(r for n, per in relative.items() if n != "ipc" for r in per.values())
        entries.append(
            {"top": point.top, "weight": point.weight, "class_vote": point.class_vote,
             "ipc_p10": relative["ipc"]["p10"], "others_min": others, "relative": relative}
        )  # fmt: skip
    # the issue asks for no loss on the other sets: a point losing anything there (even 0.1 %) comes after every
    # point that loses nothing
    entries.sort(key=lambda e: (float(e["others_min"]) < 1.0, -float(e["ipc_p10"])))  # type: ignore[arg-type]
    C.print_table(
        title="Pseudo-relevance feedback grid on the development queries (relative to no feedback)",
        headers=["top", "weight", "class vote", "ipc P@10", "worst other set/metric"],
        rows=[
            [e["top"], e["weight"], e["class_vote"], f"{e['ipc_p10']:.4f}", f"{e['others_min']:.4f}"] for e in entries
        ],
    )
    return {"no_feedback": base, "grid": entries}


def run_coverage_tuning(
    *, dev_sets: list[LabelledSet], config: IndexConfig, weights: FieldWeights, tokenizer: Tokenizer
) -> dict[str, object]:
    """The short-query coverage grid (missing factor x largest query covered) on the development queries only.

    Objective: the mean over the two short sets of nDCG@10 and P@10 relative to no coverage; the need-like dev
    sets (ipc, keyphrases) are printed beside it, to see what each point costs them."""
    plain = engine_system(tokenizer=tokenizer, weights=weights, config=config)
    base = {d.name: evaluate(scores=plain(d), data=d) for d in dev_sets}
    entries = []
    for factor in COVERAGE_GRID_FACTORS[1:]:
        for max_words in COVERAGE_GRID_MAX_WORDS:
            point = CoverageConfig(missing_factor=factor, max_words=max_words)
            system = engine_system(tokenizer=tokenizer, weights=weights, config=config, coverage=point)
            per_set = {d.name: evaluate(scores=system(d), data=d) for d in dev_sets}
            relative = float(np.mean([per_set[n][m] / base[n][m] for n in SHORT_SETS for m in ("p10", "ndcg10")]))
            others = float(
                np.mean([per_set[d.name][m] / base[d.name][m] for d in dev_sets if d.name not in SHORT_SETS
                         for m in ("p10", "mrr10")])
            )  # fmt: skip
            entries.append(
                {"missing_factor": factor, "max_words": max_words, "relative": relative, "others": others, **per_set}
            )
    entries.sort(key=lambda e: -e["relative"])  # type: ignore[operator]
    columns = [(d.name, m) for d in dev_sets for m in (("p10", "ndcg10") if d.search else ("p10", "mrr10"))]
    C.print_table(
        title="Coverage grid on the development queries (relative = mean short-set figure / no coverage; others = "
        "the same on ipc and keyphrase dev sets)",
        headers=["factor", "max words", "relative", "others"] + [f"{n} {METRIC_NAMES[m]}" for n, m in columns],
        rows=[
            [e["missing_factor"], e["max_words"], f"{e['relative']:.4f}", f"{e['others']:.4f}"]
            + [e[n][m] for n, m in columns]  # type: ignore[index]
            for e in entries
        ],
    )
    return {"no_coverage": base, "grid": entries}


def run_semantic_tuning(
    *, dev_sets: list[LabelledSet], config: IndexConfig, weights: FieldWeights, tokenizer: Tokenizer
) -> dict[str, object]:
    """Grid over (components, weight, floor) on the development queries only.

    Objective: the mean over sets and metrics of fused / TF-IDF on the same queries. The SVD is fitted once per
    (set, components); weight and floor only change how the two dense blocks are combined.
    """
    grid_components = (100, 200, 300)
    grid_weights = (0.02, 0.05, 0.1, 0.2)
    grid_floors = (0.0, 0.1, 0.2)
    cache: dict[int, tuple[list[str], list[list[str]]]] = {}
    table: dict[tuple[int, float, float], dict[str, dict[str, float]]] = {}
    lexical_scores: dict[str, dict[str, float]] = {}
    for data in dev_sets:
        docs, queries = _engine_tokens(cache, data, tokenizer, weights)
        lexical_index = fit_index(
            documents=docs,
            patent_ids=[str(i) for i in range(len(docs))],
            config=IndexConfig(**{**asdict(config), **LEXICAL}),
        )
        q_matrix = lexical_index.transform_queries(queries)
        lexical = (q_matrix @ lexical_index.matrix.T).toarray()
        lexical_scores[data.name] = evaluate(scores=lambda a, b, lexical=lexical: lexical[a:b], data=data)
        for components in grid_components:
            tuned = IndexConfig(**{**asdict(config), "semantic_components": components, "semantic_floor": 0.0})
            index = fit_index(documents=docs, patent_ids=[str(i) for i in range(len(docs))], config=tuned)
            assert index.semantic is not None
            cosines = index.semantic.transform(q_matrix) @ index.semantic.patent_vectors.T
            for floor in grid_floors:
                semantic = np.maximum((cosines - floor) / (1.0 - floor), 0.0)
                for weight in grid_weights:
                    block = fuse(lexical=lexical, semantic=semantic, weight=weight)
                    table.setdefault((components, weight, floor), {})[data.name] = evaluate(
                        scores=lambda a, b, block=block: block[a:b], data=data
                    )
        print(f"  tuned on {data.name} ({data.note})", flush=True)
    entries = []
    for (components, weight, floor), per_set in table.items():
        relative = float(np.mean([per_set[n][m] / lexical_scores[n][m] for n in per_set for m in ("p10", "mrr10")]))
        entries.append({"components": components, "weight": weight, "floor": floor, "relative": relative, **per_set})
    entries.sort(key=lambda e: -e["relative"])  # type: ignore[operator]
    best = entries[0]
    chosen = (
        next(
            e
            for e in entries
            if (e["components"], e["weight"], e["floor"])
            == (config.semantic_components, config.semantic_weight, config.semantic_floor)
        )
        if config.semantic_components in grid_components
        else None
    )
    C.print_table(
        title="Semantic grid on the development queries (relative = mean fused / TF-IDF), best 10",
        headers=["components", "weight", "floor", "relative"]
        + [f"{d.name} {m}" for d in dev_sets for m in ("P@10", "MRR@10")],
        rows=[
            [e["components"], e["weight"], e["floor"], e["relative"]]
            + [e[d.name][m] for d in dev_sets for m in ("p10", "mrr10")]  # type: ignore[index]
            for e in entries[:10]
        ],
    )
    defaults = f"{config.semantic_components}/{config.semantic_weight}/{config.semantic_floor}"
    print(
        f"  defaults {defaults}: relative {chosen['relative'] if chosen else 'not in grid'}; "
        f"grid best {best['components']}/{best['weight']}/{best['floor']}"
    )
    return {"lexical": lexical_scores, "best": best, "defaults": chosen, "grid_best_10": entries[:10]}


def run_sweep(*, sets: list[LabelledSet], weights: FieldWeights) -> list[dict[str, object]]:
    """Engine quality over a min_df x max_df x pivot-slope grid; ``relative`` = mean over sets
    and metrics of the score divided by the best score of the grid."""
    tokenizer = Tokenizer()
    grid = [(a, b, c) for a in (1, 2) for b in (0.2, 0.5, 1.0) for c in (1.0, 0.8, 0.6, 0.4)]
    table: list[dict[str, object]] = []
    for min_df, max_df, slope in grid:
        config = IndexConfig(min_df=min_df, max_df=max_df, pivot_slope=slope)
        system = engine_system(tokenizer=tokenizer, weights=weights, config=config)
        table.append(
            {
                "min_df": min_df,
                "max_df": max_df,
                "pivot_slope": slope,
                **{d.name: evaluate(scores=system(d), data=d) for d in sets},
            }
        )
    for entry in table:
        entry["relative"] = float(
            np.mean(
                [
                    entry[d.name][m] / max(e[d.name][m] for e in table)  # type: ignore[index]
                    for d in sets
                    for m in ("p10", "mrr10")
                ]
            )
        )
    rows = [
        [
            e["min_df"],
            e["max_df"],
            e["pivot_slope"],
            *[e[d.name][m] for d in sets for m in ("p10", "mrr10")],
            e["relative"],
        ]  # type: ignore[index]
        for e in table
    ]
    headers = ["min_df", "max_df", "pivot"] + [f"{d.name} {m}" for d in sets for m in ("P@10", "MRR@10")] + ["relative"]
    C.print_table(headers=headers, rows=rows, title="df cut-off sweep (engine)")
    return table


def run_weight_sweep(*, data: LabelledSet, config: IndexConfig) -> list[dict[str, object]]:
    """Engine quality on the only set with all three fields for a few (title, abstract, claims) weights."""
    tokenizer = Tokenizer()
    table: list[dict[str, object]] = []
    for title, abstract, claims in [(1, 1, 1), (2, 1, 1), (3, 1, 1), (3, 2, 1), (5, 2, 1), (3, 3, 1), (3, 2, 0)]:
        weights = FieldWeights(title=title, abstract=abstract, claims=claims)
        system = engine_system(tokenizer=tokenizer, weights=weights, config=config)
        table.append({"weights": [title, abstract, claims], **evaluate(scores=system(data), data=data)})
    C.print_table(
        title=f"field weights (title, abstract, claims) on {data.name}",
        headers=["weights", "P@10", "MRR@10"],
        rows=[[str(tuple(e["weights"])), e["p10"], e["mrr10"]] for e in table],  # type: ignore[arg-type]
    )
    return table

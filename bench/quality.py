"""Retrieval quality of the matching engine against jieba+BM25 and jieba+default TF-IDF.

Labelled sets, all built from real data (../shared/data):

* ipc       – cn-patent-ipc: a patent title is the query, relevant = every other
              patent sharing an IPC subclass; corpus = the 9,740 titles; 2,000
              sampled queries (seed 42), the query patent itself excluded.
* kp-full   – KPPatent-ZH: a patent's keyphrases are the "need", relevant = that
              patent; corpus = the 696 full patents (title + abstract + claims).
* kp-abs    – the same on the 3,024 abstracts. The engine's user dictionary was
              built from these keyphrases, so this set is in-sample for the
              dictionary; the "engine, no user dict" row shows it does not matter.

Metrics: P@10 and MRR@10 (with one relevant document P@10 is capped at 0.1).
One engine configuration is used for every set. The run also prints the
min_df/max_df/pivot-slope grid from which the defaults of ``IndexConfig`` were
chosen (``relative`` = mean over sets and metrics of score / best score in the
grid), and a small field-weight grid on kp-full.

Baselines tokenize with plain jieba (default dictionary, HMM on) and drop
punctuation/whitespace tokens, so that BM25 is not handicapped by "，" tokens.

Usage: python bench/quality.py [--quick] [--no-sweep]
The last line of output is one JSON object holding every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import _common as C  # also puts the project root on sys.path
import numpy as np
import scipy.sparse as sp

from matching.engine.documents import FieldWeights, PatentText, enterprise_query_tokens, patent_tokens_many
from matching.engine.tokenize import Tokenizer
from matching.engine.vectorize import IndexConfig, fit_index

SEED = 42
K = 10


@dataclass
class LabelledSet:
    """Documents, queries, the relevant document rows of each query, and rows to exclude."""

    name: str
    docs: list[PatentText]
    queries: list[str]
    relevant: list[set[int]]
    exclude: list[int] | None
    note: str


def build_sets(*, quick: bool) -> list[LabelledSet]:
    """The three labelled sets described in the module docstring."""
    ipc = C.ipc_titles()
    by_subclass: dict[str, set[int]] = {}
    for row, (_, subclasses) in enumerate(ipc):
        for sub in subclasses:
            by_subclass.setdefault(sub, set()).add(row)
    sample = random.Random(SEED).sample(range(len(ipc)), 500 if quick else 2000)
    ipc_set = LabelledSet(
        name="ipc",
        docs=[PatentText(title=title) for title, _ in ipc],
        queries=[ipc[row][0] for row in sample],
        relevant=[set().union(*(by_subclass[s] for s in ipc[row][1])) - {row} for row in sample],
        exclude=sample,
        note=f"{len(sample)} title queries, relevant = shares an IPC subclass (mean "
        f"{np.mean([len(set().union(*(by_subclass[s] for s in ipc[r][1]))) - 1 for r in sample]):.0f} docs)",
    )
    full = C.kp_full()
    abstracts = C.kp_abstracts()
    if quick:
        abstracts = abstracts[:1000]
    return [
        ipc_set,
        LabelledSet(
            name="kp-full",
            docs=[PatentText(p.title, p.abstract, p.claims) for p in full],
            queries=["，".join(p.keyphrases) for p in full],
            relevant=[{row} for row in range(len(full))],
            exclude=None,
            note=f"{len(full)} keyphrase queries over {len(full)} full patents",
        ),
        LabelledSet(
            name="kp-abs",
            docs=[PatentText(abstract=p.abstract) for p in abstracts],
            queries=["，".join(p.keyphrases) for p in abstracts],
            relevant=[{row} for row in range(len(abstracts))],
            exclude=None,
            note=f"{len(abstracts)} keyphrase queries over {len(abstracts)} abstracts (user dict in-sample)",
        ),
    ]


# ---------------------------------------------------------------- evaluation
def evaluate(*, scores: Callable[[int, int], np.ndarray], data: LabelledSet, chunk: int = 500) -> dict[str, float]:
    """P@10 and MRR@10; ``scores(start, stop)`` returns the dense score rows of those queries."""
    precision, reciprocal = [], []
    for start in range(0, len(data.queries), chunk):
        stop = min(start + chunk, len(data.queries))
        block = np.asarray(scores(start, stop), dtype=np.float64)
        if data.exclude is not None:
            block[np.arange(stop - start), data.exclude[start:stop]] = -np.inf
        # Ties are broken by document row (stable sort), the same rule for every system.
        top = np.argsort(-block, axis=1, kind="stable")[:, :K]
        for offset, row in enumerate(top):
            hits = [int(doc) in data.relevant[start + offset] for doc in row]
            precision.append(sum(hits) / K)
            reciprocal.append(next((1.0 / (rank + 1) for rank, hit in enumerate(hits) if hit), 0.0))
    return {"p10": float(np.mean(precision)), "mrr10": float(np.mean(reciprocal))}


def engine_system(
    *, tokenizer: Tokenizer, weights: FieldWeights, config: IndexConfig
) -> Callable[[LabelledSet], Callable[[int, int], np.ndarray]]:
    """The engine: tokenizer + weighted fields + TF-IDF index + cosine."""
    cache: dict[str, tuple[list[str], list[list[str]]]] = {}

    def prepare(data: LabelledSet) -> Callable[[int, int], np.ndarray]:
        if data.name not in cache:
            docs = patent_tokens_many(patents=data.docs, tokenizer=tokenizer, weights=weights, processes=2)
            queries = [enterprise_query_tokens(needs=q, tokenizer=tokenizer) for q in data.queries]
            cache[data.name] = (docs, queries)
        docs, queries = cache[data.name]
        index = fit_index(documents=docs, patent_ids=[str(i) for i in range(len(docs))], config=config)
        q_matrix = index.transform_queries(queries)
        doc_t = index.matrix.T.tocsr()
        return lambda start, stop: (q_matrix[start:stop] @ doc_t).toarray()

    return prepare


_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def jieba_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Baseline tokenizer: plain jieba (default dictionary, HMM on), punctuation/whitespace dropped."""
    import jieba

    jieba.setLogLevel(60)
    return [[w for w in jieba.lcut(text) if _WORD.search(w)] for text in texts]


def _baseline_text(doc: PatentText) -> str:
    return "\n".join(part for part in (doc.title, doc.abstract, doc.claims) if part)


def bm25_system(data: LabelledSet) -> Callable[[int, int], np.ndarray]:
    """jieba + rank-bm25 BM25Okapi (k1=1.5, b=0.75, eps=0.25).

    ``get_scores`` loops in Python (minutes on 2,000 x 9,740); the same formula
    is applied as one sparse product, and checked against ``get_scores``.
    """
    from rank_bm25 import BM25Okapi

    docs = jieba_tokens([_baseline_text(d) for d in data.docs])
    queries = jieba_tokens(data.queries)
    bm25 = BM25Okapi(docs)
    vocab = {term: col for col, term in enumerate(bm25.idf)}
    rows, cols, vals = [], [], []
    for row, freqs in enumerate(bm25.doc_freqs):
        norm = bm25.k1 * (1 - bm25.b + bm25.b * bm25.doc_len[row] / bm25.avgdl)
        for term, tf in freqs.items():
            rows.append(row)
            cols.append(vocab[term])
            vals.append(bm25.idf[term] * tf * (bm25.k1 + 1) / (tf + norm))
    weights_t = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab))).T.tocsr()
    q_rows, q_cols = [], []
    for row, query in enumerate(queries):
        for term in query:  # get_scores counts repeated query terms once per occurrence
            if term in vocab:
                q_rows.append(row)
                q_cols.append(vocab[term])
    q_matrix = sp.csr_matrix((np.ones(len(q_rows)), (q_rows, q_cols)), shape=(len(queries), len(vocab)))
    for probe in range(0, len(queries), max(1, len(queries) // 20)):
        fast = (q_matrix[probe] @ weights_t).toarray().ravel()
        if not np.allclose(fast, bm25.get_scores(queries[probe]), atol=1e-9):
            raise AssertionError("vectorised BM25 differs from BM25Okapi.get_scores")
    return lambda start, stop: (q_matrix[start:stop] @ weights_t).toarray()


def tfidf_system(data: LabelledSet) -> Callable[[int, int], np.ndarray]:
    """jieba + scikit-learn TfidfVectorizer with default settings (cosine)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_identity)
    doc_matrix = vectorizer.fit_transform(jieba_tokens([_baseline_text(d) for d in data.docs]))
    q_matrix = vectorizer.transform(jieba_tokens(data.queries))
    doc_t = doc_matrix.T.tocsr()
    return lambda start, stop: (q_matrix[start:stop] @ doc_t).toarray()


def _identity(tokens: list[str]) -> list[str]:
    return tokens


# ---------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="500 IPC queries and 1,000 abstracts")
    parser.add_argument("--no-sweep", action="store_true", help="skip the min_df/max_df/pivot and field-weight grids")
    parser.add_argument("--config", default="{}", help="JSON overrides of IndexConfig (experiments)")
    parser.add_argument("--weights", default="{}", help="JSON overrides of FieldWeights (experiments)")
    args = parser.parse_args()

    started = time.perf_counter()
    sets = build_sets(quick=args.quick)
    config = IndexConfig(**json.loads(args.config))
    weights = FieldWeights(**json.loads(args.weights))
    systems: dict[str, Callable[[LabelledSet], Callable[[int, int], np.ndarray]]] = {
        "engine": engine_system(tokenizer=Tokenizer(), weights=weights, config=config),
        "engine, no user dict": engine_system(tokenizer=Tokenizer(user_dict=None), weights=weights, config=config),
        "jieba + BM25Okapi": bm25_system,
        "jieba + TfidfVectorizer()": tfidf_system,
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    for data in sets:
        for name, system in systems.items():
            results.setdefault(name, {})[data.name] = evaluate(scores=system(data), data=data)

    rows = []
    for name, per_set in results.items():
        row: list[object] = [name]
        for data in sets:
            row += [per_set[data.name]["p10"], per_set[data.name]["mrr10"]]
        rows.append(row)
    headers = ["system"] + [f"{d.name} {m}" for d in sets for m in ("P@10", "MRR@10")]
    C.print_table(headers=headers, rows=rows, title="Retrieval quality (real data)")
    for data in sets:
        print(f"  {data.name}: {data.note}")

    ratios = {
        data.name: {
            metric: results["engine"][data.name][metric] / results["jieba + BM25Okapi"][data.name][metric]
            for metric in ("p10", "mrr10")
        }
        for data in sets
    }
    print("\nengine / BM25: " + ", ".join(f"{n} P@10 x{r['p10']:.3f} MRR x{r['mrr10']:.3f}" for n, r in ratios.items()))
    beats = all(r["p10"] > 1.0 for r in ratios.values())
    print(
        f"engine beats BM25 on P@10 on every set: {beats}; target x1.2 met on: "
        f"{[n for n, r in ratios.items() if r['p10'] >= 1.2] or 'none'}"
    )

    sweep: list[dict[str, object]] = []
    weight_sweep: list[dict[str, object]] = []
    if not args.no_sweep:
        sweep = run_sweep(sets=sets, weights=weights)
        weight_sweep = run_weight_sweep(data=next(d for d in sets if d.name == "kp-full"), config=config)

    print(
        json.dumps(
            {
                "bench": "quality",
                "quick": args.quick,
                "config": asdict(config),
                "field_weights": asdict(weights),
                "results": results,
                "engine_over_bm25": ratios,
                "beats_bm25_every_set": beats,
                "sweep": sweep,
                "field_weight_sweep": weight_sweep,
                "seconds": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )


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


if __name__ == "__main__":
    main()

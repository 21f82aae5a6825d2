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

Usage: python bench/quality.py [--quick] [--tune] [--tune-coverage] [--sweep]
The last line of output is one JSON object holding every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace

import _common as C  # also puts the project root on sys.path
import numpy as np
import scipy.sparse as sp

from matching.engine import (
    CoverageConfig,
    FieldWeights,
    IndexConfig,
    MatchIndex,
    PatentText,
    Tokenizer,
    coverage_factors,
    enterprise_query_tokens,
    fit_index,
    fuse,
    patent_tokens_many,
    query_words,
    read_stopwords,
    words_held,
)

SEED = 42
DEV_SEED = 7
K = 10
LEXICAL = {"semantic_components": 0}  # IndexConfig overrides of the TF-IDF-only engine
FUSED = "engine fused (TF-IDF + LSA + IPC prior)"
COVERED = "engine fused + short-query coverage"
COVERED_ALL = "engine fused + coverage on every query"
SHORT_SEED = 99
SHORT_SETS = ("short-full", "short-abs")
COVERAGE_GRID_FACTORS = (1.0, 0.7, 0.5, 0.35, 0.25, 0.15, 0.1, 0.05)
COVERAGE_GRID_MAX_WORDS = (3, 4, 5, 6, 8)
BM25 = "jieba + BM25Okapi (k1=1.5, b=0.75)"
BM25_GRID = [(k1, b) for k1 in (0.6, 0.9, 1.2, 1.5, 2.0) for b in (0.3, 0.5, 0.75, 0.9)]


def tune_bm25(dev_sets: list[LabelledSet]) -> tuple[tuple[float, float], list[dict[str, float]]]:
    """BM25's (k1, b) chosen on the development queries like the engine's settings: best mean over sets and
    metrics of the score relative to the defaults (1.5, 0.75)."""
    table = {kb: {d.name: evaluate(scores=bm25_system(*kb)(d), data=d) for d in dev_sets} for kb in BM25_GRID}
    base = table[(1.5, 0.75)]
    rows = [
        {"k1": k1, "b": b, "relative": float(np.mean([t[n][m] / base[n][m] for n in t for m in ("p10", "mrr10")]))}
        for (k1, b), t in table.items()
    ]
    rows.sort(key=lambda r: -r["relative"])
    return (rows[0]["k1"], rows[0]["b"]), rows


@dataclass
class LabelledSet:
    """Documents, queries, the relevant document rows of each query, and rows to exclude."""

    name: str
    docs: list[PatentText]
    queries: list[str]
    relevant: list[set[int]]
    exclude: list[int] | None
    note: str
    labels: list[list[str]] | None = None  # what fit_index may learn from (held-out query patents: empty)
    search: bool = False  # queries typed in the search box: plain tokens (not weighted as a need)


def build_sets(*, quick: bool) -> tuple[list[LabelledSet], list[LabelledSet]]:
    """``(development sets, reported sets)``: the three labelled sets of the module docstring, queries split."""
    ipc = C.ipc_titles()
    by_subclass: dict[str, set[int]] = {}
    for row, (_, subclasses) in enumerate(ipc):
        for sub in subclasses:
            by_subclass.setdefault(sub, set()).add(row)
    n_ipc = 500 if quick else 2000
    sample = random.Random(SEED).sample(range(len(ipc)), n_ipc)
    taken = set(sample)
    dev_sample = random.Random(DEV_SEED).sample([row for row in range(len(ipc)) if row not in taken], n_ipc)
    ipc_docs = [PatentText(title=title) for title, _ in ipc]
    # The class prior learns only from patents that are never a query (dev or reported): no query's own label leaks.
    held_out = taken | set(dev_sample)
    ipc_labels = [[] if row in held_out else sorted(subs) for row, (_, subs) in enumerate(ipc)]

    def ipc_set(name: str, rows: list[int]) -> LabelledSet:
        relevant = [set().union(*(by_subclass[s] for s in ipc[row][1])) - {row} for row in rows]
        mean = np.mean([len(r) for r in relevant])
        note = f"{len(rows)} title queries, relevant = shares an IPC subclass (mean {mean:.0f} docs)"
        return LabelledSet(name, ipc_docs, [ipc[row][0] for row in rows], relevant, rows, note, ipc_labels)

    full = C.kp_full()
    abstracts = C.kp_abstracts()
    if quick:
        abstracts = abstracts[:1000]

    def kp_set(name: str, docs: list[PatentText], patents: list[C.RealPatent], parity: int, what: str) -> LabelledSet:
        rows = [row for row in range(len(patents)) if row % 2 == parity]
        note = f"{len(rows)} keyphrase queries ({'even' if parity == 0 else 'odd'} rows) over {len(docs)} {what}"
        return LabelledSet(
            name, docs, ["，".join(patents[r].keyphrases) for r in rows], [{r} for r in rows], None, note
        )

    full_docs = [PatentText(p.title, p.abstract, p.claims) for p in full]
    abstract_docs = [PatentText(abstract=p.abstract) for p in abstracts]
    dev = [
        ipc_set("ipc", dev_sample),
        kp_set("kp-full", full_docs, full, 0, "full patents"),
        kp_set("kp-abs", abstract_docs, abstracts, 0, "abstracts"),
        short_set("short-full", full_docs, full, 0, "full patents"),
        short_set("short-abs", abstract_docs, abstracts, 0, "abstracts"),
    ]
    reported = [
        ipc_set("ipc", sample),
        kp_set("kp-full", full_docs, full, 1, "full patents"),
        kp_set("kp-abs", abstract_docs, abstracts, 1, "abstracts (user dict in-sample)"),
        short_set("short-full", full_docs, full, 1, "full patents"),
        short_set("short-abs", abstract_docs, abstracts, 1, "abstracts"),
    ]
    return dev, reported


def short_set(name: str, docs: list[PatentText], patents: list[C.RealPatent], parity: int, what: str) -> LabelledSet:
    """Short searches (module docstring): 2 or 3 keyphrases of each patent of the given row parity (seeded), typed
    as a search; relevant = every document whose text holds all of them. Rows with fewer than two usable
    keyphrases are skipped."""
    rng = random.Random(SHORT_SEED + parity)
    texts = [_baseline_text(d).lower() for d in docs]
    stop = read_stopwords()
    holders: dict[str, set[int]] = {}

    def holding(phrase: str) -> set[int]:
        if phrase not in holders:
            holders[phrase] = {row for row, text in enumerate(texts) if phrase in text}
        return holders[phrase]

    queries: list[str] = []
    relevant: list[set[int]] = []
    for row in range(parity, len(patents), 2):
        usable = [
            p
            for p in dict.fromkeys(k.strip().lower() for k in patents[row].keyphrases)
            if len(p) >= 2 and p not in stop and p in texts[row]
        ]
        usable = [p for p in usable if not any(p != other and p in other for other in usable)]
        if len(usable) < 2:
            continue
        picked = rng.sample(usable, min(len(usable), rng.choice((2, 3))))
        queries.append(" ".join(picked))
        relevant.append(set.intersection(*(holding(p) for p in picked)))
    n_rel = [len(r) for r in relevant]
    note = (
        f"{len(queries)} searches of 2-3 keyphrases ({'even' if parity == 0 else 'odd'} rows) over {len(docs)} "
        f"{what}, relevant = holds them all (median {int(np.median(n_rel))}, mean {np.mean(n_rel):.1f} docs)"
    )
    return LabelledSet(name, docs, queries, relevant, None, note, search=True)


# ---------------------------------------------------------------- evaluation
def evaluate(*, scores: Callable[[int, int], np.ndarray], data: LabelledSet, chunk: int = 500) -> dict[str, float]:
    """P@10, MRR@10 and nDCG@10 (binary gains); ``scores(start, stop)`` returns the dense score rows of those
    queries."""
    precision, reciprocal, ndcg = [], [], []
    discount = 1.0 / np.log2(np.arange(2, K + 2))
    for start in range(0, len(data.queries), chunk):
        stop = min(start + chunk, len(data.queries))
        block = np.asarray(scores(start, stop), dtype=np.float64)
        if data.exclude is not None:
            block[np.arange(stop - start), data.exclude[start:stop]] = -np.inf
        # Ties are broken by document row (as a stable sort would), the same rule for every system.
        top = _top_rows(block)
        for offset, row in enumerate(top):
            hits = [int(doc) in data.relevant[start + offset] for doc in row]
            precision.append(sum(hits) / K)
            reciprocal.append(next((1.0 / (rank + 1) for rank, hit in enumerate(hits) if hit), 0.0))
            ideal = discount[: min(K, len(data.relevant[start + offset]))].sum()
            ndcg.append(float(discount[: len(hits)][np.array(hits, dtype=bool)].sum() / ideal) if ideal else 0.0)
    return {"p10": float(np.mean(precision)), "mrr10": float(np.mean(reciprocal)), "ndcg10": float(np.mean(ndcg))}


def _top_rows(block: np.ndarray) -> np.ndarray:
    """The K best columns of every row, higher score first, ties by lower column (= a stable argsort's first K)."""
    if block.shape[1] <= K:
        return np.argsort(-block, axis=1, kind="stable")
    kth = np.partition(block, block.shape[1] - K, axis=1)[:, block.shape[1] - K]
    out = np.empty((block.shape[0], K), dtype=np.int64)
    for i, row in enumerate(block):
        cand = np.flatnonzero(row >= kth[i])
        out[i] = cand[np.lexsort((cand, -row[cand]))][:K]
    return out


def engine_system(
    *, tokenizer: Tokenizer, weights: FieldWeights, config: IndexConfig, coverage: CoverageConfig | None = None
) -> Callable[[LabelledSet], Callable[[int, int], np.ndarray]]:
    """The engine: tokenizer + weighted fields + TF-IDF index (+ its LSA space when ``config`` has one), and the
    term coverage of short queries when ``coverage`` is given (matching.engine.coverage, as the search applies it).
    Systems with the same tokenizer, weights and config share their fitted index."""
    cache: dict[int, tuple[list[str], list[list[str]]]] = _TOKENS.setdefault(id(tokenizer), {})

    def prepare(data: LabelledSet) -> Callable[[int, int], np.ndarray]:
        docs, queries = _engine_tokens(cache, data, tokenizer, weights)
        key = (id(data.docs), id(data.labels), id(tokenizer), repr(weights), repr(config))
        if key not in _INDEXES:
            ids = [str(i) for i in range(len(docs))]
            _INDEXES[key] = fit_index(documents=docs, patent_ids=ids, config=config, labels=data.labels)
        index = _INDEXES[key]
        scores = engine_scores(index=index, queries=index.transform_queries(queries))
        if coverage is None:
            return scores
        return covered_scores(index=index, queries=queries, scores=scores, config=coverage)

    return prepare


_TOKENS: dict[int, dict[int, tuple[list[str], list[list[str]]]]] = {}
_INDEXES: dict[tuple[object, ...], MatchIndex] = {}


def _engine_tokens(
    cache: dict[int, tuple[list[str], list[list[str]]]], data: LabelledSet, tokenizer: Tokenizer, weights: FieldWeights
) -> tuple[list[str], list[list[str]]]:
    key = (id(data.docs), id(tokenizer), repr(weights))
    if key not in _DOC_TOKENS:
        _DOC_TOKENS[key] = patent_tokens_many(patents=data.docs, tokenizer=tokenizer, weights=weights, processes=2)
    if id(data) not in cache:
        if data.search:  # the search box: the text's tokens (matching.reading.search.search_index_rank)
            queries = [tokenizer.tokenize(q) for q in data.queries]
        else:
            queries = [enterprise_query_tokens(needs=q, tokenizer=tokenizer) for q in data.queries]
        cache[id(data)] = (_DOC_TOKENS[key], queries)
    return cache[id(data)]


_DOC_TOKENS: dict[tuple[int, int, str], list[str]] = {}


def covered_scores(
    *, index: MatchIndex, queries: list[list[str]], scores: Callable[[int, int], np.ndarray], config: CoverageConfig
) -> Callable[[int, int], np.ndarray]:
    """``scores`` multiplied by each query's coverage factors (matching.engine.coverage), as the search ranks."""
    words = [query_words(tokens=q, vocabulary=index.vocabulary) for q in queries]

    def covered(start: int, stop: int) -> np.ndarray:
        block = np.asarray(scores(start, stop), dtype=np.float32)
        for offset, w in enumerate(words[start:stop]):
            held = words_held(patents_t=index.matrix_t, words=w)
            factors = coverage_factors(held=held, n_words=len(w), config=config)
            if factors is not None:
                block[offset] *= factors
        return block

    return covered


def engine_scores(*, index: MatchIndex, queries: sp.csr_matrix) -> Callable[[int, int], np.ndarray]:
    """Dense rows of the score the engine ranks by: fused when the index has a semantic space, else lexical."""
    doc_t = index.matrix.T.tocsr()
    space = index.semantic
    if space is None:
        return lambda start, stop: (queries[start:stop] @ doc_t).toarray()
    vectors = space.transform(queries)

    def scores(start: int, stop: int) -> np.ndarray:
        lexical = (queries[start:stop] @ doc_t).toarray()
        return fuse(lexical=lexical, semantic=space.similarities(vectors[start:stop]), weight=space.weight)

    return scores


_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def jieba_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Baseline tokenizer: plain jieba (default dictionary, HMM on), punctuation/whitespace dropped."""
    import jieba

    jieba.setLogLevel(60)
    return [[w for w in jieba.lcut(text) if _WORD.search(w)] for text in texts]


def _baseline_text(doc: PatentText) -> str:
    return "\n".join(part for part in (doc.title, doc.abstract, doc.claims) if part)


def bm25_system(k1: float = 1.5, b: float = 0.75) -> Callable[[LabelledSet], Callable[[int, int], np.ndarray]]:
    """jieba + rank-bm25 BM25Okapi (default k1=1.5, b=0.75, eps=0.25)."""
    return lambda data: _bm25_scores(data, k1, b)


_BM25_TOKENS: dict[int, tuple[list[list[str]], list[list[str]]]] = {}
_BASELINE_DOC_TOKENS: dict[int, list[list[str]]] = {}


def _bm25_scores(data: LabelledSet, k1: float, b: float) -> Callable[[int, int], np.ndarray]:
    """jieba + rank-bm25 BM25Okapi with ``k1``, ``b`` (eps=0.25).

    ``get_scores`` loops in Python (minutes on 2,000 x 9,740); the same formula
    is applied as one sparse product, and checked against ``get_scores``.
    """
    from rank_bm25 import BM25Okapi

    if id(data.docs) not in _BASELINE_DOC_TOKENS:
        _BASELINE_DOC_TOKENS[id(data.docs)] = jieba_tokens([_baseline_text(d) for d in data.docs])
    if id(data) not in _BM25_TOKENS:
        _BM25_TOKENS[id(data)] = (_BASELINE_DOC_TOKENS[id(data.docs)], jieba_tokens(data.queries))
    docs, queries = _BM25_TOKENS[id(data)]
    bm25 = BM25Okapi(docs, k1=k1, b=b)
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
    for probe in range(0, len(queries), max(1, len(queries) // 5)):
        fast = (q_matrix[probe] @ weights_t).toarray().ravel()
        if not np.allclose(fast, bm25.get_scores(queries[probe]), atol=1e-9):
            raise AssertionError("vectorised BM25 differs from BM25Okapi.get_scores")
    return lambda start, stop: (q_matrix[start:stop] @ weights_t).toarray()


def tfidf_system(data: LabelledSet) -> Callable[[int, int], np.ndarray]:
    """jieba + scikit-learn TfidfVectorizer with default settings (cosine)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_identity)
    if id(data.docs) not in _BASELINE_DOC_TOKENS:
        _BASELINE_DOC_TOKENS[id(data.docs)] = jieba_tokens([_baseline_text(d) for d in data.docs])
    doc_matrix = vectorizer.fit_transform(_BASELINE_DOC_TOKENS[id(data.docs)])
    q_matrix = vectorizer.transform(jieba_tokens(data.queries))
    doc_t = doc_matrix.T.tocsr()
    return lambda start, stop: (q_matrix[start:stop] @ doc_t).toarray()


def _identity(tokens: list[str]) -> list[str]:
    return tokens


# ---------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="500 IPC queries and 1,000 abstracts")
    parser.add_argument("--tune", action="store_true", help="rerun the semantic grid on the development queries")
    parser.add_argument("--sweep", action="store_true", help="also the min_df/max_df/pivot and field-weight grids")
    parser.add_argument(
        "--tune-coverage", action="store_true", help="the short-query coverage grid on the development queries"
    )
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
        for system in (FUSED, COVERED)
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
        for system in (FUSED, "engine TF-IDF + LSA (no IPC prior)", "engine TF-IDF")
    }
    fused = ratios[FUSED]
    goals = {
        "ipc_p10_x1.25_bm25": fused["ipc"]["p10"] >= 1.25,
        "kp_mrr_at_least_bm25": all(fused[n]["mrr10"] >= 1.0 for n in ("kp-full", "kp-abs")),
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
        f"goals: ipc P@10 >= 1.25x BM25: {goals['ipc_p10_x1.25_bm25']}; "
        f"keyphrase MRR >= BM25: {goals['kp_mrr_at_least_bm25']}"
    )

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
                "goals": goals,
                "semantic_tuning": tuning,
                "sweep": sweep,
                "field_weight_sweep": weight_sweep,
                "seconds": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )


METRIC_NAMES = {"p10": "P@10", "mrr10": "MRR@10", "ndcg10": "nDCG@10"}


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


if __name__ == "__main__":
    main()

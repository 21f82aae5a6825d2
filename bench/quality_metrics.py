"""Evaluation and the systems compared by bench/quality.py: the engine (with term coverage of short queries, with
pseudo-relevance feedback of needs), jieba + BM25Okapi, jieba + TfidfVectorizer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from quality_sets import LabelledSet, baseline_text

from matching.engine import (
    CoverageConfig,
    FieldWeights,
    IndexConfig,
    MatchIndex,
    PseudoFeedback,
    Tokenizer,
    coverage_factors,
    enterprise_query_tokens,
    feedback_vectors,
    fit_index,
    fuse,
    patent_tokens_many,
    query_words,
    words_held,
)

K = 10
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


def _top_rows(block: np.ndarray, k: int = K) -> np.ndarray:
    """The k best columns of every row, higher score first, ties by lower column (= a stable argsort's first k)."""
    if block.shape[1] <= k:
        return np.argsort(-block, axis=1, kind="stable")
    kth = np.partition(block, block.shape[1] - k, axis=1)[:, block.shape[1] - k]
    out = np.empty((block.shape[0], k), dtype=np.int64)
    for i, row in enumerate(block):
        cand = np.flatnonzero(row >= kth[i])
        out[i] = cand[np.lexsort((cand, -row[cand]))][:k]
    return out


def engine_system(
    *,
    tokenizer: Tokenizer,
    weights: FieldWeights,
    config: IndexConfig,
    coverage: CoverageConfig | None = None,
    feedback: PseudoFeedback | None = None,
) -> Callable[[LabelledSet], Callable[[int, int], np.ndarray]]:
    """The engine: tokenizer + weighted fields + TF-IDF index (+ its LSA space when ``config`` has one), and the
    term coverage of short queries when ``coverage`` is given (matching.engine.coverage, as the search applies it),
    the pseudo-relevance feedback of needs when ``feedback`` is (matching.engine.prf, as rank_one/rank_index apply
    it: the first pass here leaves out the rows the evaluation excludes, the query patent of an ipc query).
    Systems with the same tokenizer, weights and config share their fitted index."""
    cache: dict[int, tuple[list[str], list[list[str]]]] = _TOKENS.setdefault(id(tokenizer), {})

    def prepare(data: LabelledSet) -> Callable[[int, int], np.ndarray]:
        docs, queries = _engine_tokens(cache, data, tokenizer, weights)
        key = (id(data.docs), id(data.labels), id(tokenizer), repr(weights), repr(config))
        if key not in _INDEXES:
            ids = [str(i) for i in range(len(docs))]
            _INDEXES[key] = fit_index(documents=docs, patent_ids=ids, config=config, labels=data.labels)
        index = _INDEXES[key]
        matrix = index.transform_queries(queries)
        scores = engine_scores(index=index, queries=matrix)
        if feedback is not None:
            scores = feedback_scores(index=index, queries=matrix, scores=scores, data=data, feedback=feedback)
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


def feedback_scores(
    *,
    index: MatchIndex,
    queries: sp.csr_matrix,
    scores: Callable[[int, int], np.ndarray],
    data: LabelledSet,
    feedback: PseudoFeedback,
) -> Callable[[int, int], np.ndarray]:
    """The engine's second pass with pseudo-relevance feedback: the first pass's best ``feedback.top`` (``scores``,
    excluded rows left out) expand each query (matching.engine.feedback_vectors), whose semantic part is ranked with
    the expanded vectors, its lexical part with the query itself."""
    parts = []
    for start in range(0, queries.shape[0], 500):
        block = _excluded(np.asarray(scores(start, min(start + 500, queries.shape[0])), np.float64), data, start)
        top = _top_rows(block, feedback.top)
        parts.append(np.where(np.take_along_axis(block, top, axis=1) > 0, top, -1))  # as ranked: scores > 0 only
    hits = np.vstack(parts)
    vectors = feedback_vectors(index=index, queries=queries, hits=hits, feedback=feedback)
    space = index.semantic
    if space is None or vectors is None:
        return scores
    doc_t = index.matrix.T.tocsr()

    def second(start: int, stop: int) -> np.ndarray:
        lexical = (queries[start:stop] @ doc_t).toarray()
        return fuse(lexical=lexical, semantic=space.similarities(vectors[start:stop]), weight=space.weight)

    return second


def _excluded(block: np.ndarray, data: LabelledSet, start: int) -> np.ndarray:
    if data.exclude is not None:
        block[np.arange(block.shape[0]), data.exclude[start : start + block.shape[0]]] = -np.inf
    return block


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
        _BASELINE_DOC_TOKENS[id(data.docs)] = jieba_tokens([baseline_text(d) for d in data.docs])
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
        _BASELINE_DOC_TOKENS[id(data.docs)] = jieba_tokens([baseline_text(d) for d in data.docs])
    doc_matrix = vectorizer.fit_transform(_BASELINE_DOC_TOKENS[id(data.docs)])
    q_matrix = vectorizer.transform(jieba_tokens(data.queries))
    doc_t = doc_matrix.T.tocsr()
    return lambda start, stop: (q_matrix[start:stop] @ doc_t).toarray()


def _identity(tokens: list[str]) -> list[str]:
    return tokens

"""Term coverage of short queries (coordination, as BM25 engines do with "minimum should match").

A TF-IDF score adds up the query's terms, so a patent holding one query word very strongly (a short title that
is that word) can outscore patents holding every word: for 锂电池 隔膜, titles about 锂电池 alone came before
titles holding both. Searches of a few words are meant as "all of these", so each word of a short query that a
patent does not hold multiplies its score by ``missing_factor``: the score shown is the score the list is ordered
by, only lowered for what is missing.

Words. Search-mode segmentation emits a word with its dictionary sub-words (锂电池 → 锂电, 电池, 锂电池), so the
words of a query are its tokens known to the index that are not part of a longer such token: 锂电池 隔膜 has two
words (锂电池, 隔膜), not four terms. A patent holds a word when its index row has that term. Tokens the index does
not know (or leaves out as too common, ``max_df``) are no words: no patent could hold them.

Which queries. Queries of ``min_words`` to ``max_words`` words; a one-word query and longer texts (a described
need, the enterprises' queries of a run) are ranked as before. Both settings and the factor were chosen with
``bench/quality.py`` (the "short" sets: 2–3 keyphrases as a query, relevant = every document holding all of them)
on development queries only; it also shows what the same rule does to the need-like keyphrase sets.

Everything here is pure and deterministic (numpy on the index's postings, no state).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = [
    "CoverageConfig",
    "QueryWords",
    "coverage_applies",
    "coverage_factors",
    "query_words",
    "words_held",
    "words_missing",
]


@dataclass(frozen=True)
class CoverageConfig:
    """``missing_factor``: what each missing word multiplies a score by (1 = coverage off); queries of
    ``min_words``..``max_words`` words are covered. Defaults chosen by ``bench/quality.py --tune-coverage``."""

    missing_factor: float = 0.25
    min_words: int = 2
    max_words: int = 3

    def __post_init__(self) -> None:
        if not 0.0 < self.missing_factor <= 1.0:
            raise ValueError("missing_factor must be in (0, 1]")
        if self.min_words < 2 or self.max_words < self.min_words:
            raise ValueError("need 2 <= min_words <= max_words")


@dataclass(frozen=True)
class QueryWords:
    """The words of a query: each one's index column (term) and text, in the query's order."""

    columns: tuple[int, ...]
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.columns)


def query_words(*, tokens: Sequence[str], vocabulary: Mapping[str, int]) -> QueryWords:
    """The words of a query (see the module doc): its distinct tokens known to ``vocabulary`` that are not a part
    (substring) of another such token, in order of first appearance."""
    known = list(dict.fromkeys(t for t in tokens if t in vocabulary))
    words = [t for t in known if not any(t != other and t in other for other in known)]
    return QueryWords(tuple(vocabulary[w] for w in words), tuple(words))


def coverage_applies(*, n_words: int, config: CoverageConfig) -> bool:
    """True when coverage changes the scores of a query of ``n_words`` words (a short query of several words)."""
    return config.missing_factor < 1.0 and config.min_words <= n_words <= config.max_words


def words_held(*, patents_t: sp.csr_matrix, words: QueryWords) -> np.ndarray:
    """How many of ``words`` each patent holds (int32, one per patent): counted on the postings of the index
    (``patents_t``: terms x patents, CSR, e.g. ``MatchIndex.matrix_t``), so the cost is those postings only."""
    indptr, indices = patents_t.indptr, patents_t.indices
    postings = [indices[indptr[c] : indptr[c + 1]] for c in words.columns]
    if not postings:
        return np.zeros(patents_t.shape[1], dtype=np.int32)
    held = np.bincount(np.concatenate(postings), minlength=patents_t.shape[1])
    return held.astype(np.int32, copy=False)


def coverage_factors(*, held: np.ndarray, n_words: int, config: CoverageConfig) -> np.ndarray | None:
    """The factor of every patent's score: ``missing_factor ** (n_words - held)`` (float32), or None when the
    query is not covered (one word, or more than ``max_words``): then nothing changes."""
    if not coverage_applies(n_words=n_words, config=config):
        return None
    powers = np.float64(config.missing_factor) ** np.arange(n_words + 1, dtype=np.float64)
    missing = n_words - np.asarray(held, dtype=np.int64)
    return powers[missing].astype(np.float32)


def words_missing(*, patents_t: sp.csr_matrix, rows: Sequence[int], words: QueryWords) -> list[tuple[str, ...]]:
    """The words each of ``rows`` (patent rows) does not hold, in the query's order; looked up in the sorted postings
    of the words (``patents_t`` as in :func:`words_held`), not by slicing the patents' rows (a hundred times slower).
    Rows lacking the same words share one tuple: no container per row (hundreds of them woke the garbage collector
    of a web process, which cost more than the rest of the lookup)."""
    if not len(rows) or not len(words):
        return [()] * len(rows)
    at = np.asarray(rows, dtype=patents_t.indices.dtype)
    present = np.empty((len(words), at.size), dtype=bool)
    for i, column in enumerate(words.columns):
        postings = patents_t.indices[patents_t.indptr[column] : patents_t.indptr[column + 1]]
        where = np.minimum(np.searchsorted(postings, at), max(postings.size - 1, 0))
        present[i] = postings[where] == at if postings.size else False
    if len(words) > 62:  # more words than bits of a mask (never a covered query): row by row
        return [tuple(n for n, has in zip(words.names, row, strict=True) if not has) for row in present.T.tolist()]
    # each row as a bit mask of the words it holds: few distinct masks, each turned into names once
    bits = np.left_shift(np.int64(1), np.arange(len(words), dtype=np.int64))
    masks = (present * bits[:, None]).sum(axis=0).tolist()
    lacking = {m: tuple(n for i, n in enumerate(words.names) if not m >> i & 1) for m in set(masks)}
    return [lacking[m] for m in masks]

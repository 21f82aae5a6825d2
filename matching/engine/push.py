"""Push-list scoring: the enterprises that fit one patent, with generic business-scope words discounted.

A patent's push list ranks every enterprise query of a run against the patent. The patents' idf does not know
that business scopes repeat boilerplate (销售, 技术开发, 技术服务, 网络, 检测 …): such a word is rare enough among
patents to weigh, and one shared boilerplate word then lifts thousands of enterprises alike. Two rules, applied to
the push list only (an enterprise's own recommendations are not changed):

* **Spread across enterprises** (:func:`enterprise_term_weights`): each term's contribution ``q_t · d_t`` is
  multiplied by its enterprise-side idf, ``(ln((1 + N) / (1 + df_t)) + 1) / (ln(1 + N) + 1)`` in (0, 1], where
  ``df_t`` is the number of the ``N`` enterprise queries holding the term: a word every enterprise writes counts
  little, a word one enterprise writes counts fully.
* **More than one term** (:func:`single_term_pairs`): a pair whose (weighted) lexical part is carried by one term
  (its largest contribution is at least ``dominant_share`` of the part) is multiplied by ``single_term_factor``,
  unless its latent cosine (the LSA part, before the floor and the class prior) reaches ``semantic_agreement``:
  the texts then agree beyond that word.

The push score is ``(1 − w) · weighted lexical + w · semantic`` (the index's semantic part as ranked), times the
factor. Pure and deterministic (sparse products on fixed inputs; ties by the lower query row). The factor and the
thresholds were set by reasoning, not tuned (there is no labelled push-list set); ``bench/quality.py`` reports the
share of top-20 push pairs carried by a single term on the real Hubei business scopes, with and without the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .vectorize import MatchIndex

__all__ = ["PushConfig", "enterprise_term_weights", "push_scores", "single_term_pairs"]


@dataclass(frozen=True)
class PushConfig:
    """The push list's rules (module docstring): ``spread`` weighs terms by their enterprise-side idf; a pair carried
    by one term (``dominant_share`` of its lexical part or more) is multiplied by ``single_term_factor`` unless its
    latent cosine reaches ``semantic_agreement``."""

    spread: bool = True
    dominant_share: float = 0.8
    single_term_factor: float = 0.25
    semantic_agreement: float = 0.5

    def __post_init__(self) -> None:
        if not 0.5 < self.dominant_share <= 1.0:
            raise ValueError("dominant_share must be in (0.5, 1]")
        if not 0.0 <= self.single_term_factor <= 1.0:
            raise ValueError("single_term_factor must be in [0, 1]")
        if not -1.0 <= self.semantic_agreement <= 1.0:
            raise ValueError("semantic_agreement must be in [-1, 1]")


def enterprise_term_weights(queries: sp.csr_matrix) -> np.ndarray:
    """Per term, its enterprise-side idf scaled to (0, 1] (module docstring), from the enterprise query rows
    (queries x terms); float32. A term no query holds gets 1."""
    q = sp.csr_matrix(queries)
    n = q.shape[0]
    df = np.bincount(q.indices[q.data != 0], minlength=q.shape[1]).astype(np.float64)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    return (idf / (np.log(1.0 + n) + 1.0)).astype(np.float32)


def single_term_pairs(*, contributions: sp.csr_matrix, dominant_share: float) -> np.ndarray:
    """Boolean per row of ``contributions`` (queries x terms, each pair's per-term lexical contributions): True where
    one term carries at least ``dominant_share`` of the row's sum (a row with one shared term, too); False for a
    row with no shared term."""
    c = sp.csr_matrix(contributions, dtype=np.float64)
    total = np.asarray(c.sum(axis=1)).ravel()
    largest = np.asarray(c.max(axis=1).toarray()).ravel()
    return (total > 0) & (largest >= dominant_share * total)


def push_scores(
    *,
    index: MatchIndex,
    queries: sp.csr_matrix,
    patent_row: int,
    config: PushConfig,
    term_weights: np.ndarray | None = None,
    query_vectors: np.ndarray | None = None,
    queries_t: sp.csr_matrix | None = None,
) -> np.ndarray:
    """The push score (module docstring) of every query row for one patent (``index`` row ``patent_row``),
    float32. ``term_weights``: :func:`enterprise_term_weights` of ``queries`` (computed here when None and
    ``config.spread``); ``query_vectors``: the queries' semantic vectors; ``queries_t``: ``queries`` transposed
    (terms x queries, CSR), whose rows of the patent's terms are all a push list reads — each when the caller keeps
    it between calls (the column slice of ``queries`` it saves costs ~10x more)."""
    q = sp.csr_matrix(queries, dtype=np.float32)
    patent = index.matrix[patent_row]
    terms = patent.indices
    values = patent.data.astype(np.float32)
    if config.spread:
        weights = enterprise_term_weights(q) if term_weights is None else np.asarray(term_weights, np.float32)
        values = values * weights[terms]
    # each query's contribution per term of the patent: (queries x patent terms)
    shared = q[:, terms] if queries_t is None else sp.csr_matrix(queries_t[terms], dtype=np.float32).T
    contributions = sp.csr_matrix(shared @ sp.diags(values), dtype=np.float32)
    lexical = np.asarray(contributions.sum(axis=1), dtype=np.float32).ravel()
    scores: np.ndarray = lexical
    agree = np.zeros(q.shape[0], dtype=bool)
    if index.semantic is not None:
        space = index.semantic
        vectors = space.transform(q) if query_vectors is None else query_vectors
        rows = np.array([patent_row])
        semantic = space.similarities(vectors, patent_rows=rows).ravel()
        scores = np.float32(1.0 - space.weight) * lexical + np.float32(space.weight) * semantic
        agree = space.cosines(vectors, patent_rows=rows).ravel() >= np.float32(config.semantic_agreement)
    single = single_term_pairs(contributions=contributions, dominant_share=config.dominant_share)
    factor = np.where(single & ~agree, np.float32(config.single_term_factor), np.float32(1.0)).astype(np.float32)
    return (scores * factor).astype(np.float32)

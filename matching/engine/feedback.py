"""Adjust one enterprise's match scores with its docking feedback (pure functions).

Each feedback event is about one patent and has a signed strength:

==========  ========  ============================================================
kind        strength  meaning
==========  ========  ============================================================
declined    -0.8      the enterprise turned the docking down
withdrawn   -0.4      the docking was withdrawn (weaker: often not about the fit)
followed    +0.2      the enterprise follows / bookmarks the patent
signed      +0.5      a contract was signed
==========  ========  ============================================================

The event reaches the patent itself with influence 1 and every *close
neighbour* with influence ``(cos - threshold) / (1 - threshold)`` when their
cosine similarity ``cos`` (of the unit-normalised patent vectors) is at least
``threshold``; less similar patents are untouched. A candidate's score is
multiplied by ``1 + strength * influence`` for every event, and the product is
kept within ``[min_factor, max_factor]``. So a declined patent keeps 20% of its
score, a near-duplicate of it loses almost as much, and a patent on another
topic is not affected. Scores only scale: a zero score stays zero, and the
caller re-sorts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

__all__ = ["DEFAULT_STRENGTHS", "FeedbackEvent", "FeedbackKind", "adjust_scores", "adjust_scores_apart"]

FeedbackKind = Literal["declined", "withdrawn", "followed", "signed"]

DEFAULT_STRENGTHS: Mapping[str, float] = {"declined": -0.8, "withdrawn": -0.4, "followed": 0.2, "signed": 0.5}


@dataclass(frozen=True)
class FeedbackEvent:
    """Feedback of the enterprise on the patent at index row ``patent_row``."""

    patent_row: int
    kind: FeedbackKind


def adjust_scores(
    *,
    scores: np.ndarray,
    candidate_rows: np.ndarray,
    events: Sequence[FeedbackEvent],
    patent_matrix: sp.csr_matrix,
    threshold: float = 0.5,
    strengths: Mapping[str, float] = DEFAULT_STRENGTHS,
    min_factor: float = 0.05,
    max_factor: float = 2.0,
) -> np.ndarray:
    """Return new scores for ``candidate_rows`` (index rows, aligned with ``scores``).

    ``patent_matrix`` is the index matrix (rows are re-normalised here, so the
    pivoted index rows work too). Rows equal to -1 (padding) keep their score.
    Inputs are not modified.
    """
    rows = np.asarray(candidate_rows, dtype=np.int64)
    event_rows = np.array([e.patent_row for e in events], dtype=np.int64)
    return adjust_scores_apart(
        scores=scores,
        candidate_rows=rows,
        candidate_vectors=patent_matrix[rows[rows >= 0]],
        events=events,
        event_vectors=patent_matrix[event_rows],
        threshold=threshold,
        strengths=strengths,
        min_factor=min_factor,
        max_factor=max_factor,
    )


def adjust_scores_apart(
    *,
    scores: np.ndarray,
    candidate_rows: np.ndarray,
    candidate_vectors: sp.csr_matrix,
    events: Sequence[FeedbackEvent],
    event_vectors: sp.csr_matrix,
    threshold: float = 0.5,
    strengths: Mapping[str, float] = DEFAULT_STRENGTHS,
    min_factor: float = 0.05,
    max_factor: float = 2.0,
) -> np.ndarray:
    """:func:`adjust_scores` with the patent vectors given apart, for patents that are not in one matrix (a run
    sharded by patents: the candidates in a worker's shard, the event patents anywhere). ``candidate_vectors``: the
    vectors of the candidates whose row is >= 0, in order; ``event_vectors``: one per event, in order. A candidate
    whose row equals an event's ``patent_row`` is that event's own patent. Same results as :func:`adjust_scores`
    bit for bit: each vector is normalised alone, and each cosine sums the same products in the same order.
    """
    if not 0.0 <= threshold < 1.0:
        raise ValueError("threshold must be in [0, 1)")
    base = np.asarray(scores, dtype=np.float64)
    rows = np.asarray(candidate_rows, dtype=np.int64)
    if base.shape != rows.shape:
        raise ValueError("scores and candidate_rows must have the same shape")
    unknown = {e.kind for e in events} - set(strengths)
    if unknown:
        raise ValueError(f"unknown feedback kind(s): {sorted(unknown)}")
    if not events:
        return base.copy()
    valid = rows >= 0
    if candidate_vectors.shape[0] != int(valid.sum()) or event_vectors.shape[0] != len(events):
        raise ValueError("one vector per valid candidate and one per event")
    event_rows = np.array([e.patent_row for e in events], dtype=np.int64)
    strength = np.array([strengths[e.kind] for e in events], dtype=np.float64)
    # cos(candidate, event patent) for all pairs: (n_valid x n_events).
    cos = (normalize(candidate_vectors, norm="l2") @ normalize(event_vectors, norm="l2").T).toarray()
    cos[rows[valid][:, None] == event_rows[None, :]] = 1.0  # the patent itself, even if its vector is empty
    influence = np.where(cos >= threshold, (cos - threshold) / (1.0 - threshold), 0.0)
    factor = np.prod(1.0 + strength[None, :] * influence, axis=1)
    adjusted = base.copy()
    adjusted[valid] = base[valid] * np.clip(factor, min_factor, max_factor)
    return adjusted

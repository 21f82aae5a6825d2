"""Feedback: declined/withdrawn lower a patent and its close neighbours, follow/sign raise them."""

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import FeedbackEvent, adjust_scores

# Rows 0 and 1 are near-duplicates (cosine 0.8), row 2 is on another topic, row 3 is empty.
MATRIX = sp.csr_matrix(np.array([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]], np.float32))
ROWS = np.array([0, 1, 2, -1])
SCORES = np.array([0.9, 0.8, 0.7, 0.0])


def test_declined_lowers_the_patent_and_its_close_neighbour_only():
    # given
    events = [FeedbackEvent(patent_row=0, kind="declined")]

    # when
    adjusted = adjust_scores(scores=SCORES, candidate_rows=ROWS, events=events, patent_matrix=MATRIX, threshold=0.5)

    # then: influence on row 1 is (0.8 - 0.5) / 0.5 = 0.6, factor 1 - 0.8 * 0.6 = 0.52
    np.testing.assert_allclose(adjusted, [0.9 * 0.2, 0.8 * 0.52, 0.7, 0.0], rtol=1e-6)


def test_withdrawn_is_milder_than_declined():
    # given
    events = [FeedbackEvent(patent_row=2, kind="withdrawn")]

    # when
    adjusted = adjust_scores(scores=SCORES, candidate_rows=ROWS, events=events, patent_matrix=MATRIX)

    # then
    np.testing.assert_allclose(adjusted, [0.9, 0.8, 0.7 * 0.6, 0.0], rtol=1e-6)


def test_positive_feedback_raises_and_factors_multiply():
    # given
    events = [FeedbackEvent(patent_row=1, kind="signed"), FeedbackEvent(patent_row=1, kind="followed")]

    # when
    adjusted = adjust_scores(scores=SCORES, candidate_rows=ROWS, events=events, patent_matrix=MATRIX)

    # then: row 1 gets 1.5 * 1.2; row 0 (cos 0.8) gets (1 + 0.5 * 0.6) * (1 + 0.2 * 0.6)
    np.testing.assert_allclose(adjusted, [0.9 * 1.3 * 1.12, 0.8 * 1.8, 0.7, 0.0], rtol=1e-6)


def test_feedback_on_a_patent_outside_the_candidates_still_reaches_neighbours():
    # given: the enterprise declined row 1, which is not among the candidates
    rows = np.array([0, 2])

    # when
    adjusted = adjust_scores(
        scores=np.array([0.9, 0.7]), candidate_rows=rows, events=[FeedbackEvent(1, "declined")], patent_matrix=MATRIX
    )

    # then
    np.testing.assert_allclose(adjusted, [0.9 * 0.52, 0.7], rtol=1e-6)


def test_no_events_and_inputs_untouched():
    # given
    scores = SCORES.copy()

    # when
    adjusted = adjust_scores(scores=scores, candidate_rows=ROWS, events=[], patent_matrix=MATRIX)

    # then
    np.testing.assert_array_equal(adjusted, SCORES)
    np.testing.assert_array_equal(scores, SCORES)


def test_unknown_kind_is_rejected():
    # given / when / then
    with pytest.raises(ValueError, match=r"unknown feedback kind\(s\): \['liked'\]"):
        adjust_scores(scores=SCORES, candidate_rows=ROWS, events=[FeedbackEvent(0, "liked")], patent_matrix=MATRIX)  # type: ignore[arg-type]

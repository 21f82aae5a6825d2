"""The chunk's rows as arrays: the compiled explanation equals the engine's explain_many term for term, and the COPY
text is what PostgreSQL reads back."""

import json

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine.explain import explain_many
from matching.live_index import matchable_patents
from matching.rows import RecommendationRows, explain_pairs, terms_json
from matching.tokens import patent_ipc_subclasses
from patents.models import Patent


def _random_index(seed: int) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    rng = np.random.default_rng(seed)
    matrix = sp.random(60, 40, density=0.3, random_state=rng, dtype=np.float32, format="csr")
    queries = sp.random(7, 40, density=0.25, random_state=rng, dtype=np.float32, format="csr")
    # equal weights make ties: the order among them must be the engine's too
    matrix.data = np.round(matrix.data * 4) / 4 + np.float32(0.25)
    queries.data = np.round(queries.data * 2) / 2 + np.float32(0.5)
    return matrix, queries, [f"词{t}" for t in range(40)]


class _Index:
    def __init__(self, matrix: sp.csr_matrix, terms: list[str]) -> None:
        self.matrix, self.terms = matrix, terms


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_explain_pairs_gives_the_engines_terms_in_the_engines_order(seed):
    # given
    matrix, queries, terms = _random_index(seed)
    patent_rows = np.random.default_rng(seed).integers(-1, 60, size=(7, 12))
    expected = explain_many(index=_Index(matrix, terms), queries=queries, patent_rows=patent_rows, n_terms=5)
    # when
    ids = explain_pairs(
        matrix=matrix,
        queries=queries,
        query_rows=np.repeat(np.arange(7), 12),
        patent_rows=patent_rows.ravel(),
        n_terms=5,
    )
    # then
    got = [json.loads(row) for row in terms_json(terms=terms, term_ids=ids)]
    assert got == [pair for query in expected for pair in query]
    assert sum(len(pair) for pair in got) > 7 * 12  # most pairs share terms: the comparison is not vacuous


def test_copy_text_escapes_backslashes_and_keeps_float_precision():
    # given
    rows = RecommendationRows(
        run_id=3,
        enterprise_ids=np.array([10, 11]),
        patent_ids=np.array([20, 21]),
        ranks=np.array([1, 2]),
        scores=np.array([0.1234567890123, 0.5]),
        semantic=np.array([0.75, 0.0]),
        final_scores=np.array([0.02469135780246, 0.5]),
        terms=terms_json(terms=["石油焦", "a\\b", "c\td"], term_ids=np.array([[0, 1, -1], [2, -1, -1]])),
    )
    # when
    text = rows.copy_text()
    # then
    assert text == (
        '3\t10\t20\t1\t0.1234567890123\t0.75\t0.02469135780246\t["石油焦", "a\\\\\\\\b"]\n'
        '3\t11\t21\t2\t0.5\t0.0\t0.5\t["c\\\\td"]\n'
    )
    assert len(rows) == 2


@pytest.mark.django_db
def test_ipc_subclasses_of_the_pooled_patents_are_the_class_labels(pooled_patents):
    # given: codes in the spellings inventories use, and one patent without a valid code
    first, second, third = pooled_patents[:3]
    Patent.objects.filter(pk=first.pk).update(ipc_main="H01M 4/58", ipc_codes=["h01m10/54", "C01B 25/45"])
    Patent.objects.filter(pk=second.pk).update(ipc_main="", ipc_codes=["G06V 10/82"])
    Patent.objects.filter(pk=third.pk).update(ipc_main="无", ipc_codes=[])
    # when
    labels = patent_ipc_subclasses(patents=matchable_patents(), patent_ids=[first.pk, second.pk, third.pk, 0])
    # then
    assert labels == [["C01B", "H01M"], ["G06V"], [], []]

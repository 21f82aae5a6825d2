"""matching.engine.unit.l2_rows gives the same bits as scikit-learn's normalize(norm="l2"), and the query path that
uses it (transform_queries, SemanticSpace.transform) answers as with normalize."""

import numpy as np
import pytest
import scipy.sparse as sp
from engine_corpus import NEEDS, PATENTS
from sklearn.preprocessing import normalize

from matching.engine import PatentText, enterprise_query_tokens, fit_index, patent_tokens_many
from matching.engine import semantic as semantic_module
from matching.engine import vectorize as vectorize_module
from matching.engine.unit import l2_rows


def _same_csr(a: sp.csr_matrix, b: sp.csr_matrix) -> bool:
    return (
        a.dtype == b.dtype
        and a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sparse_rows_are_the_same_bits_as_normalize(dtype):
    # given: rows of every kind (empty, one value, tiny values, many values)
    rng = np.random.default_rng(3)
    matrix = sp.random(50, 400, density=0.03, format="csr", random_state=4, dtype=dtype)
    matrix = sp.vstack([matrix, sp.csr_matrix((1, 400), dtype=dtype)], format="csr")
    matrix[3, 7] = dtype(1e-30)
    matrix.data *= rng.uniform(0.5, 3.0, matrix.data.size).astype(dtype)
    original = matrix.copy()
    # when
    copied = l2_rows(matrix)
    in_place = l2_rows(matrix.copy(), copy=False)
    # then
    expected = normalize(original, norm="l2")
    assert _same_csr(copied, expected)
    assert _same_csr(in_place, expected)
    assert _same_csr(matrix, original)  # copy=True leaves the input alone


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dense_rows_are_the_same_bits_as_normalize(dtype):
    # given
    rng = np.random.default_rng(5)
    matrix = rng.normal(size=(30, 64)).astype(dtype)
    matrix[4] = 0.0
    matrix[5] = dtype(1e-20)
    # when
    out = l2_rows(matrix.copy(), copy=False)
    # then
    expected = normalize(matrix, norm="l2")
    assert out.dtype == expected.dtype
    assert np.array_equal(out, expected)


@pytest.mark.parametrize("labels", [None, [["H01M"], ["G06V", "G06N"], ["C02F"], [], ["H01M"], ["F16D"]]])
def test_the_query_path_answers_as_with_normalize(monkeypatch, labels):
    # given: an index with a semantic space, with and without a class prior (and the queries it ranks)
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    index = fit_index(documents=docs, patent_ids=[pid for pid, *_ in PATENTS], labels=labels)
    queries = [enterprise_query_tokens(needs=text) for _, text in NEEDS]
    assert index.semantic is not None
    assert (index.semantic.classes is not None) == (labels is not None)
    # when: the query rows and their latent vectors, then the same with scikit-learn's normalize
    rows = index.transform_queries(queries)
    vectors = index.semantic.transform(rows)
    with monkeypatch.context() as patch:
        patch.setattr(vectorize_module, "l2_rows", lambda m, copy=True: normalize(m, norm="l2", copy=copy))
        patch.setattr(semantic_module, "l2_rows", lambda m, copy=True: normalize(m, norm="l2", copy=copy))
        rows_before = index.transform_queries(queries)
        vectors_before = index.semantic.transform(rows_before)
    # then
    assert _same_csr(rows, rows_before)
    assert np.array_equal(vectors, vectors_before)
    assert rows.nnz > 0

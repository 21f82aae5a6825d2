"""TF-IDF index: weights, query transform, persistence."""

import io
import json

import numpy as np
import pytest
from engine_corpus import PATENTS
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.engine import IndexConfig, MatchIndex, PatentText, fit_index, patent_tokens_many, row_norms
from matching.engine.vectorize import _with_bigrams, tfidf_fit

DOCS = [
    "锂电池 正极 材料 锂电池",
    "图像 识别 神经网络",
    "污水 处理 过滤器 污水",
    "锂电池 回收 沉淀",
]
IDS = ["a", "b", "c", "d"]


def _reference(config: IndexConfig) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=str.split, lowercase=False, sublinear_tf=True, min_df=config.min_df, dtype=np.float32
    )


def test_patent_rows_are_tfidf_with_pivoted_normalisation():
    # given
    config = IndexConfig(pivot_slope=0.6)
    raw = _reference(config).set_params(norm=None).fit_transform(DOCS).toarray()
    norms = np.linalg.norm(raw, axis=1)
    expected = raw / (0.4 * norms.mean() + 0.6 * norms)[:, None]

    # when
    index = fit_index(documents=DOCS, patent_ids=IDS, config=config)

    # then
    assert index.terms == [
        "回收", "图像", "处理", "材料", "正极", "污水", "沉淀", "神经网络", "识别", "过滤器", "锂电池"
    ]  # fmt: skip
    np.testing.assert_allclose(index.matrix.toarray(), expected, rtol=1e-6)


def test_slope_one_gives_unit_rows():
    # given / when
    index = fit_index(documents=DOCS, patent_ids=IDS, config=IndexConfig(pivot_slope=1.0))

    # then
    np.testing.assert_allclose(row_norms(index.matrix), np.ones(4), rtol=1e-6)


def test_transform_query_matches_scikit_learn():
    # given
    config = IndexConfig()
    reference = _reference(config).fit(DOCS)
    index = fit_index(documents=DOCS, patent_ids=IDS, config=config)
    query = ["锂电池", "回收", "回收", "未知词"]

    # when
    vector = index.transform_query(query)

    # then
    np.testing.assert_allclose(vector.toarray(), reference.transform([" ".join(query)]).toarray(), rtol=1e-6)
    assert vector.dtype == np.float32


def test_query_without_known_terms_is_all_zero():
    # given
    index = fit_index(documents=DOCS, patent_ids=IDS)

    # when
    vectors = index.transform_queries([[], "完全 未知"])

    # then
    assert vectors.shape == (2, len(index.terms))
    assert vectors.nnz == 0


def test_round_trip_through_bytes():
    # given
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    index = fit_index(documents=docs, patent_ids=[pid for pid, *_ in PATENTS], config=IndexConfig(min_df=1))

    # when
    for compress in (False, True):
        restored = MatchIndex.from_bytes(index.to_bytes(compress=compress))

        # then
        assert restored.terms == index.terms
        assert restored.patent_ids == ["P1", "P2", "P3", "P4", "P5", "P6"]
        assert restored.config == index.config
        np.testing.assert_array_equal(restored.idf, index.idf)
        assert (restored.matrix != index.matrix).nnz == 0
        assert restored.row_of("P3") == 2


def test_unknown_format_version_is_refused():
    # given
    index = fit_index(documents=DOCS, patent_ids=IDS)
    with np.load(io.BytesIO(index.to_bytes())) as archive:
        arrays = dict(archive)
    arrays["meta"] = np.frombuffer(json.dumps({"format": 9}).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    payload = buffer.getvalue()

    # when / then
    with pytest.raises(ValueError, match="unsupported index format 9"):
        MatchIndex.from_bytes(payload)


@pytest.mark.parametrize(
    ("documents", "ids", "message"),
    [
        (DOCS, IDS[:3], "4 documents but 3 patent ids"),
        (DOCS, ["a", "a", "b", "c"], "patent ids must be unique"),
        (["", ""], ["a", "b"], "no indexable terms"),
    ],
)
def test_invalid_input_is_rejected(documents, ids, message):
    # given / when / then
    with pytest.raises(ValueError, match=message):
        fit_index(documents=documents, patent_ids=ids)


@pytest.mark.parametrize(
    ("bigrams", "min_df", "max_df"), [(False, 1, 0.5), (True, 2, 1.0), (False, 1, 3), (False, 0.02, 0.9)]
)
def test_the_terms_idf_and_weights_are_scikit_learns_bit_for_bit(bigrams, min_df, max_df):
    # given: the real patents' documents; sklearn's TfidfVectorizer as the reference
    config = IndexConfig(bigrams=bigrams, min_df=min_df, max_df=max_df)
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    reference = TfidfVectorizer(
        analyzer=str.split if not bigrams else (lambda d: _with_bigrams(d.split())), lowercase=False,
        sublinear_tf=True, norm=None, dtype=np.float32, min_df=min_df, max_df=max_df,
    )  # fmt: skip
    expected = reference.fit_transform(docs).tocsr()
    expected.sort_indices()
    # when
    terms, idf, matrix = tfidf_fit(docs, config=config)
    # then
    assert terms == reference.get_feature_names_out().tolist()
    np.testing.assert_array_equal(idf, reference.idf_.astype(np.float32))
    assert (matrix.shape, matrix.dtype) == (expected.shape, expected.dtype)
    np.testing.assert_array_equal(matrix.indptr, expected.indptr)
    np.testing.assert_array_equal(matrix.indices, expected.indices)
    np.testing.assert_array_equal(matrix.data, expected.data)


def test_nothing_left_after_the_cut_offs_is_a_clear_error():
    with pytest.raises(ValueError, match="no indexable terms"):
        fit_index(documents=["锂电池 锂电池", "锂电池"], patent_ids=["a", "b"], config=IndexConfig(min_df=3))

"""The class-aware prior (IPC subclasses of the pooled patents) inside the semantic part: deterministic, the terms
still add up to the lexical part, the parts to the ranked score, and it survives the index's round trip."""

import numpy as np
import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine import (
    MatchIndex,
    PatentText,
    enterprise_query_tokens,
    explain,
    fit_index,
    patent_tokens_many,
    rank_index,
)

DOCS = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
IDS = [pid for pid, *_ in PATENTS]
# 锂电池正极, 图像识别, 污水处理, 温室控制, 锂电池回收, 刹车片; one patent left unlabelled (predicted from its text)
LABELS = [["H01M"], ["G06V", "G06N"], ["C02F"], [], ["H01M"], ["F16D"]]
QUERIES = [enterprise_query_tokens(needs=text) for _, text in NEEDS[:3]]


def _fit() -> MatchIndex:
    return fit_index(documents=DOCS, patent_ids=IDS, labels=LABELS)


def test_the_class_prior_is_fitted_from_the_labels_and_ranking_is_deterministic():
    # given
    first, second = _fit(), _fit()
    # when
    ranked = [rank_index(index=ix, queries=ix.transform_queries(QUERIES), k=6) for ix in (first, second)]
    # then
    assert first.semantic is not None
    assert first.semantic.classes is not None
    assert sorted(first.semantic.classes.names) == ["C02F", "F16D", "G06N", "G06V", "H01M"]
    np.testing.assert_array_equal(ranked[0].indices, ranked[1].indices)
    np.testing.assert_array_equal(ranked[0].scores, ranked[1].scores)


def test_without_labels_there_is_no_class_prior():
    assert fit_index(documents=DOCS, patent_ids=IDS).semantic.classes is None


def test_terms_add_up_to_the_lexical_part_and_parts_to_the_ranked_score_with_the_class_prior():
    # given
    index = _fit()
    queries = index.transform_queries(QUERIES)
    best = rank_index(index=index, queries=queries, k=6)
    assert index.semantic is not None
    weight = index.semantic.weight
    checked = 0
    # when / then
    for i in range(len(QUERIES)):
        for patent_row, score in best.row(i):
            why = explain(index=index, query=queries[i], patent_row=patent_row)
            lexical = float((index.matrix[patent_row] @ queries[i].T).toarray()[0, 0])
            assert sum(t.contribution for t in why.terms) == pytest.approx(why.lexical, abs=1e-6)
            assert why.lexical == pytest.approx(lexical, abs=1e-6)
            assert (1 - weight) * why.lexical + weight * why.semantic == pytest.approx(score, abs=1e-6)
            checked += 1
    assert checked > 0


def test_the_lithium_need_ranks_both_lithium_battery_patents_first():
    # given
    index = _fit()
    # when
    best = rank_index(index=index, queries=index.transform_queries(QUERIES[:1]), k=2)
    # then (P1 正极材料 and P5 锂电池回收 share H01M)
    assert {index.patent_ids[row] for row, _ in best.row(0)} == {"P1", "P5"}


def test_the_class_prior_survives_the_round_trip():
    # given
    index = _fit()
    queries = index.transform_queries(QUERIES)
    # when
    loaded = MatchIndex.from_bytes(index.to_bytes())
    # then
    assert loaded.semantic is not None
    assert loaded.semantic.classes is not None
    before, after = rank_index(index=index, queries=queries, k=6), rank_index(index=loaded, queries=queries, k=6)
    np.testing.assert_array_equal(before.indices, after.indices)
    np.testing.assert_allclose(before.scores, after.scores, rtol=1e-6)


@pytest.mark.parametrize("patent_rows", [None, np.array([4, 0, 3])])
def test_the_sparse_class_part_equals_the_dense_product_bit_for_bit(patent_rows):
    # given: the class part added where queries and patents share a class (what ranking uses)
    space = _fit().semantic
    vectors = space.transform(_fit().transform_queries(QUERIES))
    dims = space.n_components
    base = np.random.default_rng(3).random((len(QUERIES), 6 if patent_rows is None else 3), dtype=np.float32)
    share = np.float32(space.class_share)
    # when
    sparse = base.copy()
    space.classes.add_block(sparse, vectors[:, dims:], share, patent_rows)
    patents = space.classes.patents if patent_rows is None else space.classes.patents[patent_rows]
    dense = base + share * np.asarray((patents @ vectors[:, dims:].T).T, dtype=np.float32)  # the dense product
    # then: the same float32 values, and the class part really acts
    np.testing.assert_array_equal(sparse, dense)
    assert not np.array_equal(sparse, base)

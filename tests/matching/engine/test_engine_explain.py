"""Explanations: shared terms add up to the lexical part; lexical and semantic parts combine to the ranked score."""

import numpy as np
import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine import (
    IndexConfig,
    PatentText,
    enterprise_query_tokens,
    explain,
    explain_many,
    fit_index,
    patent_tokens_many,
    rank_index,
    score_parts,
    top_k_patents,
)

WEIGHT = IndexConfig().semantic_weight


@pytest.fixture(scope="module")
def index():
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    return fit_index(documents=docs, patent_ids=[pid for pid, *_ in PATENTS])


@pytest.fixture(scope="module")
def lexical_index():
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    return fit_index(documents=docs, patent_ids=[pid for pid, *_ in PATENTS], config=IndexConfig(semantic_components=0))


def test_terms_add_up_to_the_lexical_part_and_parts_to_the_ranked_score(index):
    # given
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS[:3]])
    best = rank_index(index=index, queries=queries, k=6)

    # when / then
    assert index.semantic is not None
    lexical_dense = (queries @ index.matrix.T).toarray()
    semantic_dense = index.semantic.similarities(index.semantic.transform(queries))
    expected_hits = int(((1 - WEIGHT) * lexical_dense + WEIGHT * semantic_dense > 0).sum())
    checked = 0
    for i in range(3):
        for patent_row, score in best.row(i):
            why = explain(index=index, query=queries[i], patent_row=patent_row)
            lexical = float((index.matrix[patent_row] @ queries[i].T).toarray()[0, 0])
            assert sum(t.contribution for t in why.terms) == pytest.approx(why.lexical, abs=1e-6)
            assert why.lexical == pytest.approx(lexical, abs=1e-6)
            assert why.semantic_weight == WEIGHT
            assert (1 - WEIGHT) * why.lexical + WEIGHT * why.semantic == pytest.approx(score, abs=1e-6)
            assert why.score == pytest.approx(score, abs=1e-6)
            for term in why.terms:
                assert term.contribution == pytest.approx(term.query_weight * term.patent_weight, rel=1e-12)
            checked += 1
    assert checked == expected_hits
    assert checked > int((lexical_dense > 0).sum())  # the semantic part reaches patents sharing no term


def test_lexical_index_explains_the_whole_score(lexical_index):
    # given
    queries = lexical_index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS[:3]])
    best = top_k_patents(queries=queries, patents=lexical_index.matrix, k=6)

    # when / then
    for i in range(3):
        for patent_row, score in best.row(i):
            why = explain(index=lexical_index, query=queries[i], patent_row=patent_row)
            assert sum(t.contribution for t in why.terms) == pytest.approx(score, abs=1e-5)
            assert (why.score, why.semantic, why.semantic_weight) == (pytest.approx(score, abs=1e-5), 0.0, 0.0)


def test_terms_are_shared_and_sorted_by_contribution(index):
    # given
    tokens = enterprise_query_tokens(needs="污水处理和过滤设备")

    # when
    why = explain(index=index, query=index.transform_query(tokens), patent_row=index.row_of("P3"))

    # then
    assert [t.term for t in why.terms[:3]] == ["处理", "污水", "污水处理"]
    contributions = [t.contribution for t in why.terms]
    assert contributions == sorted(contributions, reverse=True)
    assert {t.term for t in why.terms} <= set(tokens)


def test_pair_without_shared_terms_has_no_lexical_part(index):
    # given / when
    why = explain(index=index, query=index.transform_query(["图像", "识别"]), patent_row=index.row_of("P6"))

    # then
    assert why.lexical == 0.0
    assert why.terms == []
    assert why.score == pytest.approx(WEIGHT * why.semantic, abs=1e-7)


def test_score_parts_match_single_explanations_and_pad_with_zero(index):
    # given
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS])
    rows = np.array([[2, 0], [1, -1], [0, 5], [-1, -1]])

    # when
    parts = score_parts(index=index, queries=queries, patent_rows=rows)

    # then
    for i, j in [(0, 0), (0, 1), (1, 0), (2, 0), (2, 1)]:
        why = explain(index=index, query=queries[i], patent_row=int(rows[i, j]))
        assert float(parts.lexical[i, j]) == pytest.approx(why.lexical, abs=1e-6)
        assert float(parts.semantic[i, j]) == pytest.approx(why.semantic, abs=1e-6)
        assert float(parts.score[i, j]) == pytest.approx(why.score, abs=1e-6)
    assert parts.score[1, 1] == parts.score[3, 0] == parts.score[3, 1] == 0.0
    assert parts.score.tolist()[3] == [0.0, 0.0]  # a need sharing no known term scores zero both ways


def test_explain_many_matches_single_explanations(index):
    # given
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS])
    best = rank_index(index=index, queries=queries, k=2)

    # when
    batch = explain_many(index=index, queries=queries, patent_rows=best.indices, n_terms=3)

    # then
    for i in range(len(NEEDS)):
        for j, patent_row in enumerate(best.indices[i]):
            if patent_row < 0:
                assert batch[i][j] == []
            else:
                why = explain(index=index, query=queries[i], patent_row=patent_row)
                assert batch[i][j] == [t.term for t in why.terms[:3]]
    assert batch[3] == [[], []]
    assert np.all(best.indices[3] == -1)

"""Explanations: shared terms whose contributions add up to the ranking score."""

import numpy as np
import pytest
from engine_corpus import NEEDS, PATENTS

from matching.engine.documents import PatentText, enterprise_query_tokens, patent_tokens_many
from matching.engine.explain import explain, explain_many, explain_tokens
from matching.engine.rank import top_k_patents
from matching.engine.vectorize import fit_index


@pytest.fixture(scope="module")
def index():
    docs = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
    return fit_index(documents=docs, patent_ids=[pid for pid, *_ in PATENTS])


def test_contributions_add_up_to_the_ranking_score(index):
    # given
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS[:3]])
    best = top_k_patents(queries=queries, patents=index.matrix, k=6)

    # when / then
    for i in range(3):
        for patent_row, score in best.row(i):
            why = explain(index=index, query=queries[i], patent_row=patent_row)
            assert sum(t.contribution for t in why.terms) == pytest.approx(score, abs=1e-5)
            assert why.score == pytest.approx(score, abs=1e-5)
            for term in why.terms:
                assert term.contribution == pytest.approx(term.query_weight * term.patent_weight, rel=1e-12)


def test_terms_are_shared_and_sorted_by_contribution(index):
    # given
    tokens = enterprise_query_tokens(needs="污水处理和过滤设备")

    # when
    why = explain_tokens(index=index, tokens=tokens, patent_id="P3")

    # then
    assert why.top_terms(3) == ["处理", "污水", "污水处理"]
    contributions = [t.contribution for t in why.terms]
    assert contributions == sorted(contributions, reverse=True)
    assert {t.term for t in why.terms} <= set(tokens)


def test_pair_without_shared_terms_scores_zero(index):
    # given / when
    why = explain_tokens(index=index, tokens=["图像", "识别"], patent_id="P6")

    # then
    assert why.score == 0.0
    assert why.terms == []


def test_explain_many_matches_single_explanations(index):
    # given
    queries = index.transform_queries([enterprise_query_tokens(needs=text) for _, text in NEEDS])
    best = top_k_patents(queries=queries, patents=index.matrix, k=2)

    # when
    batch = explain_many(index=index, queries=queries, patent_rows=best.indices, n_terms=3)

    # then
    for i in range(len(NEEDS)):
        for j, patent_row in enumerate(best.indices[i]):
            if patent_row < 0:
                assert batch[i][j] == []
            else:
                assert batch[i][j] == explain(index=index, query=queries[i], patent_row=patent_row).top_terms(3)
    assert batch[3] == [[], []]
    assert np.all(best.indices[3] == -1)

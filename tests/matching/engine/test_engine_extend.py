"""Adding patents to a fitted index and removing them (engine.extend): an added patent gets exactly the rows the
fit gave it (pivot recovered from the stored rows), removal drops every trace, and the input index is untouched."""

import numpy as np
import pytest
from engine_corpus import PATENTS

from matching.engine import (
    IndexConfig,
    MatchIndex,
    PatentText,
    enterprise_query_tokens,
    fit_index,
    index_apply,
    index_pivot,
    patent_tokens_many,
    rank_one,
    row_norms,
)

DOCS = patent_tokens_many(patents=[PatentText(t, a, c) for _, t, a, c in PATENTS])
IDS = [pid for pid, *_ in PATENTS]
LABELS = [["H01M"], ["G06V", "G06N"], ["C02F"], [], ["H01M"], ["F16D"]]


def _fit(**config):
    return fit_index(documents=DOCS, patent_ids=IDS, labels=LABELS, config=IndexConfig(**config))


def _dense_row(index, pid):
    return index.matrix[index.row_of(pid)].toarray()[0]


def test_the_fit_keeps_its_pivot_through_the_round_trip_and_an_old_archive_gets_an_estimate():
    # given: the pivot fit_index used, recomputed from the raw TF-IDF rows
    index = _fit()
    raw_norms = row_norms(index.weigh(DOCS))
    expected = float(raw_norms[raw_norms > 0].mean())
    # when
    loaded = MatchIndex.from_bytes(index.to_bytes())
    # then
    assert index_pivot(index) == pytest.approx(expected, rel=1e-5)
    assert loaded.pivot == index.pivot
    # an archive without it (written before): estimated from the stored rows of patents holding a term once
    claims_only = fit_index(documents=[c for *_, c in PATENTS], patent_ids=IDS, config=IndexConfig())
    claims_only.pivot, kept = None, claims_only.pivot
    assert index_pivot(claims_only) == pytest.approx(kept, rel=0.15)


@pytest.mark.parametrize("position", [0, 3, 5])  # labelled, unlabelled (predicted class), last
def test_a_patent_removed_and_added_again_gets_the_rows_the_fit_gave_it(position):
    # given
    index = _fit()
    pid = IDS[position]
    # when
    again = index_apply(
        index, remove_ids=[pid], add_documents=[DOCS[position]], add_ids=[pid], add_labels=[LABELS[position]]
    )
    # then: same lexical row, same latent vector, same class distribution, now the last row
    assert again.patent_ids[-1] == pid
    assert sorted(again.patent_ids) == sorted(IDS)
    np.testing.assert_allclose(_dense_row(again, pid), _dense_row(index, pid), rtol=1e-5, atol=1e-7)
    old, new = index.row_of(pid), again.row_of(pid)
    np.testing.assert_allclose(again.semantic.patent_vectors[new], index.semantic.patent_vectors[old], atol=1e-5)
    np.testing.assert_allclose(
        again.semantic.classes.patents[new].toarray(), index.semantic.classes.patents[old].toarray(), atol=1e-6
    )


def test_an_added_patent_is_found_by_a_query_and_a_removed_one_is_gone():
    # given: the 刹车片 patent withdrawn from a fitted index (its words stay in the vocabulary, as for a patent that
    # was pooled when the run was fitted, withdrawn and pooled again)
    brake = enterprise_query_tokens(needs="刹车片 摩擦材料 制动")
    index = index_apply(_fit(), remove_ids=[IDS[-1]])
    before = rank_one(index=index, query=index.transform_query(brake), k=6).row(0)
    assert IDS[-1] not in [index.patent_ids[row] for row, _ in before]
    # when: added again, then the 锂电池 patent removed
    added = index_apply(index, add_documents=[DOCS[-1]], add_ids=[IDS[-1]], add_labels=[LABELS[-1]])
    removed = index_apply(added, remove_ids=[IDS[0]])
    # then
    top = rank_one(index=added, query=added.transform_query(brake), k=1).row(0)
    assert added.patent_ids[top[0][0]] == IDS[-1]
    assert top[0][1] > 0.1
    assert IDS[0] not in removed.patent_ids
    assert (
        removed.matrix.shape[0] == removed.semantic.patent_vectors.shape[0] == removed.semantic.classes.patents.shape[0]
    )
    assert len(removed.patent_ids) == len(IDS) - 1
    # and: the input indexes are untouched
    assert IDS[-1] not in index.patent_ids
    assert IDS[0] in added.patent_ids


def test_unknown_words_of_an_added_patent_are_ignored_and_bad_arguments_are_refused():
    index = _fit()
    empty = index_apply(index, add_documents=[["从未出现过的词"]], add_ids=["new"])
    assert empty.matrix[empty.row_of("new")].nnz == 0
    with pytest.raises(ValueError, match="1 documents but 2"):
        index_apply(index, add_documents=[DOCS[0]], add_ids=["a", "b"])
    with pytest.raises(ValueError, match="unique"):
        index_apply(index, add_documents=[DOCS[0], DOCS[1]], add_ids=["a", "a"])


def test_without_a_semantic_space_only_the_lexical_rows_change():
    index = _fit(semantic_components=0)
    again = index_apply(index, remove_ids=[IDS[2]], add_documents=[DOCS[2]], add_ids=[IDS[2]])
    assert again.semantic is None
    np.testing.assert_allclose(_dense_row(again, IDS[2]), _dense_row(index, IDS[2]), rtol=1e-5, atol=1e-7)


def test_an_index_of_some_rows_ranks_them_as_the_whole_index_masked_to_them():
    # given: rows 1, 3 and 4 of a fitted index (with its semantic space and class prior)
    from matching.engine import index_rows, mask_from_ids, rank_index

    index = _fit()
    rows = np.array([1, 3, 4])
    kept = [IDS[r] for r in rows]
    query = index.transform_queries([enterprise_query_tokens(needs=PATENTS[3][1] + " " + PATENTS[1][1])])
    # when
    part = index_rows(index, rows=rows)
    alone = rank_index(index=part, queries=query, k=3, backend="scipy")
    masked = rank_one(index=index, query=query, k=3, patent_mask=mask_from_ids(index=index, allowed_ids=kept))
    # then
    assert part.patent_ids == kept
    assert [part.patent_ids[r] for r in alone.indices[0] if r >= 0] == [index.patent_ids[r] for r, _ in masked.row(0)]
    np.testing.assert_allclose(alone.scores[0][alone.indices[0] >= 0], [s for _, s in masked.row(0)], rtol=1e-6)
    assert index_pivot(part) == index_pivot(index)

"""Search finds what was typed: a patent number in any spelling the inventory accepts finds that
patent first, on the page and the API; a two-word query puts a patent holding both words above patents holding one
of them strongly, and the score shown is the score the hits are ordered by."""

import pytest
from django.urls import reverse

from matching.models import MatchRun
from matching.reading.search import patent_search
from matching.runs.inline import match_run_execute_inline
from tests.matching.search_data import (
    NUMBER,
    PUBLICATION,
    SPELLINGS,
    TWO_WORDS,
    coverage_patents,
    numbered_patent,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def numbered(institution, pooled_patents, matching_enterprises):
    patent = numbered_patent(institution)
    match_run_execute_inline(run=MatchRun.objects.create())
    return patent


@pytest.fixture
def covered(institution, pooled_patents, matching_enterprises):
    both, one_word = coverage_patents(institution)
    match_run_execute_inline(run=MatchRun.objects.create())
    return both, one_word


FULL_WIDTH = "２０２４１０１２３４５７．" + NUMBER[-1]


@pytest.mark.parametrize("typed", [*SPELLINGS, FULL_WIDTH, PUBLICATION, "cn 117654321 b"])
def test_a_number_in_any_spelling_finds_its_patent_first(numbered, bureau, typed):
    # when
    data = patent_search(user=bureau, text=typed, filters={})
    # then
    assert [hit.patent.pk for hit in data["results"]] == [numbered.pk]
    assert data["total"] == 1
    assert data["results"][0].score == 1.0
    assert data["results"][0].match == ("publication_number" if "117654321" in typed else "application_number")
    assert data["facets"]["institution"] == [{"institution__name": numbered.institution.name, "n": 1}]


def test_the_digits_of_a_number_typed_so_far_find_it_too(numbered, bureau):
    data = patent_search(user=bureau, text=NUMBER[:8], filters={})
    assert [hit.patent.pk for hit in data["results"]] == [numbered.pk]
    assert data["results"][0].match == "number"


def test_a_number_respects_visibility_and_filters(institution, pooled_patents, matching_enterprises, make_user, bureau):
    # given: the patent is inventoried, not pooled
    numbered_patent(institution, pooled=False)
    match_run_execute_inline(run=MatchRun.objects.create())
    # when / then: search covers the pool only, as for words
    assert patent_search(user=bureau, text=NUMBER, filters={})["total"] == 0


def test_a_number_with_a_filter_that_excludes_it_finds_nothing(numbered, bureau):
    assert patent_search(user=bureau, text=NUMBER, filters={"patent_type": "design"})["total"] == 0


@pytest.mark.parametrize("typed", SPELLINGS)
def test_api_and_page_find_a_number_first(numbered, bureau, client_for, client, typed):
    # when
    body = client_for(bureau).get(reverse("matching-api:search"), {"q": typed}).json()
    client.force_login(bureau)
    html = client.get(reverse("matching:search"), {"q": typed}).content.decode()
    # then
    assert [hit["patent"]["pk"] for hit in body["results"]] == [numbered.pk]
    assert body["results"][0]["match"] == "application_number"
    assert html.count('data-testid="search-hit"') == 1
    assert numbered.title in html


def test_a_patent_holding_both_words_comes_before_those_holding_one(covered, bureau):
    # given
    both, one_word = covered
    # when
    data = patent_search(user=bureau, text=TWO_WORDS, filters={})
    # then: the title with both words first, every one-word title after it, and the order is the score shown
    ids = [hit.patent.pk for hit in data["results"]]
    assert ids[0] == both.pk
    assert {p.pk for p in one_word} <= set(ids[1:])
    scores = [hit.score for hit in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert data["results"][0].missing == ()
    assert all(hit.missing == ("隔膜",) for hit in data["results"] if hit.patent.pk in {p.pk for p in one_word})


def test_the_api_orders_two_word_hits_by_the_score_it_shows(covered, bureau, client_for):
    # given
    both, one_word = covered
    # when
    body = client_for(bureau).get(reverse("matching-api:search"), {"q": TWO_WORDS}).json()
    # then
    assert body["results"][0]["patent"]["pk"] == both.pk
    assert body["results"][0]["missing_words"] == []
    scores = [hit["score"] for hit in body["results"]]
    assert scores == sorted(scores, reverse=True)
    by_pk = {hit["patent"]["pk"]: hit for hit in body["results"]}
    assert all(by_pk[p.pk]["missing_words"] == ["隔膜"] for p in one_word)


def test_the_page_puts_both_words_first_and_names_the_missing_word(covered, bureau, client):
    # given
    both, one_word = covered
    client.force_login(bureau)
    # when
    html = client.get(reverse("matching:search"), {"q": TWO_WORDS}).content.decode()
    # then
    hits = html.split('data-testid="search-hit"')[1:]
    assert hits[0].count(both.title) == 0  # highlighted: the title is cut by <mark>s
    assert "张力控制方法" in hits[0]
    assert 'data-testid="missing-words"' not in hits[0]
    assert any("钓鱼船用" in hit and 'data-testid="missing-words"' in hit for hit in hits[1:])


def test_a_one_word_query_is_ranked_as_before(covered, bureau):
    # given: the engine's own order for one word (no coverage)
    from matching.engine import default_tokenizer, rank_one
    from matching.runs.artifacts import run_artifacts
    from matching.runs.current import current_run

    index, _, _ = run_artifacts(current_run())
    query = index.transform_query(default_tokenizer().tokenize("锂电池"))
    expected = [(int(index.patent_ids[row]), score) for row, score in rank_one(index=index, query=query, k=20).row(0)]
    # when
    data = patent_search(user=bureau, text="锂电池", filters={})
    # then
    assert [(hit.patent.pk, hit.score) for hit in data["results"]] == expected[:20]
    assert all(hit.missing == () for hit in data["results"])


def test_a_number_is_found_before_the_first_matching_run(institution, bureau):
    # given: no run yet, so nothing can be ranked by words
    patent = numbered_patent(institution)
    # when
    by_number = patent_search(user=bureau, text=SPELLINGS[2], filters={})
    by_words = patent_search(user=bureau, text=patent.title, filters={})
    # then
    assert [hit.patent.pk for hit in by_number["results"]] == [patent.pk]
    assert by_words["total"] == 0

"""Search and the read path's shortcuts: pages over the hits, the cached ranking, visibility checked on candidates
first and the whole visible set only when needed, the remembered current run, old runs' files removed."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from rest_framework import serializers

from matching.api.views import RecommendationSerializer, SearchApi
from matching.engine import default_tokenizer, mask_from_ids, rank_one
from matching.models import MatchRun, Recommendation
from matching.reading.search import patent_search, search_index_rank
from matching.runs.artifacts import run_artifacts
from matching.runs.current import current_run
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _ids(data) -> list[int]:
    return [hit.patent.pk for hit in data["results"]]


def test_pages_walk_through_the_hits_without_overlap(run, bureau, pooled_patents):
    # a query that shares words with many of the 40 patents
    text = " ".join(p.title for p in pooled_patents[:6])
    first = patent_search(user=bureau, text=text, filters={}, page=1, page_size=5)
    second = patent_search(user=bureau, text=text, filters={}, page=2, page_size=5)
    assert first["total"] > 10
    assert first["pages"] == -(-first["total"] // 5)
    assert len(_ids(first)) == len(_ids(second)) == 5
    assert not set(_ids(first)) & set(_ids(second))
    assert [h.score for h in first["results"] + second["results"]] == sorted(
        (h.score for h in first["results"] + second["results"]), reverse=True
    )
    beyond = patent_search(user=bureau, text=text, filters={}, page=999, page_size=5)
    assert beyond["page"] == first["pages"]  # clamped to the last page, not an empty one


def test_api_pages_and_rejects_a_bad_page(client_for, bureau, run, pooled_patents):
    text = " ".join(p.title for p in pooled_patents[:6])
    client = client_for(bureau)
    body = client.get(reverse("matching-api:search"), {"q": text, "page": 2}).json()
    assert body["page"] == 2
    assert body["pages"] >= 2
    assert len(body["results"]) == min(20, body["total"] - 20)
    assert client.get(reverse("matching-api:search"), {"q": text, "page": 0}).status_code == 400
    assert client.get(reverse("matching-api:search"), {"q": text, "page": "x"}).status_code == 400


def test_search_page_has_a_pager(client, make_user, run, pooled_patents):
    user = make_user("bureau_page", "bureau_province")
    client.force_login(user)
    text = " ".join(p.title for p in pooled_patents[:6])
    first = client.get(reverse("matching:search"), {"q": text}).content.decode()
    second = client.get(reverse("matching:search"), {"q": text, "page": 2}).content.decode()
    assert 'page=2">' in first  # the next link, keeping the query
    assert 'page=1">' in second
    assert first.count('data-testid="search-hit"') == 20


def test_hand_built_api_rows_equal_drf_generic_output(client_for, make_user, matching_enterprises, run):
    # the hot lists build their dicts by hand; they must stay what the declared (schema) fields produce
    rec = Recommendation.objects.filter(run=run, enterprise=matching_enterprises[0]).select_related("patent").first()
    assert RecommendationSerializer(rec).data == serializers.Serializer.to_representation(
        RecommendationSerializer(), rec
    )
    data = patent_search(user=make_user("b2", "bureau_province"), text=rec.patent.title, filters={})
    hit_serializer = SearchApi.SearchOutputSerializer().fields["results"].child
    hit = data["results"][0]
    assert hit_serializer.to_representation(hit) == serializers.Serializer.to_representation(hit_serializer, hit)


def test_ranking_is_cached_but_hits_are_rechecked_live(run, bureau, pooled_patents, django_assert_max_num_queries):
    text = pooled_patents[7].title
    with override_settings(MATCHING_SEARCH_CACHE_SECONDS=60):
        before = patent_search(user=bureau, text=text, filters={})
        assert _ids(before)[0] == pooled_patents[7].pk
        # the top hit leaves the pool (an officer withdrew it)
        Patent.objects.filter(pk=pooled_patents[7].pk).update(inventory_status="inventoried")
        # ranking from the cache: the current run, the live index's version (matching.live.index), the hits shown
        with django_assert_max_num_queries(3):
            after = patent_search(user=bureau, text=text, filters={})
    assert pooled_patents[7].pk not in _ids(after)
    assert after["total"] == before["total"]  # the count may lag by the cache time; what is shown may not


def test_cached_ranking_is_not_shared_across_visibility_scopes(run, pooled_patents, officer, other_officer, bureau):
    text = pooled_patents[3].title
    with override_settings(MATCHING_SEARCH_CACHE_SECONDS=60):
        assert patent_search(user=officer, text=text, filters={})["total"] > 0
        # officer B's institution has no pooled patents: a cache keyed without the scope would hand it A's hits
        assert patent_search(user=other_officer, text=text, filters={})["total"] == 0
        assert patent_search(user=bureau, text=text, filters={})["total"] > 0


def _ranked_by_mask(run, text: str, visible_ids: list[int], k: int) -> list[int]:
    index, _, _ = run_artifacts(run)
    query = index.transform_query(default_tokenizer().tokenize(text))
    mask = mask_from_ids(index=index, allowed_ids=[str(pk) for pk in visible_ids])
    return [int(index.patent_ids[row]) for row, _ in rank_one(index=index, query=query, k=k, patent_mask=mask).row(0)]


@pytest.mark.parametrize("visible_every", [1, 3, 9])
def test_candidates_first_gives_the_same_hits_as_masking_everything(
    run, pooled_patents, other_institution, visible_every
):
    # given: some of the pooled patents belong to another institution, so an officer sees only those
    moved = [p.pk for i, p in enumerate(pooled_patents) if i % visible_every == 0]
    Patent.objects.filter(pk__in=moved).update(institution=other_institution)
    visible = Patent.objects.filter(institution=other_institution, inventory_status="pooled")
    text = " ".join(p.title for p in pooled_patents[:8])
    # when: k small enough that the candidates (k + k/5) are exhausted before k visible hits are found
    got = [r.patent_id for r in search_index_rank(run=run, text=text, visible=visible, k=5)]
    # then
    assert got == _ranked_by_mask(run, text, list(visible.values_list("pk", flat=True)), k=5)


def test_current_run_is_remembered_for_a_while_and_forgotten_when_a_run_finishes(
    pooled_patents, matching_enterprises, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with override_settings(MATCHING_CURRENT_RUN_SECONDS=3600):
        with django_capture_on_commit_callbacks(execute=True):  # (callbacks run when this block ends)
            first = match_run_execute_inline(run=MatchRun.objects.create())
        assert current_run().pk == first.pk
        with django_assert_num_queries(0):
            assert current_run().pk == first.pk  # remembered
        with django_capture_on_commit_callbacks(execute=True):
            second = match_run_execute_inline(run=MatchRun.objects.create())  # finalised here: forgotten on commit
        assert current_run().pk == second.pk


def test_runs_older_than_the_previous_lose_their_files(
    pooled_patents, matching_enterprises, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        runs = [match_run_execute_inline(run=MatchRun.objects.create()) for _ in range(3)]
    paths = [run.index_path for run in runs]
    assert len(set(paths)) == 3  # one folder per run, named by its creation time too
    assert not default_storage.exists(paths[0])
    assert not default_storage.exists(paths[0].replace("index.npz", "queries.npz"))
    assert all(default_storage.exists(p) for p in paths[1:])  # the current run and the one before it
    assert Path(tmp_path, paths[2]).is_file()


@pytest.mark.parametrize("who", ["bureau", "officer_b"])
def test_facets_count_exactly_the_hits(run, pooled_patents, other_institution, make_user, who):
    # given: a third of the pool belongs to another institution (so the officer's search takes the masked path)
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[::3]]).update(institution=other_institution)
    if who == "bureau":
        user = make_user(who, "bureau_province")
    else:
        user = make_user(who, "officer", institution=other_institution)
    text = " ".join(p.title for p in pooled_patents[:8])
    # when
    data = patent_search(user=user, text=text, filters={}, page_size=500)
    # then: the facet counts are those of a GROUP BY over every hit
    hits = [hit.patent.pk for hit in data["results"]]
    assert len(hits) == data["total"] > 0
    for name, field in (("institution", "institution__name"), ("patent_type", "patent_type")):
        expected = Counter(Patent.objects.filter(pk__in=hits).values_list(field, flat=True))
        assert {row[field]: row["n"] for row in data["facets"][name]} == dict(expected)


def test_every_page_shows_its_terms_although_only_the_first_is_explained_with_the_ranking(run, bureau, pooled_patents):
    text = " ".join(p.title for p in pooled_patents[:6])
    with override_settings(MATCHING_SEARCH_CACHE_SECONDS=60):
        whole = patent_search(user=bureau, text=text, filters={}, page_size=500)["results"]
        second = patent_search(user=bureau, text=text, filters={}, page=2)["results"]
    assert second  # 38 hits: a second page of 18
    assert [(h.patent.pk, h.terms) for h in second] == [(h.patent.pk, h.terms) for h in whole[20:40]]
    assert all(h.terms for h in whole)


def test_search_api_body_equals_the_declared_output_serializer(client_for, bureau, run, pooled_patents):
    text = " ".join(p.title for p in pooled_patents[:6])
    body = client_for(bureau).get(reverse("matching-api:search"), {"q": text, "page": 2}).json()
    data = patent_search(user=bureau, text=text, filters={}, page=2)
    expected = SearchApi.SearchOutputSerializer(data).data
    assert body == json.loads(json.dumps(expected))


def test_a_run_whose_files_are_gone_answers_without_the_ranking_and_says_so_in_the_log(
    run, bureau, pooled_patents, client_for, caplog
):
    # given: the run's files are lost (a lost volume, a host without the shared artifacts directory)
    from matching.live import index as live_index_module
    from matching.runs import artifacts

    for path in (run.index_path, run.index_path.replace("index.npz", "queries.npz")):
        artifacts.artifacts_storage().delete(path)
    artifacts._load.cache_clear()
    live_index_module._state = None
    number = pooled_patents[3].application_number[:12]
    # when
    words = client_for(bureau).get(reverse("matching-api:search"), {"q": pooled_patents[0].title})
    by_number = patent_search(user=bureau, text=number, filters={}, page=1)
    # then
    assert words.status_code == 200
    assert words.json()["total"] == 0
    assert _ids(by_number) == [pooled_patents[3].pk]
    assert f"matching run {run.pk}: its files are missing" in caplog.text

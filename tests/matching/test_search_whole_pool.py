"""A search by someone who sees the whole pool (province staff, enterprise members) without a filter: no visibility
check on the candidates, facet values from the process's table (matching.reading.pool_facets) — the same hits,
scores, facets and total as through the database, following every change a patent's updated_at marks and, after
the cache time, institution names."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from matching.reading import search as search_module
from matching.reading.search import patent_search
from patents.models import InventoryStatus, Patent
from patents.selectors import sees_whole_pool

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _answer(data) -> tuple:
    hits = [(h.patent.pk, round(h.score, 6), tuple(h.terms), h.missing, h.match) for h in data["results"]]
    return data["total"], data["pages"], hits, data["facets"]


def _through_the_database(monkeypatch, **search) -> tuple:
    """The same search with the fast path switched off: visibility checked and facet values read by SQL."""
    ranking = search_module._search_ranking
    with monkeypatch.context() as patch:
        patch.setattr(search_module, "_search_ranking", lambda **kw: ranking(**{**kw, "whole_pool": False}))
        return _answer(patent_search(**search))


def test_who_sees_the_whole_pool(make_user, institution, enterprise, wuhan):
    assert sees_whole_pool(user=make_user("p", Role.BUREAU_PROVINCE))
    assert sees_whole_pool(user=make_user("m", Role.ENTERPRISE, enterprise=enterprise))
    assert not sees_whole_pool(user=make_user("c", Role.BUREAU_CITY, city=wuhan))
    assert not sees_whole_pool(user=make_user("o", Role.OFFICER, institution=institution))
    assert not sees_whole_pool(user=make_user("nobody", ""))


@pytest.mark.parametrize("who", ["bureau", "member"])
def test_the_whole_pool_answers_as_the_database_does(
    run, pooled_patents, other_institution, make_user, enterprise, monkeypatch, who
):
    # given: a third of the pool moved to another institution and one patent taken out of it since the run
    for patent in pooled_patents[::3]:
        patent.institution = other_institution
        patent.save()
    pooled_patents[1].inventory_status = InventoryStatus.NOT_POOLED
    pooled_patents[1].save()
    if who == "bureau":
        user = make_user(who, Role.BUREAU_PROVINCE)
    else:
        user = make_user(who, Role.ENTERPRISE, enterprise=enterprise)
    text = " ".join(p.title for p in pooled_patents[:8])
    for page in (1, 2):
        # when
        fast = _answer(patent_search(user=user, text=text, filters={}, page=page, page_size=10))
        slow = _through_the_database(monkeypatch, user=user, text=text, filters={}, page=page, page_size=10)
        # then
        assert fast == slow
        assert fast[0] > 10
        assert len(fast[3]["institution"]) == 2
        assert fast[3]["mode"]
        assert pooled_patents[1].pk not in [hit[0] for hit in fast[2]]


def test_the_fast_path_leaves_out_the_visibility_read_only(run, pooled_patents, make_user, wuhan):
    # given: the same pool through the whole-pool path (province staff) and the checked path (city staff: Wuhan is
    # every patent's city, so both see the same patents)
    province, city = make_user("p", Role.BUREAU_PROVINCE), make_user("c", Role.BUREAU_CITY, city=wuhan)
    text = " ".join(p.title for p in pooled_patents[:8])
    with override_settings(MATCHING_SEARCH_CACHE_SECONDS=60):  # institution names kept for that time
        patent_search(user=province, text=pooled_patents[0].title, filters={})  # the table read once
        # when
        with CaptureQueriesContext(connection) as fast:
            whole = patent_search(user=province, text=text, filters={})
        with CaptureQueriesContext(connection) as checked:
            narrowed = patent_search(user=city, text=text, filters={})
    # then: one query fewer, the same answer
    assert len(fast.captured_queries) == len(checked.captured_queries) - 1
    assert _answer(whole) == _answer(narrowed)


def test_the_table_follows_edits_withdrawals_and_renames(run, pooled_patents, make_user, institution):
    # given
    user = make_user("p", Role.BUREAU_PROVINCE)
    text = " ".join(p.title for p in pooled_patents[:8])
    before = patent_search(user=user, text=text, filters={})
    edited, withdrawn = before["results"][0].patent, before["results"][1].patent

    # when: one patent's IPC section and type change, another leaves the pool (saved: updated_at moves)
    edited = Patent.objects.get(pk=edited.pk)
    edited.ipc_section, edited.patent_type = "Y", "design"
    edited.save()
    gone = Patent.objects.get(pk=withdrawn.pk)
    gone.inventory_status = InventoryStatus.NOT_POOLED
    gone.save()
    after = patent_search(user=user, text=text, filters={})

    # then
    assert withdrawn.pk not in [h.patent.pk for h in after["results"]]
    assert after["total"] == before["total"] - 1
    assert {"ipc_section": "Y", "n": 1} in after["facets"]["ipc_section"]
    assert {"patent_type": "design", "n": 1} in after["facets"]["patent_type"]

    # and an institution renamed shows at once with no cache time (after it otherwise: the cached facets' lag)
    institution.name = "华中科技大学（更名）"
    institution.save()
    with override_settings(MATCHING_SEARCH_CACHE_SECONDS=0):
        renamed = patent_search(user=user, text=text, filters={})
    assert [row["institution__name"] for row in renamed["facets"]["institution"]] == ["华中科技大学（更名）"]

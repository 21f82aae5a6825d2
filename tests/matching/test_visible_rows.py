"""The search's visibility query compiled once per visible set (matching.reading.visible_rows) reads exactly the rows
the ORM query it replaces reads, and a search answers the same through it as through the ORM (issue 23)."""

import numpy as np
import pytest
from django.urls import reverse

from matching.reading import search, visible_rows
from matching.reading.recommendations import PATENT_BRIEF_FIELDS
from matching.reading.search import FACETS, MODE_FACET_FIELD, _visible_set_key
from patents.models import Patent
from patents.selectors import patents_pooled_visible_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

VALUES = (*FACETS.values(), MODE_FACET_FIELD)


def _orm_rows(visible, ids, values) -> list[tuple]:  # the query as search_index_rank sent it before
    return list(visible.filter(pk__any_of=ids).order_by().values_list("pk", *values))


def _orm_patents(visible, ids, fields):  # the page query as patent_search sent it before
    return visible.filter(pk__any_of=ids).only(*fields)


def _seen(patent: Patent, fields) -> dict:
    """What a card reads of a patent: each field (through its relations), the deferred ones, its database."""

    def read(name: str) -> object:
        value = patent
        for part in name.split("__"):
            value = getattr(value, part)
        return value

    return {
        "fields": {name: read(name) for name in ("pk", *fields)},
        "deferred": sorted(patent.get_deferred_fields()),
        "db": patent._state.db,
        "adding": patent._state.adding,
    }


def test_compiled_rows_equal_the_orm_rows_for_every_scope_and_filter(
    pooled_patents, other_institution, officer, other_officer, enterprise_member, bureau
):
    # given: a few patents moved to another institution and withdrawn, and ids mixing visible, invisible and unknown
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[::4]]).update(institution=other_institution)
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[1::7]]).update(inventory_status="draft")
    Patent.objects.filter(pk=pooled_patents[2].pk).update(transfer_modes=["licence", "pledge"])
    ids = np.array([p.pk for p in pooled_patents][::-1] + [10**9, 10**9 + 1], dtype=np.int64)
    bases = [
        patents_pooled_visible_to(user=officer),
        patents_pooled_visible_to(user=other_officer),
        patents_pooled_visible_to(user=enterprise_member),
        patents_pooled_visible_to(user=bureau).select_related("institution", "institution__city"),
        patents_pooled_visible_to(user=bureau).filter(patent_type="invention"),
        patents_pooled_visible_to(user=bureau).filter(patent_type="x' OR 1=1 --"),
        patents_pooled_visible_to(user=bureau).filter(transfer_modes__icontains='"pledge"'),
    ]
    visible_rows._templates.clear()
    for base in bases:
        for values in (VALUES, ("ipc_section",), ()):
            # when: twice through the compiled statement (compiled, then reused) and once through the ORM
            key = _visible_set_key(base)
            first = visible_rows.visible_rows(base, ids, values, visible_key=key)
            again = visible_rows.visible_rows(base, ids[:5], values, visible_key=key)
            # then: the same rows, in the same database order, with the same types
            assert first == _orm_rows(base, ids, values)
            assert again == _orm_rows(base, ids[:5], values)
            assert visible_rows.visible_rows(base, ids, values, visible_key=None) == first
    # the compiled path was taken, once per visible set and fields (not the ORM fallback)
    assert len(visible_rows._templates) == len(bases) * 3
    assert all(template is not None for template in visible_rows._templates.values())
    # and the cases are not trivial: some rows, some sets empty, a filter that keeps only the licences
    counts = [len(_orm_rows(base, ids, VALUES)) for base in bases]
    assert counts[3] == 40 - len(pooled_patents[1::7])
    assert 0 < counts[1] < counts[3]
    assert counts[5] == 0
    assert [row[0] for row in _orm_rows(bases[6], ids, ())] == [pooled_patents[2].pk]


def test_search_answers_are_the_same_as_through_the_orm(
    client_for, run, pooled_patents, other_institution, officer, bureau, monkeypatch, settings
):
    # given: searches of several scopes, filters and pages, uncached (every answer ranked)
    settings.MATCHING_SEARCH_CACHE_SECONDS = 0
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[::3]]).update(institution=other_institution)
    url = reverse("matching-api:search")
    texts = [pooled_patents[5].title, " ".join(p.title for p in pooled_patents[:6]), "传感器", "无人见过的词"]
    requests = [
        (user, {"q": text, **extra})
        for user in (officer, bureau)
        for text in texts
        for extra in ({}, {"page": 2, "page_size": 3}, {"patent_type": "invention"}, {"mode": "licence"})
    ]

    def answers() -> list[tuple[int, object]]:
        out = []
        for user, params in requests:
            response = client_for(user).get(url, params)
            out.append((response.status_code, response.json()))
        return out

    # when: through the compiled statement, then with the ORM query search_index_rank sent before
    compiled = answers()
    monkeypatch.setattr(
        search, "visible_rows", lambda visible, ids, values, visible_key: _orm_rows(visible, ids, values)
    )
    monkeypatch.setattr(  # and the page's patents through the ORM, as patent_search read them before
        search, "visible_patents", lambda visible, ids, fields, visible_key: list(_orm_patents(visible, ids, fields))
    )
    before = answers()
    # then: the same statuses and bodies, and some searches found something
    assert compiled == before
    assert all(status == 200 for status, _ in compiled)
    assert sum(body["total"] > 0 for _, body in compiled) >= 8
    assert any(body["results"] for _, body in compiled)


def test_compiled_page_patents_equal_the_orm_patents_for_every_scope_and_filter(
    pooled_patents, other_institution, officer, other_officer, enterprise_member, bureau, django_assert_num_queries
):
    # given: patents moved, withdrawn, with licence terms, and ids mixing visible, invisible and unknown
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[::4]]).update(institution=other_institution)
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[1::7]]).update(inventory_status="draft")
    Patent.objects.filter(pk=pooled_patents[2].pk).update(
        transfer_modes=["open_licence", "pledge"], open_licence_royalty_rate="3.50", price_min=120000
    )
    ids = [p.pk for p in pooled_patents][::-1] + [10**9]
    scoped = [
        patents_pooled_visible_to(user=user).select_related("institution", "institution__city")
        for user in (officer, other_officer, enterprise_member, bureau)
    ]
    bases = [*scoped, scoped[3].filter(patent_type="invention"), scoped[3].filter(patent_type="x' OR 1=1 --")]
    visible_rows._patent_templates.clear()
    for base in bases:
        key = _visible_set_key(base)
        # when: twice through the compiled statement (compiled, then reused) and once through the ORM
        first = visible_rows.visible_patents(base, ids, PATENT_BRIEF_FIELDS, visible_key=key)
        with django_assert_num_queries(1):  # the related names come with the row, as select_related's do
            again = visible_rows.visible_patents(base, ids[:7], PATENT_BRIEF_FIELDS, visible_key=key)
            seen_again = sorted((_seen(p, PATENT_BRIEF_FIELDS) for p in again), key=lambda d: d["fields"]["pk"])
        orm = _orm_patents(base, ids, PATENT_BRIEF_FIELDS)
        # then: the same patents with the same values (related names, decimals, lists), deferred fields and state
        by_pk = sorted((_seen(p, PATENT_BRIEF_FIELDS) for p in first), key=lambda d: d["fields"]["pk"])
        assert by_pk == sorted((_seen(p, PATENT_BRIEF_FIELDS) for p in orm), key=lambda d: d["fields"]["pk"])
        assert seen_again == sorted(
            (_seen(p, PATENT_BRIEF_FIELDS) for p in _orm_patents(base, ids[:7], PATENT_BRIEF_FIELDS)),
            key=lambda d: d["fields"]["pk"],
        )
    # the compiled path was taken for every visible set, and the cases are not trivial
    assert len(visible_rows._patent_templates) == len(bases)
    assert all(template is not None for template in visible_rows._patent_templates.values())
    counts = [len(_orm_patents(base, ids, PATENT_BRIEF_FIELDS)) for base in bases]
    assert counts[3] == 40 - len(pooled_patents[1::7])
    assert 0 < counts[1] < counts[3]
    assert counts[5] == 0
    licensed = next(p for p in visible_rows.visible_patents(
        bases[3], [pooled_patents[2].pk], PATENT_BRIEF_FIELDS, visible_key=_visible_set_key(bases[3])
    ))  # fmt: skip
    assert str(licensed.open_licence_royalty_rate) == "3.50"
    assert licensed.transfer_modes == ["open_licence", "pledge"]


@pytest.mark.parametrize("cache_seconds", [0, 60])
def test_a_user_who_sees_nothing_searches_with_a_current_run(client_for, run, pooled_patents, settings, cache_seconds):
    # given: a current run, and a user without a role (the visibility rule selects nothing: pk__in=[])
    from accounts.models import User

    settings.MATCHING_SEARCH_CACHE_SECONDS = cache_seconds
    nobody = User.objects.create_user(username="norole", password="Test-pass-2026")
    # when: searching a title of a pooled patent
    response = client_for(nobody).get(reverse("matching-api:search"), {"q": pooled_patents[0].title})
    # then: an answer with nothing in it (the compiled statements step aside for the ORM's empty answer)
    assert response.status_code == 200
    assert response.json()["total"] == 0
    assert response.json()["results"] == []

"""The recommendation list's pages read by a statement compiled once per filters and page (core.compiled_query via
matching.reading.recommendations' page_reader) answer exactly what the ORM's query answers (issue 23)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.compiled_query import SENTINEL, compile_query
from matching.models import Recommendation
from matching.reading import recommendations
from patents.models import Patent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def test_pages_through_the_compiled_statement_equal_the_orm_pages(
    client_for, make_user, matching_enterprises, run, pooled_patents, monkeypatch
):
    # given: two members of different enterprises, withdrawn, licensed and graded patents, and requests of several
    # filters and pages (page sizes 3 and 20, a page past the last)
    Recommendation.objects.filter(run=run, enterprise=matching_enterprises[0]).delete()
    Recommendation.objects.bulk_create(  # a full list for the first enterprise: pages to turn
        Recommendation(
            run=run, enterprise=matching_enterprises[0], patent=patent, rank=i + 1, score=1 - i / 50,
            semantic=0.1, final_score=1 - i / 50 + (0.05 if i % 5 == 0 else 0), terms=["词", str(i)],
        )
        for i, patent in enumerate(pooled_patents)
    )  # fmt: skip
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[1::6]]).update(inventory_status="draft")
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[::3]]).update(value_grade="A", inventor_consent=True)
    members = [make_user(f"m{i}", "enterprise", enterprise=matching_enterprises[i]) for i in (0, 2)]
    url = reverse("matching-api:recommendations")
    requests = [
        (member, params)
        for member in members
        for params in (
            {}, {"page": 2, "page_size": 3}, {"page_size": 3, "page": 4}, {"mode": "licence"}, {"grade": "A"},
            {"consent": "true", "page_size": 3}, {"patent_type": "invention"}, {"page": 99},
        )
    ]  # fmt: skip

    def answers() -> list[tuple[int, object]]:
        return [
            (response.status_code, response.json())
            for response in (client_for(member).get(url, params) for member, params in requests)
        ]

    recommendations._pages.clear()
    # when: through the compiled statements, then through the ORM's query (no page reader)
    compiled = answers()
    with CaptureQueriesContext(connection) as read:
        probe = client_for(members[0]).get(url, {"page": 2, "page_size": 3})
    assert probe.status_code == 200
    listed = [q["sql"] for q in read.captured_queries if Recommendation._meta.db_table in q["sql"]]
    assert len(listed) == 1  # a page and its total in one query, as before
    assert "OVER ()" in listed[0]
    taken = recommendations._pages.values()
    real = recommendations.recommendations_for_enterprise

    def without_reader(**kwargs):  # noqa: ANN003, ANN202
        qs = real(**kwargs)
        qs.__dict__.pop("page_reader", None)
        return qs

    monkeypatch.setattr("matching.api.views.recommendations_for_enterprise", without_reader)
    before = answers()
    # then: the same statuses and bodies; pages were read through compiled statements; the cases are not trivial
    assert compiled == before
    assert taken
    assert all(template is not None for template in taken)
    first = [body for (status, body), (member, _) in zip(compiled, requests, strict=True) if member == members[0]]
    assert first[0]["count"] == 40 - len(pooled_patents[1::6])
    assert [len(body["results"]) for body in first[:3]] == [20, 3, 3]
    assert first[2]["results"][0]["rank"] != first[1]["results"][0]["rank"]
    assert 0 < first[4]["count"] < first[0]["count"]  # grade A
    statuses = [status for status, _ in compiled]
    assert statuses.count(404) == 4  # page 99 of each; the second member's short list has no page 2 or 4 of 3


def test_a_pool_rule_with_a_subquery_gets_no_template():
    # given: a rule holding a subquery (an inventor's patents) and the enterprise members' plain rule
    plain = Q(patent__inventory_status="pooled") & Q(patent__institution_id=3)
    subquery = Q(patent__pk__in=Patent.objects.values("pk")) & Q(patent__inventory_status="pooled")
    # then: only the plain one is a template's key (a template must not fix another user's values)
    assert recommendations._plain(plain) is not None
    assert recommendations._plain(subquery) is None
    assert recommendations._plain(Q(patent__institution_id=3)) != recommendations._plain(Q(patent__institution_id=4))


def test_a_sentinel_found_twice_is_refused():
    # given: a query holding the run's sentinel in two places
    twice = Recommendation.objects.filter(run_id=SENTINEL).filter(Q(run_id=SENTINEL) | Q(rank=1))
    # then: no template (the ORM answers), while the same sentinel once compiles
    assert compile_query(twice, {"run": (SENTINEL,)}) is None
    assert compile_query(Recommendation.objects.filter(run_id=SENTINEL), {"run": (SENTINEL,)}) is not None


def test_a_query_that_matches_nothing_by_construction_gets_no_template():
    # given: a rule that selects nothing (a user without a role sees no patent: pk__in=[])
    nothing = Recommendation.objects.filter(run_id=SENTINEL).filter(patent__pk__in=[])
    # then: no template; the ORM answers it (an empty list, without asking the database)
    assert compile_query(nothing, {"run": (SENTINEL,)}) is None
    assert list(nothing) == []

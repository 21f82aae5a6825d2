"""Recommendations per need: one need ranked alone on demand (a new need does not hide the older ones'
patents), the need each stored recommendation came from, and single-character matched terms highlighted."""

import pytest
from django.urls import reverse

from enterprises.models import TechNeed
from matching.reading.needs import need_recommendations
from matching.templatetags.matching_tags import highlight

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user, matching_enterprises):
    return make_user("sme", "enterprise", enterprise=matching_enterprises[0])


@pytest.fixture
def needs(matching_enterprises, pooled_patents):
    enterprise = matching_enterprises[0]
    old = TechNeed.objects.create(enterprise=enterprise, title=pooled_patents[12].title, keywords="", description="")
    new = TechNeed.objects.create(enterprise=enterprise, title=pooled_patents[30].title, keywords="", description="")
    return old, new


@pytest.fixture
def run(needs, run):
    """The run starts after the needs are written, so it ranks them too."""
    return run


def test_one_need_is_ranked_alone_with_its_patent_first(member, run, needs, pooled_patents):
    # given
    old, new = needs
    # when
    for_old = need_recommendations(user=member, need=old)
    for_new = need_recommendations(user=member, need=new)
    # then
    assert for_old[0].patent.pk == pooled_patents[12].pk
    assert for_new[0].patent.pk == pooled_patents[30].pk
    assert [r.rank for r in for_old] == list(range(1, len(for_old) + 1))
    assert [r.score for r in for_old] == sorted((r.score for r in for_old), reverse=True)
    assert all(r.terms for r in for_old)


def test_need_ranking_follows_the_pool_and_the_filters(member, run, needs, pooled_patents):
    # given: the old need's best patent is offered for assignment only
    old, _ = needs
    best = pooled_patents[12]
    # when
    by_assignment = need_recommendations(user=member, need=old, mode="assignment")
    by_licence = need_recommendations(user=member, need=old, mode="licence")
    # then
    assert best.transfer_modes == ["assignment"]
    assert by_assignment[0].patent.pk == best.pk
    assert best.pk not in {r.patent.pk for r in by_licence}


def test_page_selects_a_need_and_says_it_is_ranked_alone(client, member, run, needs, pooled_patents):
    # given
    old, new = needs
    client.force_login(member)
    # when
    page = client.get(reverse("matching:recommendations"), {"need": old.pk})
    every = client.get(reverse("matching:recommendations"))
    # then
    body = page.content.decode()
    assert f'data-need="{old.pk}" aria-current="true"><strong>{old.title}</strong>' in body
    assert f'href="?need={new.pk}"' in body
    assert f"只看需求“{old.title}”" in body
    assert page.context["page"].object_list[0].patent.pk == pooled_patents[12].pk
    assert "来自需求" in every.content.decode()
    assert every.context["need"] is None


def test_a_need_of_another_enterprise_is_ignored(client, member, run, matching_enterprises):
    # given
    foreign = TechNeed.objects.create(enterprise=matching_enterprises[1], title="别人的需求")
    client.force_login(member)
    # when
    response = client.get(reverse("matching:recommendations"), {"need": foreign.pk})
    # then
    assert response.status_code == 200
    assert response.context["need"] is None


def test_single_character_terms_are_highlighted():
    # when
    marked = highlight("磷酸铁锂电池的负极材料", ["铁", "锂", "电池"])
    # then
    assert marked == "磷酸<mark>铁</mark><mark>锂</mark><mark>电池</mark>的负极材料"


# --- the API mirrors the page: GET /api/v1/recommendations/?need=<pk> ----------------------------------------------


def test_api_ranks_one_need_alone_as_the_page_does(client_for, member, run, needs, pooled_patents):
    # given
    old, new = needs
    client = client_for(member)
    url = reverse("matching-api:recommendations")
    # when
    for_old = client.get(url, {"need": old.pk, "page_size": 100}).json()
    for_new = client.get(url, {"need": new.pk, "page_size": 100}).json()
    # then: the need's own ranking, the same as the page's, with its rank, terms and semantic part
    expected = need_recommendations(user=member, need=old)
    assert [r["patent"]["pk"] for r in for_old["results"]] == [r.patent.pk for r in expected]
    assert for_old["results"][0]["patent"]["pk"] == pooled_patents[12].pk
    assert for_new["results"][0]["patent"]["pk"] == pooled_patents[30].pk
    assert [r["rank"] for r in for_old["results"]] == list(range(1, len(expected) + 1))
    assert [r["terms"] for r in for_old["results"]] == [r.terms for r in expected]
    assert [r["semantic"] for r in for_old["results"]] == pytest.approx([r.semantic for r in expected])
    assert all(0 <= r["semantic"] <= 1 for r in for_old["results"])
    assert for_old["count"] == len(expected)


def test_api_need_ranking_keeps_the_filters(client_for, member, run, needs, pooled_patents):
    # given: the old need's best patent is offered for assignment only
    old, _ = needs
    client = client_for(member)
    # when
    by_licence = client.get(reverse("matching-api:recommendations"), {"need": old.pk, "mode": "licence"}).json()
    # then
    assert [r["patent"]["pk"] for r in by_licence["results"]] == [
        r.patent.pk for r in need_recommendations(user=member, need=old, mode="licence")
    ][:10]
    assert pooled_patents[12].pk not in {r["patent"]["pk"] for r in by_licence["results"]}


def test_api_refuses_a_need_that_is_not_an_open_need_of_the_enterprise(
    client_for, member, run, needs, matching_enterprises
):
    # given: another enterprise's need and one of its own, closed
    foreign = TechNeed.objects.create(enterprise=matching_enterprises[1], title="别人的需求")
    closed = TechNeed.objects.create(enterprise=matching_enterprises[0], title="已关闭的需求", status="closed")
    client = client_for(member)
    url = reverse("matching-api:recommendations")
    not_found = {
        "error": {
            "code": "not_found",
            "message": "没有这项进行中的技术需求 / No open technology need of your enterprise has this id",
            "details": {},
        }
    }
    # when / then
    for pk in (foreign.pk, closed.pk, 999_999):
        response = client.get(url, {"need": pk})
        assert response.status_code == 404, pk
        assert response.json() == not_found
    for raw in ("abc", "0", "-1", "99999999999"):
        response = client.get(url, {"need": raw})
        assert response.status_code == 400, raw
        assert list(response.json()["error"]["details"]) == ["need"]


def test_api_without_a_need_keeps_the_stored_recommendations(client_for, member, run, needs):
    # when
    every = client_for(member).get(reverse("matching-api:recommendations"), {"need": "", "page_size": 100}).json()
    plain = client_for(member).get(reverse("matching-api:recommendations"), {"page_size": 100}).json()
    # then
    assert every == plain
    assert every["count"] > 0

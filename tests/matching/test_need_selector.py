"""Recommendations per need: one need ranked alone on demand (a new need no longer hides the older ones'
patents), the need each stored recommendation came from, and single-character matched terms highlighted."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from enterprises.models import TechNeed
from matching.models import MatchRun
from matching.need_ranking import need_recommendations
from matching.services import match_run_execute_inline
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
def run(pooled_patents, matching_enterprises, needs):
    cache.clear()
    return match_run_execute_inline(run=MatchRun.objects.create())


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

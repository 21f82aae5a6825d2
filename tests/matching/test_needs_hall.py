"""The needs hall (需求大厅): open needs with the best patents of the caller's pool, its filters and orders, the page
for officers (recommend) and bureau staff (read-only), and the inventory's link to a pooled patent's enterprises."""

import numpy as np
import pytest
from django.urls import reverse

from matching.engine import enterprise_query_tokens, mask_from_ids, rank_one
from matching.live.index import live_index
from matching.reading.needs_hall import hall_matches, hall_needs, hall_order_by_best
from matching.runs.rules import need_feedback

pytestmark = pytest.mark.django_db


def test_each_need_gets_the_best_three_of_the_officers_pool(officer, hall_run, hall_needs_made, split_pool):
    # given
    own, other = hall_needs_made["own"], hall_needs_made["other"]
    mine = {p.pk for p in split_pool[:20]}
    # when
    rows = hall_matches(user=officer, needs=[own, other])
    # then
    assert [row.need.pk for row in rows] == [own.pk, other.pk]
    assert rows[0].matches[0].patent.pk == split_pool[3].pk
    assert rows[0].matches[0].terms
    for row in rows:
        assert 1 <= len(row.matches) <= 3
        assert {m.patent.pk for m in row.matches} <= mine  # never the other institution's patent 25
        assert [m.score for m in row.matches] == sorted((m.score for m in row.matches), reverse=True)


def test_the_other_institutions_officer_gets_its_own_patent_first(other_officer, hall_run, hall_needs_made, split_pool):
    rows = hall_matches(user=other_officer, needs=[hall_needs_made["other"]])
    assert rows[0].matches[0].patent.pk == split_pool[25].pk
    assert {m.patent.pk for m in rows[0].matches} <= {p.pk for p in split_pool[20:]}


def test_scores_are_the_ones_one_need_ranked_over_the_whole_index_gets(officer, hall_run, hall_needs_made, split_pool):
    # given: the need ranked alone against the whole live index, masked to the officer's pool (the slow way)
    need = hall_needs_made["own"]
    index = live_index(hall_run)
    query = index.transform_query(enterprise_query_tokens(needs=f"{need.title} {need.keywords} {need.description}"))
    mask = mask_from_ids(index=index, allowed_ids=[str(p.pk) for p in split_pool[:20]])
    alone = rank_one(index=index, query=query, k=3, patent_mask=mask, feedback=need_feedback())
    # when
    row = hall_matches(user=officer, needs=[need])[0]
    # then
    assert [m.patent.pk for m in row.matches] == [int(index.patent_ids[r]) for r, _ in alone.row(0)]
    np.testing.assert_allclose([m.score for m in row.matches], [s for _, s in alone.row(0)], rtol=1e-5)


def test_before_any_run_needs_are_listed_without_matches(officer, hall_needs_made):
    rows = hall_matches(user=officer, needs=[hall_needs_made["own"]])
    assert rows[0].matches == []


def test_only_open_needs_and_the_filters(officer, city_bureau, hall_needs_made):
    own, other = hall_needs_made["own"], hall_needs_made["other"]
    assert set(hall_needs(user=officer)) == {own, other}  # the closed need is not in the hall
    assert list(hall_needs(user=officer, city="4205")) == [other]
    assert list(hall_needs(user=officer, industry="C")) == [own]
    assert list(hall_needs(user=officer, text="工艺改进")) == [own]
    assert list(hall_needs(user=officer, text=other.enterprise.name)) == [other]
    assert list(hall_needs(user=city_bureau)) == [own]  # Wuhan staff: Wuhan's enterprises only


def test_order_by_best_match_puts_the_best_scored_need_first(other_officer, hall_run, hall_needs_made):
    # given: for the other institution, the need written from its own patent 25 scores best
    needs = hall_needs(user=other_officer)
    best = {row.need.pk: row.best for row in hall_matches(user=other_officer, needs=list(needs))}
    # when
    ordered = hall_order_by_best(user=other_officer, needs=needs)
    # then
    assert [n.pk for n in ordered] == sorted(best, key=lambda pk: -best[pk])
    assert ordered[0] == hall_needs_made["other"]


def test_the_page_for_an_officer_offers_recommending(client, officer, hall_run, hall_needs_made, split_pool):
    client.force_login(officer)
    # when
    page = client.get(reverse("matching:needs_hall")).content.decode()
    newest = client.get(reverse("matching:needs_hall"), {"ordering": "-created_at", "city": "4201"}).content.decode()
    # then
    assert 'data-testid="hall-recommend"' in page
    assert f'name="patent" value="{split_pool[3].pk}"' in page
    assert f'value="{split_pool[25].pk}"' not in page
    assert f'data-need="{hall_needs_made["own"].pk}"' in page
    assert f'data-need="{hall_needs_made["closed"].pk}"' not in page
    assert f'data-need="{hall_needs_made["other"].pk}"' not in newest  # another city


def test_bureau_staff_read_the_hall_and_enterprises_do_not(client, bureau, enterprise_member, hall_run, split_pool):
    client.force_login(bureau)
    page = client.get(reverse("matching:needs_hall")).content.decode()
    assert 'data-testid="hall-match"' in page
    assert 'data-testid="hall-recommend"' not in page  # read-only
    client.force_login(enterprise_member)
    assert client.get(reverse("matching:needs_hall")).status_code == 404


def test_bureau_may_not_post_a_recommendation(client, bureau, hall_run, hall_needs_made, split_pool):
    client.force_login(bureau)
    url = reverse("matching:needs_hall_recommend", args=[hall_needs_made["own"].pk])
    assert client.post(url, {"patent": [split_pool[3].pk]}).status_code == 404


def test_the_page_recommends_the_ticked_patents(client, officer, make_user, hall_run, hall_needs_made, split_pool):
    member = make_user("m0", "enterprise", enterprise=hall_needs_made["own"].enterprise)
    client.force_login(officer)
    url = reverse("matching:needs_hall_recommend", args=[hall_needs_made["own"].pk])
    # when
    response = client.post(url, {"patent": [split_pool[3].pk, split_pool[4].pk], "ordering": "-created_at"})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:needs_hall") + "?ordering=-created_at"
    assert member.notifications.filter(message_kind="push.need").count() == 2


def test_inventory_rows_of_pooled_patents_link_to_their_matched_enterprises(client, officer, split_pool):
    client.force_login(officer)
    page = client.get(reverse("patents:inventory")).content.decode()
    link = reverse("matching:patent_enterprises", args=[split_pool[0].pk])
    assert f'href="{link}" data-testid="matched-enterprises-link"' in page

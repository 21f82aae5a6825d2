"""The needs hall in the API: GET /api/v1/needs/ carries each need's `matches` for officers and bureau staff and
sorts by them (?ordering=-best_match); POST /api/v1/needs/{pk}/recommend/ and its scopes."""

import pytest

from enterprises.models import Notification, PatentPush

pytestmark = pytest.mark.django_db


def _url(pk: int) -> str:
    return f"/api/v1/needs/{pk}/recommend/"


def test_an_officer_lists_open_needs_with_the_best_three_of_the_pool(
    client_for, officer, hall_run, hall_needs_made, split_pool
):
    # when
    rows = client_for(officer).get("/api/v1/needs/").json()["results"]
    # then
    assert {r["pk"] for r in rows} == {hall_needs_made["own"].pk, hall_needs_made["other"].pk}  # open needs only
    own = next(r for r in rows if r["pk"] == hall_needs_made["own"].pk)
    assert own["matches"][0]["patent"] == split_pool[3].pk
    assert own["matches"][0]["terms"]
    assert 0 < own["matches"][0]["score"] <= 1
    assert set(own["matches"][0]) == {"patent", "application_number", "title", "institution", "score", "terms"}
    mine = {p.pk for p in split_pool[:20]}
    assert all(m["patent"] in mine and len(r["matches"]) <= 3 for r in rows for m in r["matches"])


def test_ordering_by_best_match(client_for, officer, hall_run, hall_needs_made):
    # given: the older need is written from one of the officer's patents, the newer from another institution's
    client = client_for(officer)
    own, other = hall_needs_made["own"].pk, hall_needs_made["other"].pk
    # when
    best = client.get("/api/v1/needs/", {"ordering": "-best_match"}).json()["results"]
    newest = client.get("/api/v1/needs/").json()["results"]
    # then
    assert [r["pk"] for r in best] == [own, other]
    assert best[0]["matches"][0]["score"] > best[1]["matches"][0]["score"]
    assert [r["pk"] for r in newest] == [other, own]


def test_members_list_their_needs_as_before(client_for, make_user, hall_run, hall_needs_made):
    member = make_user("m0", "enterprise", enterprise=hall_needs_made["own"].enterprise)
    rows = client_for(member).get("/api/v1/needs/").json()["results"]
    assert [r["pk"] for r in rows] == [hall_needs_made["own"].pk]
    assert "matches" not in rows[0]


def test_an_officer_recommends_own_pooled_patents(client_for, officer, make_user, hall_needs_made, split_pool):
    member = make_user("m0", "enterprise", enterprise=hall_needs_made["own"].enterprise)
    client = client_for(officer)
    chosen = [split_pool[3].pk, split_pool[4].pk]
    # when
    first = client.post(_url(hall_needs_made["own"].pk), {"patent_ids": chosen, "message": "请查看"}, format="json")
    again = client.post(_url(hall_needs_made["own"].pk), {"patent_ids": chosen}, format="json")
    # then
    assert first.status_code == 200, first.json()
    assert first.json() == {
        "enterprise": member.enterprise_id,
        "sent": chosen,
        "already": [],
        "without_members": False,
        "notified": 2,
    }
    assert again.json()["sent"] == []
    assert again.json()["already"] == chosen
    assert Notification.objects.filter(recipient=member, message_kind="push.need").count() == 2


def test_recommend_refusals_in_the_api_error_format(
    client_for, officer, bureau, make_user, hall_needs_made, split_pool
):
    make_user("m0", "enterprise", enterprise=hall_needs_made["own"].enterprise)
    member = make_user("m1", "enterprise", enterprise=hall_needs_made["other"].enterprise)
    client = client_for(officer)
    own = hall_needs_made["own"].pk
    # another institution's patent: 400 keyed by its id
    theirs = client.post(_url(own), {"patent_ids": [split_pool[3].pk, split_pool[25].pk]}, format="json")
    assert theirs.status_code == 400
    assert set(theirs.json()["error"]["details"]) == {str(split_pool[25].pk)}
    assert theirs.json()["error"]["code"]
    assert client.post(_url(own), {"patent_ids": ["x"]}, format="json").status_code == 400
    assert client.post(_url(own), {"patent_ids": []}, format="json").status_code == 400
    # a closed need, a need that does not exist: 404
    closed = client.post(_url(hall_needs_made["closed"].pk), {"patent_ids": [split_pool[3].pk]}, format="json")
    assert closed.status_code == 404
    assert "error" in closed.json()
    assert client.post(_url(987654), {"patent_ids": [split_pool[3].pk]}, format="json").status_code == 404
    # bureau staff and enterprise members do not recommend: 403
    for user in (bureau, member):
        refused = client_for(user).post(_url(own), {"patent_ids": [split_pool[3].pk]}, format="json")
        assert refused.status_code == 403
        assert "error" in refused.json()
    assert not PatentPush.objects.exists()
    assert not Notification.objects.exists()

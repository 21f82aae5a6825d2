"""What college admins and inventors may read: their college's / their own patents, nothing else — also not by pk."""

import pytest
from django.urls import reverse

from enterprises.models import PatentFollow
from patents.models import ReviewStatus
from tests.enterprises.factories import DockingRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_colleges(make_patent, other_college, inventor, enterprise):
    """A submitted patent of each college (the CS one linked to the inventor), each followed and asked for docking."""
    own = make_patent(inventor=inventor, review_status=ReviewStatus.SUBMITTED)
    other = make_patent(college=other_college, review_status=ReviewStatus.SUBMITTED)
    unlinked = make_patent(review_status=ReviewStatus.SUBMITTED)  # the CS college's, not the inventor's
    for patent in (own, other):
        PatentFollow.objects.create(enterprise=enterprise, patent=patent)
        DockingRequestFactory(enterprise=enterprise, patent=patent)
    return {"own": own, "other": other, "unlinked": unlinked}


def _statuses(client, api, pk: int) -> list[int]:
    return [
        client.get(reverse("patents:detail", args=[pk])).status_code,
        client.get(reverse("patents:my_patent", args=[pk])).status_code,
        client.get(reverse("patents:manage_assessment", args=[pk])).status_code,
        client.post(reverse("patents:my_patent_submit", args=[pk])).status_code,
        api.get(f"/api/v1/patents/{pk}/").status_code,
    ]


def test_a_college_admin_reads_their_college_and_nothing_of_another(client, client_for, college_admin, two_colleges):
    # given
    client.force_login(college_admin)
    api = client_for(college_admin)
    other = two_colleges["other"]
    # when
    listed = {p.pk for p in client.get(reverse("patents:list")).context["page"].object_list}
    queue = {p.pk for p in client.get(reverse("patents:review_queue")).context["page"].object_list}
    api_listed = {row["pk"] for row in api.get("/api/v1/patents/").json()["results"]}
    foreign = _statuses(client, api, other.pk)
    approve_foreign = client.post(reverse("patents:review_bulk"), {"action": "approve", "patents": [other.pk]})
    # then
    own = {two_colleges["own"].pk, two_colleges["unlinked"].pk}
    assert (listed, queue, api_listed) == (own, own, own)
    assert foreign == [404, 404, 404, 404, 404]
    assert approve_foreign.status_code == 302
    other.refresh_from_db()
    assert other.review_status == ReviewStatus.SUBMITTED


def test_a_college_admin_opens_their_own_patents_pages(client, client_for, college_admin, two_colleges):
    # given
    client.force_login(college_admin)
    own = two_colleges["own"]
    # when
    statuses = [
        client.get(reverse("patents:detail", args=[own.pk])).status_code,
        client.get(reverse("patents:my_patent", args=[own.pk])).status_code,
        client.get(reverse("patents:manage_assessment", args=[own.pk])).status_code,
        client.get("/").status_code,
        client.get(reverse("patents:invite")).status_code,
    ]
    # then
    assert statuses == [200] * 5


def test_an_inventor_reads_only_the_patents_linked_to_them(client, client_for, inventor, two_colleges):
    # given
    client.force_login(inventor)
    api = client_for(inventor)
    # when
    mine = [row[0].pk for row in client.get(reverse("patents:my_patents")).context["rows"]]
    api_listed = {row["pk"] for row in api.get("/api/v1/patents/").json()["results"]}
    foreign = {name: _statuses(client, api, two_colleges[name].pk) for name in ("other", "unlinked")}
    refused = [
        client.get(reverse("patents:review_queue")).status_code,
        client.get(reverse("patents:inventory")).status_code,
        client.get(reverse("patents:import_upload")).status_code,
        api.get("/api/v1/follows/").json().get("count", 0),
        api.get("/api/v1/docking/").json().get("count", 0),
    ]
    # then
    assert mine == [two_colleges["own"].pk]
    assert api_listed == {two_colleges["own"].pk}
    assert foreign == {"other": [404] * 5, "unlinked": [404] * 5}
    assert refused == [403, 403, 403, 0, 0]

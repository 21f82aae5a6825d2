"""The inventory's demand column: sortable, filterable, equal to the stored PatentDemand; the patent page's demand
block and the API's `demand`."""

import pytest
from django.urls import reverse

from patents.models import PatentDemand
from tests.patents.pages.helpers import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(inventory):
    """The pooled camera has demand from 3 enterprises; the other patents none."""
    inventory["camera"].inventory_status = "pooled"
    inventory["drone"].inventory_status = "pooled"
    inventory["camera"].save()
    inventory["drone"].save()
    return PatentDemand.objects.create(patent=inventory["camera"], run_id=1, enterprises=3, needs=5, best_score=0.4567)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"demand": "yes"}, ["202122975192.6"]),
        ({"demand": "no"}, ["202211740332.4", "202223220665.2", "202121751980.0"]),
        ({"o": "-demand", "inventory_status": "pooled"}, ["202122975192.6", "202223220665.2"]),
        ({"o": "demand", "inventory_status": "pooled"}, ["202223220665.2", "202122975192.6"]),
    ],
)
def test_inventory_filters_and_sorts_by_demand(client, officer, demand, params, expected):
    # given
    client.force_login(officer)
    # when / then
    assert listed(client, **params) == expected


def test_inventory_shows_each_pooled_patents_demand(client, officer, demand):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:inventory"), {"inventory_status": "pooled", "o": "-demand"}).content.decode()
    # then the camera shows 3 enterprises (5 needs, best 0.46 in its title), the drone 0
    cells = [c.split(">", 1)[1].split("</td>")[0] for c in html.split('data-testid="demand-cell"')[1:]]
    assert [c.rsplit(">", 2)[-2].split("<")[0] if "<span" in c else c for c in cells] == ["3", "0"]
    assert "5 项开放需求，最高匹配度 0.46" in html


def test_patent_page_and_api_show_the_demand(client, api_client, officer, demand, inventory):
    # given
    client.force_login(officer)
    api_client.force_authenticate(officer)
    camera = inventory["camera"]
    # when
    html = client.get(reverse("patents:detail", args=[camera.pk])).content.decode()
    one = api_client.get(f"/api/v1/patents/{camera.pk}/").json()
    many = {p["pk"]: p["demand"] for p in api_client.get("/api/v1/patents/").json()["results"]}
    # then
    assert "3 家企业的推荐前列有此专利（涉及 5 项开放需求），最高匹配度 0.46。" in html
    assert one["demand"] == {"enterprises": 3, "needs": 5, "best_score": 0.4567}
    assert many[camera.pk] == {"enterprises": 3, "needs": 5, "best_score": 0.4567}
    assert many[inventory["drone"].pk] == {"enterprises": 0, "needs": 0, "best_score": None}

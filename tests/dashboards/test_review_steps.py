"""盘点率 page, per-step shares: per institution and per college, the share of inventoried valid patents at each step
of the review chain equals direct queries."""

import pytest
from django.urls import reverse

from dashboards.inventory_rate import college_step_shares, step_share_rows
from dashboards.scope import DashboardFilters, dashboard_scope_for
from patents.models import College, Patent
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db
STEPS = ("submitted", "college_approved", "university_approved", "pooled")


@pytest.fixture
def chain(institution, other_institution):
    cs = College.objects.create(institution=institution, name="计算机学院")
    me = College.objects.create(institution=institution, name="机械学院")
    for college, legal, inventory, review, n in [
        (cs, "valid", "inventoried", "submitted", 3),
        (cs, "valid", "inventoried", "college_approved", 2),
        (me, "unknown", "inventoried", "university_approved", 1),
        (me, "valid", "pooled", "university_approved", 2),
        (None, "valid", "inventoried", "draft", 2),
        (cs, "valid", "not_pooled", "draft", 1),
        (cs, "invalid", "inventoried", "submitted", 4),  # lapsed: not counted
    ]:
        PatentFactory.create_batch(
            n,
            institution=institution,
            college=college,
            legal_status=legal,
            inventory_status=inventory,
            review_status=review,
        )
    PatentFactory.create_batch(2, institution=other_institution, legal_status="valid", inventory_status="pooled")
    return cs, me


def _direct(**where) -> dict[str, int]:
    counted = Patent.objects.filter(legal_status__in=["valid", "unknown"], **where)
    under_review = counted.filter(inventory_status="inventoried")
    return {
        "inventoried": counted.count(),
        **{step: under_review.filter(review_status=step).count() for step in STEPS[:3]},
        "pooled": counted.filter(inventory_status="pooled").count(),
    }


def _figures(row) -> dict[str, int]:
    return {"inventoried": row.inventoried, **{step: n for step, n, _ in row.shares}}


def test_per_institution_and_per_college_shares_equal_direct_queries(chain, institution, other_institution, bureau):
    # given
    cs, me = chain
    # when
    rows = step_share_rows(scope=dashboard_scope_for(user=bureau), filters=DashboardFilters())
    colleges = college_step_shares(institution_pk=institution.pk)
    # then
    assert [(row.name, _figures(row)) for row in rows] == [
        ("华中科技大学", _direct(institution=institution)),
        ("武汉大学", _direct(institution=other_institution)),
    ]
    assert {row.pk: _figures(row) for row in colleges} == {
        cs.pk: _direct(college=cs),
        me.pk: _direct(college=me),
        None: _direct(institution=institution, college=None),
    }
    assert colleges[-1].pk is None  # patents of no college last
    assert _figures(rows[0]) == {
        "inventoried": 11,
        "submitted": 3,
        "college_approved": 2,
        "university_approved": 1,
        "pooled": 2,
    }
    assert [share for _, _, share in rows[0].shares] == [3 / 11, 2 / 11, 1 / 11, 2 / 11]


def test_the_page_shows_the_shares_of_the_chosen_institution_and_its_colleges(client, chain, institution, officer):
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse("dashboards:inventory_rate"))
    html = response.content.decode()
    # then
    assert response.status_code == 200
    assert [_figures(row) for row in response.context["step_rows"]] == [_direct(institution=institution)]
    assert len(response.context["college_steps"]) == 3
    assert 'data-testid="step-table"' in html
    assert 'data-testid="college-step-table"' in html

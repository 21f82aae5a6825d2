"""POST /api/v1/patents/{pk}/push/ and the push list's reasons in GET …/matched-enterprises/."""

import pytest
from django.urls import reverse

from enterprises.models import Notification, PatentPush, TechNeed
from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline
from tests.conftest import _kppatents

pytestmark = pytest.mark.django_db


def _url(pk: int) -> str:
    return f"/api/v1/patents/{pk}/push/"


def test_push_then_again_reports_already(client_for, officer, make_user, pooled_patents, matching_enterprises):
    make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    ids = [matching_enterprises[0].pk, matching_enterprises[1].pk]
    client = client_for(officer)
    # when
    first = client.post(_url(pooled_patents[0].pk), {"enterprise_ids": ids, "message": "请查看"}, format="json")
    again = client.post(_url(pooled_patents[0].pk), {"enterprise_ids": ids}, format="json")
    # then
    assert first.status_code == 200, first.json()
    # the enterprise without a member is named and not pushed, so it is not "already" pushed either
    assert first.json() == {"pushed": [ids[0]], "already": [], "without_members": [ids[1]], "notified": 1}
    assert again.json() == {"pushed": [], "already": [ids[0]], "without_members": [ids[1]], "notified": 0}
    assert Notification.objects.filter(kind="push").count() == 1
    assert list(PatentPush.objects.values_list("enterprise_id", flat=True)) == [ids[0]]


def test_errors_per_id_and_refusals(client_for, officer, other_officer, pooled_patents, matching_enterprises):
    client = client_for(officer)
    bad = client.post(
        _url(pooled_patents[0].pk), {"enterprise_ids": [matching_enterprises[0].pk, 987654]}, format="json"
    )
    assert bad.status_code == 400
    assert "987654" in bad.json()["error"]["details"]
    malformed = client.post(_url(pooled_patents[0].pk), {"enterprise_ids": ["x", 1]}, format="json")
    assert malformed.status_code == 400
    assert "enterprise_ids" in malformed.json()["error"]["details"]
    empty = client.post(_url(pooled_patents[0].pk), {"enterprise_ids": []}, format="json")
    assert empty.status_code == 400
    other = client_for(other_officer).post(
        _url(pooled_patents[0].pk), {"enterprise_ids": [matching_enterprises[0].pk]}, format="json"
    )
    assert other.status_code == 404
    patent = pooled_patents[1]
    patent.inventory_status = "draft"
    patent.save(update_fields=["inventory_status"])
    draft = client.post(_url(patent.pk), {"enterprise_ids": [matching_enterprises[0].pk]}, format="json")
    assert draft.status_code == 400
    assert "只能推送已入池的专利" in draft.json()["error"]["message"]
    assert not PatentPush.objects.exists()


def test_enterprise_members_may_not_push(client_for, enterprise_member, pooled_patents, matching_enterprises):
    response = client_for(enterprise_member).post(
        _url(pooled_patents[0].pk), {"enterprise_ids": [matching_enterprises[0].pk]}, format="json"
    )
    assert response.status_code in (403, 404)
    assert not PatentPush.objects.exists()


def test_matched_enterprises_carry_the_need_that_matched(
    client_for, officer, make_user, pooled_patents, matching_enterprises
):
    make_user("m2", "enterprise", enterprise=matching_enterprises[2])
    phrases = _kppatents(1)[0]["keyphrases"].split(",")
    need = TechNeed.objects.create(enterprise=matching_enterprises[2], title=phrases[0], description="；".join(phrases))
    match_run_execute_inline(run=MatchRun.objects.create())
    client = client_for(officer)
    client.post(_url(pooled_patents[0].pk), {"enterprise_ids": [matching_enterprises[2].pk]}, format="json")
    # when
    rows = client.get(f"/api/v1/patents/{pooled_patents[0].pk}/matched-enterprises/").json()["results"]
    # then
    row = next(r for r in rows if r["enterprise_pk"] == matching_enterprises[2].pk)
    assert row["needs"][0]["pk"] == need.pk
    assert row["needs"][0]["terms"]
    assert row["pushed_at"] is not None
    assert row["can_receive"] is True
    scope_row = next(r for r in rows if r["enterprise_pk"] == matching_enterprises[0].pk)
    assert scope_row["needs"] == []
    assert scope_row["profile_excerpt"]
    assert scope_row["pushed_at"] is None
    assert scope_row["can_receive"] is False  # no member: a push would reach nobody


def test_push_page_says_which_rows_can_receive_and_names_those_not_pushed(
    client, officer, make_user, pooled_patents, matching_enterprises
):
    # given: a current run; of three ticked rows of the push list only the first has a member
    phrases = _kppatents(1)[0]["keyphrases"].split(",")
    TechNeed.objects.create(enterprise=matching_enterprises[2], title=phrases[0], description="；".join(phrases))
    match_run_execute_inline(run=MatchRun.objects.create())
    patent = pooled_patents[0]
    client.force_login(officer)
    page_url = reverse("matching:patent_enterprises", args=[patent.pk])
    ticked = [row.enterprise for row in client.get(page_url).context["page"].object_list][:3]
    assert len(ticked) == 3
    make_user("m0", "enterprise", enterprise=ticked[0])
    # when
    response = client.post(
        reverse("matching:patent_push", args=[patent.pk]), {"enterprise": [e.pk for e in ticked]}, follow=True
    )
    # then: the answer names the two not pushed, and only the first row says pushed
    assert [str(m) for m in response.context["messages"]] == [
        f"已推送给 1 家企业；2 家没有可接收通知的企业用户，未推送：{ticked[1].name}、{ticked[2].name}"
    ]
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert list(PatentPush.objects.values_list("enterprise_id", flat=True)) == [ticked[0].pk]
    rows = {row.enterprise.pk: row for row in client.get(page_url).context["page"].object_list}
    assert [rows[e.pk].pushed_at is not None for e in ticked] == [True, False, False]
    assert [rows[e.pk].can_receive for e in ticked] == [True, False, False]
    html = client.get(page_url).content.decode()
    for enterprise in ticked:
        row = html.split(f'data-enterprise="{enterprise.pk}"', 1)[1].split("</tr>", 1)[0]
        assert ('data-testid="pushed-at"' in row) == (enterprise == ticked[0])
        assert ('data-testid="push-no-member"' in row) == (enterprise != ticked[0])

"""What matching adds to a patent's page and API detail: the five most similar pooled patents the reader may see
(never the patent itself, never an unpooled one, a page that says so before the first run) and, for officers of
the owning institution and bureau staff, the number of enterprises the patent matched."""

import pytest
from django.conf import settings
from django.urls import reverse

from matching.live.ranking import patent_push_list
from matching.reading.push_list import enterprises_for_patent
from matching.reading.similar import SIMILAR_SHOWN, similar_patents
from patents.models import Patent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _ids(facts: dict) -> list[int]:
    return [item["pk"] for item in facts["patents"]]


def test_similar_lists_five_pooled_patents_best_first_without_itself(run, enterprise_member, pooled_patents):
    # given
    patent = pooled_patents[0]
    # when
    facts = similar_patents(user=enterprise_member, patent=patent)
    # then
    assert facts["available"] is True
    assert len(facts["patents"]) == SIMILAR_SHOWN == 5
    assert patent.pk not in _ids(facts)
    scores = [item["score"] for item in facts["patents"]]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    pooled = set(Patent.objects.filter(inventory_status="pooled").values_list("pk", flat=True))
    assert set(_ids(facts)) <= pooled


def test_an_enterprise_never_sees_an_unpooled_patent_even_while_the_index_holds_it(
    run, enterprise_member, pooled_patents
):
    # given: the best similar patent withdrawn without touching updated_at, so the live index still holds it
    patent = pooled_patents[0]
    before = _ids(similar_patents(user=enterprise_member, patent=patent, k=SIMILAR_SHOWN + 1))
    Patent.objects.filter(pk=before[0]).update(inventory_status="not_pooled")
    # when
    after = _ids(similar_patents(user=enterprise_member, patent=patent))
    # then: the next ones move up
    assert after == before[1 : SIMILAR_SHOWN + 1]


def test_an_officers_unpooled_patent_gets_similar_pooled_patents_by_its_text(run, officer, institution, pooled_patents):
    # given: an unpooled copy of a pooled patent's text (not in the index)
    source = pooled_patents[3]
    copy = Patent.objects.create(
        application_number="202099999999.9",
        title=source.title,
        abstract=source.abstract,
        claims=source.claims,
        patent_type="invention",
        institution=institution,
        inventory_status="inventoried",
    )
    # when
    facts = similar_patents(user=officer, patent=copy)
    # then: the patent it copies is the most similar
    assert _ids(facts)[0] == source.pk
    assert copy.pk not in _ids(facts)


def test_before_the_first_run_the_page_says_so_and_the_api_has_no_similar(
    client, client_for, enterprise_member, pooled_patents
):
    # given: no run
    patent = pooled_patents[0]
    client.force_login(enterprise_member)
    # when
    page = client.get(reverse("patents:detail", args=[patent.pk]))
    body = client_for(enterprise_member).get(reverse("patents-api:patent-detail", args=[patent.pk])).json()
    # then
    assert page.status_code == 200
    assert 'data-testid="similar-unavailable"' in page.content.decode()
    assert (body["similar"], body["similar_available"]) == ([], False)


def test_page_and_api_show_the_same_similar_patents(client, client_for, run, enterprise_member, pooled_patents):
    # given
    patent = pooled_patents[0]
    client.force_login(enterprise_member)
    expected = similar_patents(user=enterprise_member, patent=patent)["patents"]
    # when
    html = client.get(reverse("patents:detail", args=[patent.pk])).content.decode()
    body = client_for(enterprise_member).get(reverse("patents-api:patent-detail", args=[patent.pk])).json()
    # then
    assert body["similar"] == expected
    assert body["similar_available"] is True
    assert html.count('data-testid="similar-patent"') == 5
    for item in expected:
        assert reverse("patents:detail", args=[item["pk"]]) in html
    assert "matched_enterprises" not in body  # an enterprise is never told
    assert 'data-testid="matched-enterprises-link"' not in html


def test_officer_and_bureau_see_the_matched_enterprise_count(client_for, run, officer, bureau, pooled_patents):
    # given
    patent = pooled_patents[0]
    expected = len(patent_push_list(patent_id=patent.pk, k=settings.MATCHING_TOP_K))
    assert expected > 0
    # when
    counts = [
        client_for(user).get(reverse("patents-api:patent-detail", args=[patent.pk])).json()["matched_enterprises"]
        for user in (officer, bureau)
    ]
    # then: the rows of the matched-enterprises page
    assert counts == [expected, expected]
    assert len(enterprises_for_patent(user=officer, patent_id=patent.pk) or []) == expected


def test_the_officer_page_links_the_count_to_the_matched_enterprises(client, run, officer, pooled_patents):
    # given
    patent = pooled_patents[0]
    expected = len(patent_push_list(patent_id=patent.pk, k=settings.MATCHING_TOP_K))
    client.force_login(officer)
    # when
    html = client.get(reverse("patents:detail", args=[patent.pk])).content.decode()
    # then
    link = html[html.index('data-testid="matched-enterprises-link"') :]
    assert f"匹配的企业 {expected} 家" in link[: link.index("</a>")]
    assert reverse("matching:patent_enterprises", args=[patent.pk]) in html


def test_another_institutions_officer_gets_no_count_and_no_patent(client_for, run, other_officer, pooled_patents):
    # given
    patent = pooled_patents[0]
    # when
    response = client_for(other_officer).get(reverse("patents-api:patent-detail", args=[patent.pk]))
    # then
    assert response.status_code == 404
    assert "matched_enterprises" not in response.json()


def test_an_officer_sees_only_similar_patents_of_the_own_pool(run, other_officer, other_institution, pooled_patents):
    # given: the other institution pools two patents whose texts are those of two of the 40 (most similar to them)
    own = [
        Patent.objects.create(
            application_number=f"20209999999{i}.{i}",
            title=source.title,
            abstract=source.abstract,
            claims=source.claims,
            patent_type="invention",
            institution=other_institution,
            inventory_status="pooled",
            transfer_modes=["licence"],
        )
        for i, source in enumerate(pooled_patents[:2])
    ]
    # when: ranked among the visible pool only (the 40 are another institution's)
    facts = similar_patents(user=other_officer, patent=own[0])
    # then
    assert _ids(facts) == [own[1].pk]


def test_a_run_whose_files_are_gone_leaves_the_page_without_similar_patents_or_count(
    client, run, officer, pooled_patents, caplog
):
    # given: the run's files are lost (as tests/matching/test_search.py loses them)
    from matching.live import index as live_index_module
    from matching.runs import artifacts

    for path in (run.index_path, run.index_path.replace("index.npz", "queries.npz")):
        artifacts.artifacts_storage().delete(path)
    artifacts._load.cache_clear()
    live_index_module._state = None
    client.force_login(officer)
    # when
    response = client.get(reverse("patents:detail", args=[pooled_patents[0].pk]))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="similar-unavailable"' in html
    assert "查看匹配的企业（推送名单）" in html  # the plain link, no count
    assert f"matching run {run.pk}: its files are missing" in caplog.text

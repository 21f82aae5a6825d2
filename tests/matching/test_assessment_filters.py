"""The assessment feeds the pool's filters and the cards (issue 25): value grade (A–D, several), inventor consent
(only patents whose inventor agreed) in search and recommendations, pages and API; the grade and the consent shown
on each hit, recommendation and a patent's matched-enterprises page."""

import pytest
from django.urls import reverse

from enterprises.models import TechNeed
from matching.models import Recommendation
from matching.reading.needs import need_recommendations
from matching.reading.recommendations import recommendations_for_enterprise
from matching.reading.search import patent_search
from patents.filters import grades_param
from patents.models import Patent, PatentAssessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

GRADES = "ABCD"


@pytest.fixture
def assessed(pooled_patents) -> list[Patent]:
    """Grades A, B, C, D in turn; the inventor agreed for every third patent, refused for the next, the rest have
    no assessment (patent i: grade GRADES[i % 4]; consent True when i % 3 == 0, False when i % 3 == 1)."""
    for i, patent in enumerate(pooled_patents):
        grade = GRADES[i % 4]
        Patent.objects.filter(pk=patent.pk).update(value_grade=grade)  # updated_at kept: the live index unchanged
        if i % 3 < 2:
            agreed = i % 3 == 0
            PatentAssessment.objects.create(patent=patent, derived_grade=grade, grade=grade, inventor_consent=agreed)
            # the patent's copy, as assessment_write keeps it (updated_at kept, as above)
            Patent.objects.filter(pk=patent.pk).update(inventor_consent=agreed)
    return pooled_patents


def _grade_of(patents: list[Patent]) -> dict[int, str]:
    return {p.pk: GRADES[i % 4] for i, p in enumerate(patents)}


def _agreed(patents: list[Patent]) -> set[int]:
    return {p.pk for i, p in enumerate(patents) if i % 3 == 0}


def _search_ids(user, text: str, filters: dict[str, str]) -> list[int]:
    data = patent_search(user=user, text=text, filters=filters, page_size=100)
    return [hit.patent.pk for hit in data["results"]]


def test_grades_param_reads_lists_and_commas_and_drops_unknown_values():
    assert grades_param(["B", "a", "Z"]) == "A,B"
    assert grades_param(["C,a", " d "]) == "A,C,D"
    assert grades_param([]) == ""


def test_search_filters_by_grades_and_consent_in_the_unfiltered_order(run, bureau, assessed):
    # given
    text = " ".join(p.title for p in assessed[:8])
    everything = _search_ids(bureau, text, {})
    grade = _grade_of(assessed)
    # when
    graded = _search_ids(bureau, text, {"grade": "A,C"})
    agreed = _search_ids(bureau, text, {"consent": "1"})
    both = _search_ids(bureau, text, {"grade": "A,C", "consent": "1"})
    # then: exactly the patents of the unfiltered ranking that pass, in its order
    assert len(everything) > 20
    assert graded == [pk for pk in everything if grade[pk] in "AC"]
    assert agreed == [pk for pk in everything if pk in _agreed(assessed)]
    assert both == [pk for pk in everything if grade[pk] in "AC" and pk in _agreed(assessed)]
    assert both  # not vacuous


def test_search_api_takes_grades_as_a_list_or_commas_and_refuses_bad_values(client_for, bureau, run, assessed):
    # given
    client = client_for(bureau)
    url = reverse("matching-api:search")
    text = " ".join(p.title for p in assessed[:8])
    # when
    as_list = client.get(url, {"q": text, "grade": ["A", "B"], "consent": "true"}).json()
    as_commas = client.get(url, {"q": text, "grade": "A,B", "consent": "true"}).json()
    lower_case = client.get(url, {"q": text, "grade": "a,b", "consent": "true"}).json()
    bad_grade = client.get(url, {"q": text, "grade": "E"})
    bad_consent = client.get(url, {"q": text, "consent": "maybe"})
    # then
    pks = [hit["patent"]["pk"] for hit in as_list["results"]]
    assert pks
    assert pks == [hit["patent"]["pk"] for hit in as_commas["results"]]
    assert pks == [hit["patent"]["pk"] for hit in lower_case["results"]]
    assert {hit["patent"]["value_grade"] for hit in as_list["results"]} <= {"A", "B"}
    assert {hit["patent"]["inventor_consent"] for hit in as_list["results"]} == {True}
    assert (bad_grade.status_code, bad_consent.status_code) == (400, 400)
    assert set(bad_grade.json()["error"]["details"]) == {"grade"}


def test_recommendations_filter_by_grades_and_consent(client_for, make_user, matching_enterprises, run, assessed):
    # given
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    ranked = Recommendation.objects.filter(run=run, enterprise=matching_enterprises[0]).order_by("-final_score", "rank")
    grade = _grade_of(assessed)
    agreed = _agreed(assessed)
    expected = [pk for pk in ranked.values_list("patent_id", flat=True) if grade[pk] in "AD" and pk in agreed]
    # when
    listed = recommendations_for_enterprise(user=member, grade="A,D", consent="1")
    body = client_for(member).get(reverse("matching-api:recommendations"), {"grade": ["A", "D"], "consent": "1"})
    # then: patent 0 (A, agreed) is its best; patents 1 (B) and 2 (no assessment) are left out
    assert expected[0] == assessed[0].pk
    assert len(expected) < ranked.count()
    assert [rec.patent_id for rec in listed] == expected
    assert [r["patent"]["pk"] for r in body.json()["results"]] == expected[:20]
    assert {r["patent"]["value_grade"] for r in body.json()["results"]} <= {"A", "D"}
    bad = client_for(member).get(reverse("matching-api:recommendations"), {"grade": "X"})
    assert bad.status_code == 400


def test_one_need_ranked_alone_takes_the_same_filters(make_user, matching_enterprises, pooled_patents, assessed):
    # given: a need written before the run is ranked alone on demand
    from matching.models import MatchRun
    from matching.runs.inline import match_run_execute_inline

    enterprise = matching_enterprises[0]
    member = make_user("m0", "enterprise", enterprise=enterprise)
    need = TechNeed.objects.create(enterprise=enterprise, title=pooled_patents[12].title, keywords="", description="")
    match_run_execute_inline(run=MatchRun.objects.create())
    everything = [r.patent.pk for r in need_recommendations(user=member, need=need)]
    # when
    agreed = [r.patent.pk for r in need_recommendations(user=member, need=need, grade="A", consent="1")]
    # then
    grade = _grade_of(assessed)
    assert agreed == [pk for pk in everything if grade[pk] == "A" and pk in _agreed(assessed)]
    assert agreed[0] == pooled_patents[12].pk  # the need's own patent: grade A, its inventor agreed
    assert len(agreed) < len(everything)


def test_cards_show_the_grade_and_the_consent(client, make_user, matching_enterprises, run, assessed):
    # given: patent 0 is grade A and its inventor agreed; patent 1 grade B, refused
    member = make_user("m0", "enterprise", enterprise=matching_enterprises[0])
    client.force_login(member)
    # when
    search = client.get(reverse("matching:search"), {"q": assessed[0].title, "grade": "A", "consent": "1"})
    recs = client.get(reverse("matching:recommendations"), {"grade": "A", "consent": "1"})
    refused = client.get(reverse("matching:search"), {"q": assessed[1].title, "grade": "B"})
    # then
    for page in (search, recs):
        html = page.content.decode()
        cards = html.count('data-testid="search-hit"') + html.count('data-testid="recommendation"')
        assert cards >= 1
        assert html.count('data-testid="value-grade">价值等级 A<') == cards
        assert html.count('data-testid="inventor-consent">发明人同意转化<') == cards
        assert 'name="grade" value="A" checked' in html
        assert 'data-testid="consent-filter" checked' in html
    assert 'data-testid="inventor-consent">发明人未同意转化<' in refused.content.decode()
    assert 'data-testid="active-filter" data-key="grade"' in search.content.decode()


def test_matched_enterprises_page_shows_the_grade_and_the_consent(client, officer, run, assessed):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("matching:patent_enterprises", args=[assessed[0].pk])).content.decode()
    # then
    assert 'data-testid="value-grade">价值等级 A<' in html
    assert 'data-testid="inventor-consent">发明人同意转化<' in html

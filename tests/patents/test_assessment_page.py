"""The value self-assessment page: the derived grade with its reasons, a settled grade that becomes the patent's
value_grade, an override that needs a note, only an own patent; audit-logged; a refused form writes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from core.errors import ApplicationError
from core.models import AuditLog
from patents.assessments import patent_assess
from patents.models import PatentAssessment
from patents.valuation import Indicators
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db
CLAIMS = "1.一种装置。2.如权利要求1所述。3.如权利要求1所述。4.如权利要求1所述。5.如权利要求1所述。"


@pytest.fixture
def patent(officer):
    return PatentFactory(
        institution=officer.institution, legal_status="valid", application_date=date(2020, 3, 1), claims=CLAIMS
    )


def _url(patent) -> str:
    return reverse("patents:manage_assessment", args=[patent.pk])


def test_saving_the_indicators_settles_the_derived_grade_on_the_patent(client, officer, patent):
    # given
    client.force_login(officer)
    # when: TRL 5 (+2), implemented (+2), 13 years left (+2), 5 claims (+1) = 7 → B
    response = client.post(
        _url(patent),
        {"trl": "5", "implemented": "yes", "inventor_consent": "yes", "consent_modes": ["licence", "assignment"]},
    )
    page = client.get(_url(patent))
    # then
    assert response.status_code == 302
    patent.refresh_from_db()
    assessment = PatentAssessment.objects.get(patent=patent)
    assert (assessment.derived_grade, assessment.grade, patent.value_grade) == ("B", "B", "B")
    assert assessment.consent_modes == ["assignment", "licence"]
    assert (assessment.inventor_consent, patent.inventor_consent) == (True, True)  # the cards read the patent's copy
    assert page.context["grading"].points == 7
    assert "技术成熟度 5 级" in page.content.decode()
    entry = AuditLog.objects.get(action="patent.assess")
    assert entry.detail == {"derived": "B", "grade": "B", "previous": "", "points": 7}


def test_a_changed_grade_needs_a_note_and_then_is_kept_with_it(client, officer, patent):
    # given
    client.force_login(officer)
    # when
    refused = client.post(_url(patent), {"trl": "5", "grade": "A"})
    accepted = client.post(_url(patent), {"trl": "5", "grade": "A", "note": "已与两家企业洽谈许可"})
    # then
    assert refused.status_code == 400
    assert "须写明说明" in refused.context["form"].non_field_errors()[0]
    assert accepted.status_code == 302
    assessment = PatentAssessment.objects.get(patent=patent)
    assert (assessment.derived_grade, assessment.grade, assessment.grade_note) == ("C", "A", "已与两家企业洽谈许可")
    patent.refresh_from_db()
    assert patent.value_grade == "A"


def test_a_refused_form_writes_nothing(client, officer, patent):
    # given
    client.force_login(officer)
    # when
    response = client.post(_url(patent), {"trl": "12", "consent_modes": ["gift"]})
    # then
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"trl", "consent_modes"}
    assert not PatentAssessment.objects.exists()
    patent.refresh_from_db()
    assert patent.value_grade == ""


def test_another_institutions_patent_is_not_found_and_the_service_refuses_it(client, other_officer, patent):
    # given
    client.force_login(other_officer)
    # when
    response = client.post(_url(patent), {"trl": "5"})
    # then
    assert response.status_code == 404
    with pytest.raises(ApplicationError, match="your own institution"):
        patent_assess(user=other_officer, patent=patent, indicators=Indicators(trl=5), consent_modes=[])
    assert not PatentAssessment.objects.exists()


def test_the_settled_grade_feeds_the_pools_grade_filter(client, officer, patent, enterprise_member):
    # given
    patent_assess(user=officer, patent=patent, indicators=Indicators(trl=8, implemented=True), consent_modes=[])
    client.force_login(enterprise_member)
    # when
    graded = client.get(reverse("patents:list"), {"value_grade": "B"})
    other = client.get(reverse("patents:list"), {"value_grade": "C"})
    # then: 3 + 2 + 2 + 1 = 8 → B
    assert [p.pk for p in graded.context["page"].object_list] == [patent.pk]
    assert list(other.context["page"].object_list) == []


def test_a_changed_consent_alone_reaches_the_patents_copy(client, officer, patent):
    # given an assessment whose inventor agreed
    client.force_login(officer)
    client.post(_url(patent), {"trl": "5", "inventor_consent": "yes"})
    patent.refresh_from_db()
    assert (patent.value_grade, patent.inventor_consent) == ("C", True)
    # when only the consent changes (the grade stays C)
    response = client.post(_url(patent), {"trl": "5", "inventor_consent": "no"})
    # then the patent's copy follows the assessment
    assert response.status_code == 302
    patent.refresh_from_db()
    assert PatentAssessment.objects.get(patent=patent).inventor_consent is False
    assert (patent.value_grade, patent.inventor_consent) == ("C", False)

"""load_demo's patent-page facts (demo.patentpage): assessments of the graded pooled patents with the inventor's
consent, and dated legal histories of the granted ones; a second load adds none."""

import pytest
from django.db.models import F
from django.utils import timezone

from demo.patentpage import patent_page_load
from patents.models import InventoryStatus, Patent, PatentAssessment, PatentLegalStatusChange

pytestmark = pytest.mark.django_db


def test_demo_assesses_the_graded_pool_and_dates_the_legal_histories(loaded_demo):
    # given
    graded = Patent.objects.filter(inventory_status=InventoryStatus.POOLED).exclude(value_grade="")
    granted = Patent.objects.filter(inventory_status=InventoryStatus.POOLED, grant_date__isnull=False)
    # then
    assert PatentAssessment.objects.count() == graded.count() > 0
    assert not PatentAssessment.objects.exclude(grade=F("patent__value_grade")).exists()
    consents = set(PatentAssessment.objects.values_list("inventor_consent", flat=True))
    assert consents == {True, False, None}
    # each patent carries its assessment's consent (what the cards and the consent filter read)
    for consent in (True, False):
        answered = PatentAssessment.objects.filter(inventor_consent=consent)
        assert not answered.exclude(patent__inventor_consent=consent).exists()
    assert not Patent.objects.filter(inventor_consent__isnull=False, assessment__inventor_consent=None).exists()
    assert PatentLegalStatusChange.objects.filter(to_status="valid").count() == granted.count()
    first = PatentLegalStatusChange.objects.select_related("patent").filter(to_status="valid").first()
    assert first is not None
    assert timezone.localtime(first.created_at).date() == first.patent.grant_date
    # when: loaded again
    again = patent_page_load(now=timezone.now())
    # then
    assert again == (0, 0)

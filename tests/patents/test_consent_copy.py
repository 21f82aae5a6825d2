"""Migration 0012 gives every assessed patent its assessment's inventor consent (the copy the cards and the consent
filter read; patents.assessments.assessment_write keeps it afterwards)."""

import importlib

import pytest
from django.apps import apps

from patents.models import Patent, PatentAssessment

copy_consent = importlib.import_module("patents.migrations.0012_patent_inventor_consent").copy_consent


@pytest.mark.django_db
def test_the_migration_copies_each_assessments_consent_to_its_patent(pooled_patents):
    # given assessments written before the copy existed: agreed, refused, no answer; and a patent with none
    agreed, refused, unanswered, unassessed = pooled_patents[:4]
    for patent, consent in ((agreed, True), (refused, False), (unanswered, None)):
        PatentAssessment.objects.create(patent=patent, derived_grade="C", grade="C", inventor_consent=consent)
    assert not Patent.objects.filter(inventor_consent__isnull=False).exists()
    # when
    copy_consent(apps, None)
    # then each patent carries its assessment's answer, and the others none
    copies = dict(
        Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[:4]]).values_list("pk", "inventor_consent")
    )
    assert copies == {agreed.pk: True, refused.pk: False, unanswered.pk: None, unassessed.pk: None}
    assert Patent.objects.filter(inventor_consent__isnull=False).count() == 2

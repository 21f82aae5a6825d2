"""load_demo --scale full: Hubei's size, the synthetic records recombined from the real ones under the demo's rules
(built here at a small fraction: --scale-factor)."""

import pytest
from django.core.management import call_command

from demo.synthetic import (
    HUBEI_ENTERPRISES,
    HUBEI_PATENTS,
    HUBEI_POOLED,
    synthetic_enterprise_count,
    synthetic_patent_counts,
)


def test_the_full_scale_reaches_hubeis_size():
    # given: the real records of the default demo
    real_patents, real_pooled, real_enterprises = 12906, 2676, 3000

    # when
    patents, pooled = synthetic_patent_counts(real_patents=real_patents, real_pooled=real_pooled)
    enterprises = synthetic_enterprise_count(real_enterprises=real_enterprises)

    # then
    assert (real_patents + patents, real_pooled + pooled, real_enterprises + enterprises) == (65_000, 45_000, 26_000)
    assert (HUBEI_PATENTS, HUBEI_POOLED, HUBEI_ENTERPRISES) == (65_000, 45_000, 26_000)
    assert synthetic_patent_counts(real_patents=real_patents, real_pooled=real_pooled, factor=0.01) == (521, 423)


def _synthetic_names() -> list[str]:
    from demo.sources import real_enterprise_rows
    from enterprises.models import Enterprise

    real = {row.uscc for row in real_enterprise_rows()}
    return [name for name, uscc in Enterprise.objects.values_list("name", "uscc") if uscc not in real]


@pytest.mark.django_db
def test_full_scale_records_follow_the_demo_rules():
    from common.validators import validate_uscc
    from dashboards.concordance import industry_counts
    from dashboards.services import concordance_seed
    from demo.services import demo_load
    from demo.titles import title_junk_reason
    from enterprises.models import DockingRequest, Enterprise, PatentFollow, TechNeed
    from enterprises.services.docking_contact import docking_contact_check
    from patents.forms import PatentTermsForm
    from patents.models import Patent
    from patents.services import patent_terms_clean

    # given: the default demo, as `make run` leaves it
    concordance_seed()
    demo_load(password="Demo-pass-2026")

    # when
    call_command("load_demo", "--scale", "full", "--scale-factor", "0.01", verbosity=0)

    # then: the real records, and 1 % of the synthetic ones Hubei's size needs
    synthetic = Patent.objects.filter(internal_notes__startswith="演示数据（合成）")
    assert Patent.objects.count() == 12906 + 521
    assert synthetic.count() == 521
    assert synthetic.filter(inventory_status="pooled").count() == 423
    assert Patent.objects.filter(inventory_status="pooled").count() == 2676 + 423
    assert Enterprise.objects.count() == 3000 + 230
    assert not Patent.objects.filter(is_demo=False).exists()
    assert not Enterprise.objects.filter(is_demo=False).exists()
    # every synthetic patent says where it comes from and keeps the rules of the real ones
    pooled = list(Patent.objects.filter(inventory_status="pooled"))
    assert all(p.abstract for p in pooled)
    assert [t for t in Patent.objects.values_list("title", flat=True) if title_junk_reason(t)] == []
    assert [t for t in TechNeed.objects.values_list("title", flat=True) if title_junk_reason(t)] == []
    for patent in synthetic:
        assert "取自" in patent.internal_notes
        assert (patent.claims, patent.publication_number) == ("", "")
    for patent in pooled:
        form = PatentTermsForm(data=PatentTermsForm.initial_for(patent))
        assert form.is_valid(), (patent.application_number, form.errors)
        patent_terms_clean(**form.cleaned_data)
    counts = industry_counts(Patent.objects.all())
    assert counts["0"] <= 0.2 * sum(counts.values())
    # synthetic enterprises: valid and unique codes and names, each with a contact
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert all(validate_uscc(code).ok for code in codes)
    assert len(set(codes)) == len(codes)
    assert Enterprise.objects.values("name").distinct().count() == len(codes)
    assert not Enterprise.objects.filter(contact_phone="").exists()
    # the new enterprises follow and dock too, never before a patent or an enterprise reached the platform
    assert PatentFollow.objects.filter(enterprise__name__in=_synthetic_names()).exists()
    for follow in PatentFollow.objects.select_related("patent", "enterprise"):
        assert follow.patent.created_at < follow.created_at
        assert follow.enterprise.created_at < follow.created_at
    for docking in DockingRequest.objects.select_related("patent", "enterprise"):
        assert docking.patent.created_at < docking.submitted_at
        assert docking.enterprise.created_at < docking.submitted_at
        docking_contact_check(
            values={
                "contact_name": docking.contact_name,
                "contact_phone": docking.contact_phone,
                "contact_email": docking.contact_email,
            }
        )

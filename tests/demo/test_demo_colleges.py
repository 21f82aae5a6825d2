"""The demo's colleges and holdings: the two officers' universities have schools holding their patents by IPC
section, and most institutions report a holding that puts their 盘点率 between 40 % and 98 %."""

import pytest
from django.utils import timezone

from demo.colleges import DEMO_COLLEGES, colleges_load, holdings_load
from patents.models import College, Institution, Patent
from patents.selectors import inventory_rates

pytestmark = pytest.mark.django_db


def test_the_officers_universities_have_schools_holding_their_patents(loaded_demo):
    # then: every demo patent of HUST with an IPC section is in the school of that section
    for moe_code, by_section in DEMO_COLLEGES.items():
        institution = Institution.objects.get(moe_code=moe_code)
        assert set(College.objects.filter(institution=institution).values_list("name", flat=True)) == set(
            by_section.values()
        )
        patents = Patent.objects.filter(institution=institution).exclude(ipc_section="")
        assert patents.exists()
        for section, college in patents.values_list("ipc_section", "college__name").distinct():
            assert college == by_section[section]
    assert loaded_demo.colleges == len({(m, n) for m, s in DEMO_COLLEGES.items() for n in s.values()})


def test_most_institutions_report_a_holding_with_a_believable_rate(loaded_demo):
    # when
    rates = inventory_rates(institutions=Institution.objects.filter(city__province_id="42"))
    # then
    reported = [r for r in rates if r.held is not None]
    with_patents = [r for r in rates if r.inventoried]
    assert loaded_demo.holdings == len(reported)
    assert len(with_patents) > len(reported) >= 0.7 * len(with_patents)  # one in seven reports nothing
    assert all(0.40 <= r.rate <= 0.98 for r in reported if r.rate is not None)


def test_a_second_load_adds_no_college_and_no_holding(loaded_demo):
    # when
    colleges, holdings = colleges_load(), holdings_load(today=timezone.localdate())
    # then
    assert (colleges, holdings) == (0, 0)

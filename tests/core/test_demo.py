"""load_demo: believable, deterministic, idempotent; built only from files inside the repo."""

import csv

import pytest

from core.demo import DEMO_DIR, application_number_make, demo_load
from enterprises.models import Enterprise
from patents.models import Institution, Patent


def _rows(*parts: str) -> int:
    with (DEMO_DIR.joinpath(*parts)).open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_generated_application_numbers_carry_a_valid_check_digit():
    # 201910209152.5 is a real number (CN109918572B): the generator must reproduce its check digit
    assert application_number_make(year=2019, type_digit=1, serial=209152) == "201910209152.5"
    assert application_number_make(year=2020, type_digit=1, serial=1355629) == "202011355629.X"


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing():
    # when
    first = demo_load(password="Demo-pass-2026")
    second = demo_load(password="Demo-pass-2026")
    # then
    expected_patents = (
        _rows("kppatent-zh", "patents_full.csv")
        + _rows("kppatent-zh", "patents_abstracts.csv")
        + _rows("cn-patent-ipc", "titles_ipc.csv")
    )
    assert first.patents == expected_patents == 13460
    assert first.enterprises == 3000
    assert (second.institutions, second.patents, second.enterprises, second.needs) == (0, 0, 0, 0)
    assert Patent.objects.count() == 13460
    assert Patent.objects.filter(is_demo=False).count() == 0
    assert Enterprise.objects.filter(is_demo=True).count() == 3000
    assert Institution.objects.filter(city__province_id="42").count() == first.institutions
    assert [u[0] for u in second.users] == ["officer", "officer_whu", "enterprise", "bureau", "bureau_wuhan", "admin"]
    # 664 of the 696 full-text patents carry claims in the source file (32 have none)
    assert Patent.objects.filter(claims__gt="").count() == 664

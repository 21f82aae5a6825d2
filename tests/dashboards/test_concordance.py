"""Deriving a patent's strategic-emerging-industry category from its IPC codes through the concordance table."""

import pytest
from django.core.exceptions import ValidationError

from dashboards.models import UNCLASSIFIED, IpcIndustryMapping
from dashboards.selectors import (
    DashboardFilters,
    concordance_table,
    dashboard_figures,
    dashboard_scope_for,
    industry_for_code,
    patent_industry,
    patents_in_industry,
)
from patents.models import Patent

pytestmark = pytest.mark.django_db

TABLE = {"G06F": "1", "H01L": "1", "H01L31/": "6", "B23": "2", "B60K6/": "5"}


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("G06F", "1"),
        ("G06F 16/35", "1"),
        ("g06f16/35", "1"),
        ("H01L 21/02", "1"),
        ("H01L31/0224", "6"),  # the longer prefix wins
        ("H01L 31", "6"),  # a main group without '/' is read as 'H01L31/'
        ("B23Q 3/06", "2"),  # a class prefix covers its subclasses
        ("B60K 6/20", "5"),
        ("B60K 61/00", UNCLASSIFIED),  # 'B60K6/' must not match group 61
        ("A47J", UNCLASSIFIED),
        ("", UNCLASSIFIED),
    ],
)
def test_industry_for_code(code, category):
    # when
    derived = industry_for_code(code=code, table=TABLE)

    # then
    assert derived == category


def test_patent_industry_falls_back_to_the_first_code(institution):
    # given
    with_main = Patent(ipc_main="H02J 3/38", ipc_codes=["G06F"], institution=institution)
    without_main = Patent(ipc_main="", ipc_codes=["F03D", "G01M"], institution=institution)
    without_any = Patent(ipc_main="", ipc_codes=[], institution=institution)
    table = {"H02J": "6", "F03D": "6", "G06F": "1"}

    # when
    derived = [patent_industry(patent=p, table=table) for p in (with_main, without_main, without_any)]

    # then
    assert derived == ["6", "6", UNCLASSIFIED]


def test_starter_mapping_is_seeded(concordance):
    # when
    table = concordance_table()

    # then
    assert table["G06F"] == "1"
    assert table["B25J"] == "2"
    assert table["C08"] == "3"
    assert table["A61"] == "4"
    assert table["H01M"] == "5"
    assert table["H02J"] == "6"
    assert table["C02F"] == "7"
    assert table["H01L31/"] == "6"
    assert len(table) == IpcIndustryMapping.objects.count() >= 100


def test_chart_counts_equal_per_patent_derivation(demo, bureau):
    # given
    table = concordance_table()
    expected = {}
    for patent in Patent.objects.all():
        category = patent_industry(patent=patent, table=table)
        expected[category] = expected.get(category, 0) + 1

    # when
    figures = dashboard_figures(scope=dashboard_scope_for(user=bureau), filters=DashboardFilters())

    # then
    assert {r["code"]: r["count"] for r in figures["industries"] if r["count"]} == expected
    assert expected == {"1": 2, "2": 2, "3": 1, "4": 1, "5": 2, "6": 3, "7": 1, UNCLASSIFIED: 3}


def test_drill_down_by_industry_equals_derivation(demo):
    # given
    table = concordance_table()

    for category in ["1", "2", "5", "6", UNCLASSIFIED]:
        # when
        titles = set(
            patents_in_industry(patents=Patent.objects.all(), category=category).values_list("title", flat=True)
        )

        # then
        assert titles == {p.title for p in Patent.objects.all() if patent_industry(patent=p, table=table) == category}


def test_editing_the_table_changes_the_derivation(demo, bureau):
    # given
    IpcIndustryMapping.objects.create(ipc_prefix="F03B", category="6", note="水力发电")

    # when
    figures = dashboard_figures(scope=dashboard_scope_for(user=bureau), filters=DashboardFilters())

    # then
    assert {r["code"]: r["count"] for r in figures["industries"]}["6"] == 4


@pytest.mark.parametrize(("raw", "normalized"), [("a47j", "A47J"), ("A47L 5", "A47L5/"), ("E04", "E04")])
def test_mapping_clean_normalizes(raw, normalized):
    # given
    mapping = IpcIndustryMapping(ipc_prefix=raw, category="1")

    # when
    mapping.full_clean()

    # then
    assert mapping.ipc_prefix == normalized


def test_mapping_clean_rejects_a_non_ipc_prefix():
    # given
    mapping = IpcIndustryMapping(ipc_prefix="XYZ", category="1")

    # when / then
    with pytest.raises(ValidationError) as error:
        mapping.full_clean()
    assert list(error.value.message_dict) == ["ipc_prefix"]
    assert IpcIndustryMapping.objects.filter(ipc_prefix="XYZ").count() == 0


def _additions() -> list[dict[str, str]]:
    import csv

    from dashboards.services import DATA_DIR

    with (DATA_DIR / "ipc_sei_concordance_2021_additions.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_added_row_names_its_source():
    import re

    # when
    rows = _additions()

    # then: a branch of the 2021 参照关系表, or the platform's own judgement — said in the source column and the note
    assert len(rows) == 63
    for row in rows:
        branch = re.fullmatch(r"CNIPA-2021 (\d(?:\.\d){1,2})", row["source"])
        assert branch or row["source"] == "judgement", row
        assert row["note"].endswith(f"〔参照表2021 {branch[1]}〕" if branch else "〔本平台判断〕"), row
        assert row["category"] in {"1", "2", "3", "4", "5", "6", "7", "8", "9"}, row


@pytest.mark.django_db
def test_the_2021_additions_migration_adds_its_rows_and_removes_only_them():
    import importlib

    from django.apps import apps

    # given: an administrator's own row for one of the prefixes
    migration = importlib.import_module("dashboards.migrations.0003_seed_concordance_2021_additions")
    IpcIndustryMapping.objects.all().delete()
    IpcIndustryMapping.objects.create(ipc_prefix="F21", category="1", note="管理员自定")

    # when
    migration.seed(apps, None)

    # then: every other row added as the file says, the administrator's kept
    table = concordance_table()
    assert len(table) == 63
    assert table["F21"] == "1"
    assert {row["ipc_prefix"]: row["category"] for row in _additions() if row["ipc_prefix"] != "F21"}.items() <= (
        table.items()
    )

    # when: migrating back
    migration.unseed(apps, None)

    # then
    assert list(IpcIndustryMapping.objects.values_list("ipc_prefix", "note")) == [("F21", "管理员自定")]

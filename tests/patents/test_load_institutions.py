"""load_institutions: the province's universities from the shipped MOE list, institutes from a file; idempotent,
all-or-nothing, every bad row reported in both languages."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import City
from patents.institutions import MOE_LIST, institutes_load_file, institutions_load_moe
from patents.models import Institution, Patent
from tests.patents.conftest import to_csv

pytestmark = pytest.mark.django_db


def _hubei_rows(*levels: str) -> list[dict[str, str]]:
    # read with the csv module directly, not through the code under test
    with Path(MOE_LIST).open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["code"][2:4] == "42" and (not levels or r["level"] in levels)]


def _institutes_file(tmp_path: Path, lines: list[str], *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "institutes.csv"
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def test_a_new_database_gets_the_provinces_universities_and_a_second_run_changes_nothing(capsys):
    # given
    expected = _hubei_rows()
    assert Institution.objects.count() == 0
    # when
    call_command("load_institutions")
    first = capsys.readouterr().out
    call_command("load_institutions")
    second = capsys.readouterr().out
    # then
    assert Institution.objects.count() == len(expected) == 130
    assert set(Institution.objects.values_list("moe_code", flat=True)) == {r["code"] for r in expected}
    assert f"新增/created {len(expected)}, 更新/updated 0, 未变化/unchanged 0" in first
    assert f"新增/created 0, 更新/updated 0, 未变化/unchanged {len(expected)}" in second
    whu = Institution.objects.get(moe_code="4142010486")
    assert (whu.name, whu.city_id, whu.authority, whu.kind) == ("武汉大学", "4201", "教育部", "university")


def test_every_university_lands_in_the_city_the_list_names():
    # when
    institutions_load_moe(province_code="42")
    # then: the list's 所在地 names the city, or one of the counties the province administers directly
    for row in _hubei_rows():
        city = Institution.objects.select_related("city").get(moe_code=row["code"]).city
        location = row["location"]
        direct = location in {"仙桃市", "潜江市", "天门市"} and city.name == "省直辖县级行政区划"
        assert city.name.startswith(location.rstrip("市州")[:2]) or direct, (
            row["cn_name"],
            location,
            city.name,
        )


def test_level_restricts_to_undergraduate_universities():
    # when
    call_command("load_institutions", "--level", "本科")
    # then
    assert Institution.objects.count() == len(_hubei_rows("本科"))
    assert Institution.objects.count() < len(_hubei_rows())


def test_an_inventory_imports_by_moe_code_once_the_list_is_loaded(rows, tmp_path, capsys):
    # given: a fresh database answers "no institution matches"
    inventory = tmp_path / "inventory.csv"
    inventory.write_bytes(to_csv(rows))
    with pytest.raises(CommandError, match="no institution matches"):
        call_command("import_patents", str(inventory), "--institution", "4142010486")
    # when
    call_command("load_institutions")
    call_command("import_patents", str(inventory), "--institution", "4142010486")
    # then
    assert Patent.objects.filter(institution__moe_code="4142010486").count() == len(rows)


def test_a_university_typed_in_by_name_gets_its_code_and_is_not_duplicated():
    # given: an administrator typed 武汉大学 into the admin without a code, in the wrong city
    typed = Institution.objects.create(name="武汉大学", city=City.objects.get(code="4202"))
    # when
    load = institutions_load_moe(province_code="42")
    # then
    typed.refresh_from_db()
    assert (typed.moe_code, typed.city_id, typed.english_name) == ("4142010486", "4201", "Wuhan University")
    assert load.updated == ["武汉大学"]
    assert Institution.objects.filter(name="武汉大学").count() == 1


def test_a_name_held_by_another_code_stops_the_load_and_writes_nothing():
    # given: 武汉大学's name on an institution with another code
    Institution.objects.create(name="武汉大学", moe_code="4142099999", city=City.objects.get(code="4201"))
    # when
    load = institutions_load_moe(province_code="42")
    # then
    assert load.created == []
    assert not load.written
    assert len(load.errors) == 1
    assert "4142099999" in load.errors[0]
    assert "武汉大学" in load.errors[0]
    assert Institution.objects.count() == 1


def test_dry_run_reports_and_writes_nothing(capsys):
    # when
    call_command("load_institutions", "--dry-run")
    # then
    out = capsys.readouterr().out
    assert "新增/created 130" in out
    assert "dry run, nothing written" in out
    assert Institution.objects.count() == 0


def test_institutes_come_from_a_gbk_file_and_a_second_run_updates_only_what_changed(tmp_path):
    # given
    path = _institutes_file(
        tmp_path,
        ["名称,城市,主管部门", "中国科学院武汉病毒研究所,武汉市,中国科学院", "湖北省农业科学院,武汉,湖北省人民政府"],
        encoding="gbk",
    )
    # when
    first = institutes_load_file(data=path, filename=path.name, province_code="42")
    path.write_bytes("名称,城市\n中国科学院武汉病毒研究所,宜昌\n湖北省农业科学院,武汉市\n".encode("gbk"))
    second = institutes_load_file(data=path, filename=path.name, province_code="42")
    # then
    assert first.created == ["中国科学院武汉病毒研究所", "湖北省农业科学院"]
    assert first.errors == []
    assert (second.created, second.updated, second.unchanged) == ([], ["中国科学院武汉病毒研究所"], 1)
    virus = Institution.objects.get(name="中国科学院武汉病毒研究所")
    # a column the second file lacks keeps its value
    assert (virus.kind, virus.city_id, virus.authority, virus.moe_code) == ("institute", "4205", "中国科学院", None)


def test_a_bad_institutes_file_reports_every_row_in_both_languages_and_writes_nothing(tmp_path):
    # given
    path = _institutes_file(
        tmp_path,
        ["名称,城市", "湖北省农业科学院,武汉市", ",武汉市", "某研究所,长沙市", "湖北省农业科学院,宜昌市"]
        + ["另一研究所,"],
    )
    # when
    load = institutes_load_file(data=path, filename=path.name, province_code="42")
    # then
    assert load.errors == [
        "第3行 名称: 不能为空 / Row 3, name: required",
        "第4行 城市: 「长沙市」不是本省的城市 / Row 4, city: “长沙市” is not a city of this province",
        "第5行 名称: 「湖北省农业科学院」与第2行重复 / Row 5, name: “湖北省农业科学院” repeats row 2",
        "第6行 城市: 不能为空 / Row 6, city: required",
    ]
    assert Institution.objects.count() == 0


def test_an_institutes_file_cannot_rewrite_a_university(tmp_path):
    # given
    institutions_load_moe(province_code="42", levels=["本科"])
    path = _institutes_file(tmp_path, ["名称,城市", "武汉大学,宜昌市"])
    # when
    load = institutes_load_file(data=path, filename=path.name, province_code="42")
    # then
    assert load.errors == [
        "第2行 名称: 「武汉大学」已登记为高校，不能作为科研院所更新 / Row 2, name: “武汉大学” is registered as a "
        "university and cannot be updated as an institute"
    ]
    assert Institution.objects.get(name="武汉大学").city_id == "4201"


def test_a_file_without_the_required_columns_is_refused(tmp_path):
    # given
    path = _institutes_file(tmp_path, ["单位,地址", "湖北省农业科学院,武汉市"])
    # when
    load = institutes_load_file(data=path, filename=path.name, province_code="42")
    # then
    assert load.errors == ["缺少必填列：名称、城市 / required columns missing: name, city"]


def test_the_command_exits_non_zero_with_a_bad_file_and_loads_no_university_either(tmp_path, capsys):
    # given
    path = _institutes_file(tmp_path, ["名称,城市", "某研究所,长沙市"])
    # when
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_institutions", "--institutes", str(path))
    # then
    assert "第2行 城市" in capsys.readouterr().err
    assert Institution.objects.count() == 0

"""Colleges (学院/院系): loaded from a file per institution, named in the inventory's 所属学院 column."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from imports.services import import_job_create, import_job_execute
from imports.validation import ImportContext
from patents.importers import PatentImportSchema
from patents.institutions import colleges_load_file
from patents.models import College, Patent
from tests.patents.conftest import to_csv

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def _import(officer, rows: list[dict[str, str]], *, valid_rows_only: bool = False):
    job = import_job_create(
        kind="patents",
        user=officer,
        content=to_csv(rows),
        filename="inventory.csv",
        valid_rows_only=valid_rows_only,
        institution=officer.institution,
    )
    context = ImportContext(user=officer, institution=officer.institution, today=TODAY)
    return import_job_execute(job=job, schema=PatentImportSchema(), context=context)


def _colleges_file(tmp_path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "colleges.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_colleges_load_from_a_gbk_file_and_a_second_run_only_updates_codes(institution, tmp_path):
    # given
    path = _colleges_file(tmp_path, "学院名称,学院代码\n计算机学院,08\n化学与分子科学学院,03\n", encoding="gbk")
    # when
    first = colleges_load_file(data=path, filename=path.name, institution=institution)
    path.write_bytes("院系,代码\n计算机学院,080\n化学与分子科学学院,03\n".encode("gbk"))
    second = colleges_load_file(data=path, filename=path.name, institution=institution)
    # then
    assert first.created == ["计算机学院", "化学与分子科学学院"]
    assert (second.created, second.updated, second.unchanged) == ([], ["计算机学院"], 1)
    assert dict(College.objects.filter(institution=institution).values_list("name", "code")) == {
        "计算机学院": "080",
        "化学与分子科学学院": "03",
    }


def test_a_bad_colleges_file_reports_each_row_and_writes_nothing(institution, tmp_path):
    # given
    path = _colleges_file(tmp_path, "学院名称,学院代码\n计算机学院,08\n,09\n计算机学院,10\n" + "长" * 65 + ",11\n")
    # when
    load = colleges_load_file(data=path, filename=path.name, institution=institution)
    # then
    assert load.errors == [
        "第3行 学院名称: 不能为空 / Row 3, college name: required",
        "第4行 学院名称: 「计算机学院」与第2行重复 / Row 4, college name: “计算机学院” repeats row 2",
        "第5行 学院名称: 超过 64 字 / Row 5, college name: longer than 64 characters",
    ]
    assert College.objects.count() == 0


def test_the_command_loads_a_universitys_colleges_right_after_the_list(tmp_path, capsys):
    # given
    path = _colleges_file(tmp_path, "学院名称\n计算机学院\n")
    # when
    call_command("load_institutions", "--colleges", str(path), "--institution", "4142010486")
    # then
    assert list(College.objects.values_list("institution__name", "name")) == [("武汉大学", "计算机学院")]
    assert "武汉大学 学院 / colleges (colleges.csv): 新增/created 1" in capsys.readouterr().out


def test_the_inventory_files_each_patent_under_its_college(officer, rows):
    # given
    College.objects.create(institution=officer.institution, name="计算机学院")
    College.objects.create(institution=officer.institution, name="电气与自动化学院")
    for index, row in enumerate(rows):
        row["所属学院"] = ["计算机学院", "电气与自动化学院", ""][index % 3]
    # when
    job = _import(officer, rows)
    # then
    assert job.status == "done"
    counts = {name: Patent.objects.filter(college__name=name).count() for name in ("计算机学院", "电气与自动化学院")}
    assert counts == {"计算机学院": 4, "电气与自动化学院": 3}
    assert Patent.objects.filter(college__isnull=True).count() == 3


def test_an_unregistered_college_is_an_error_once_the_institution_has_colleges(officer, rows):
    # given
    College.objects.create(institution=officer.institution, name="计算机学院")
    rows[0]["所属学院"] = "计算机系"
    for row in rows[1:]:
        row["所属学院"] = "计算机学院"
    # when
    job = _import(officer, rows, valid_rows_only=True)
    # then
    assert [(e["line"], e["field"], e["code"]) for e in job.errors] == [(2, "college", "unknown_college")]
    assert "不是本单位登记的学院" in job.errors[0]["message"]
    assert "not a registered college" in job.errors[0]["message"]
    assert Patent.objects.count() == 9
    assert Patent.objects.filter(college__name="计算机学院").count() == 9


def test_without_registered_colleges_the_column_is_a_warning_and_the_rows_import(officer, rows):
    # given
    for row in rows:
        row["学院"] = "计算机学院"
    # when
    job = _import(officer, rows)
    # then
    assert job.errors == []
    no_colleges = [w for w in job.warnings if w["code"] == "warn:no_colleges"]
    assert [w["line"] for w in no_colleges] == list(range(2, 12))
    assert "本单位尚未登记学院，此列未导入" in no_colleges[0]["message"]
    assert Patent.objects.count() == 10
    assert Patent.objects.filter(college__isnull=False).count() == 0


def test_a_file_without_the_column_keeps_colleges_and_reimports_as_unchanged(officer, rows):
    # given: an inventory imported before colleges, then one patent filed under a college by hand
    _import(officer, rows)
    college = College.objects.create(institution=officer.institution, name="计算机学院")
    Patent.objects.filter(pk=Patent.objects.first().pk).update(college=college)
    # when
    job = _import(officer, rows)
    # then
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 10)
    assert Patent.objects.filter(college=college).count() == 1

"""A college admin's inventory import is forced to their college: every row is filed under it, rows of another
college and pooling in the file are refused."""

from datetime import date

import pytest

from imports.services import import_job_create, import_job_execute
from imports.validation import ImportContext
from patents.importers import PatentImportSchema
from patents.models import Patent
from tests.enterprises.factories import PatentFactory
from tests.patents.conftest import to_csv

pytestmark = pytest.mark.django_db


def _import(user, rows, *, valid_rows_only: bool = False):
    job = import_job_create(
        kind="patents",
        user=user,
        content=to_csv(rows),
        filename="inventory.csv",
        valid_rows_only=valid_rows_only,
        institution=user.institution,
    )
    context = ImportContext(user=user, institution=user.institution, today=date(2026, 11, 25))
    return import_job_execute(job=job, schema=PatentImportSchema(), context=context)


def test_every_row_of_a_college_admins_file_is_filed_under_their_college(college_admin, college, other_college, rows):
    # given: the file names no college
    # when
    job = _import(college_admin, rows)
    # then
    assert job.status == "done"
    assert Patent.objects.count() == 10
    assert set(Patent.objects.values_list("college_id", flat=True)) == {college.pk}


def test_rows_of_another_college_and_pooling_are_refused(college_admin, other_college, institution, rows):
    # given: row 2 names another college, row 3 is already registered under it, row 4 pools
    rows[0]["所属学院"] = other_college.name
    PatentFactory(
        institution=institution,
        college=other_college,
        application_number=rows[1]["申请号"].removeprefix("CN"),
        inventory_status="inventoried",
    )
    for row in rows:
        row["入库状态"] = "已盘点"
    rows[2]["入库状态"] = "已入库"
    # when
    job = _import(college_admin, rows, valid_rows_only=True)
    # then
    assert sorted((e["line"], e["code"]) for e in job.errors) == [
        (2, "other_college"),
        (3, "other_college"),
        (4, "college_cannot_pool"),
    ]
    assert "学院管理员只能导入本学院的专利" in next(e["message"] for e in job.errors if e["line"] == 2)
    assert Patent.objects.filter(college=other_college).count() == 1  # the registered one, untouched
    assert Patent.objects.filter(inventory_status="pooled").count() == 0

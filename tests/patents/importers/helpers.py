"""Running a patent inventory import end to end, as the import tests do."""

from datetime import date

from imports.models import ImportJob
from imports.services import import_job_create, import_job_execute
from imports.validation import ImportContext
from patents.importers import PatentImportSchema

TODAY = date(2026, 11, 25)


def run_import(officer, content: bytes, filename: str = "inventory.csv", valid_rows_only: bool = False) -> ImportJob:
    job = import_job_create(
        kind="patents",
        user=officer,
        content=content,
        filename=filename,
        valid_rows_only=valid_rows_only,
        institution=officer.institution,
    )
    return import_job_execute(
        job=job,
        schema=PatentImportSchema(),
        context=ImportContext(user=officer, institution=officer.institution, today=TODAY),
    )

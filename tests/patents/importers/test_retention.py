"""Retention: rejected uploads and rejected-rows files are deleted, the job row stays."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob
from imports.selectors import import_job_summary
from imports.tasks import import_files_purge_task
from tests.patents.conftest import to_csv
from tests.patents.importers.helpers import run_import

pytestmark = pytest.mark.django_db


def _finished_days_ago(job: ImportJob, days: int) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=days))
    job.refresh_from_db()
    return job


def test_rejected_upload_and_its_rejected_rows_are_deleted_after_the_retention_period(officer, rows, settings):
    # given: two rejected jobs, one past the 30-day retention and one still inside it
    settings.IMPORT_FILE_RETENTION_DAYS = 30
    rows[2]["申请号"] = "CN202121635235.3"
    old = _finished_days_ago(run_import(officer, to_csv(rows)), 31)
    recent = _finished_days_ago(run_import(officer, to_csv(rows)), 29)
    old_paths = [Path(old.file.path), Path(old.rejected_file.path)]
    assert [path.exists() for path in old_paths] == [True, True]
    # when
    call_command("purge_import_files", stdout=io.StringIO())
    # then
    old.refresh_from_db()
    recent.refresh_from_db()
    assert [path.exists() for path in old_paths] == [False, False]
    assert (old.file.name, old.rejected_file.name) == ("", "")
    assert (old.status, old.total_rows, old.rejected_count, old.error_total) == ("rejected", 10, 1, 1)
    assert old.files_removed_at is not None
    day = timezone.localdate().isoformat()
    assert import_job_summary(job=old)["files_note"] == (
        f"上传的文件及其错误行文件已于 {day} 按 30 天的保留期限删除，统计数字保留 / the uploaded file and its "
        f"rejected-rows file were deleted on {day} after the 30-day retention period; the figures are kept"
    )
    assert (import_job_summary(job=old)["files_removed"], import_job_summary(job=old)["has_rejected_file"]) == (
        True,
        False,
    )
    assert Path(recent.file.path).exists()
    assert Path(recent.rejected_file.path).exists()
    assert recent.files_removed_at is None


def test_written_job_keeps_its_upload_but_loses_its_rejected_rows(officer, rows):
    # given: valid rows only, one rejected row, finished 40 days ago
    rows[2]["申请号"] = "CN202121635235.3"
    job = _finished_days_ago(run_import(officer, to_csv(rows), valid_rows_only=True), 40)
    upload, rejected = Path(job.file.path), Path(job.rejected_file.path)
    # when: the daily beat task
    purged = import_files_purge_task()
    # then
    job.refresh_from_db()
    assert purged == 1
    assert upload.exists()
    assert not rejected.exists()
    assert (job.status, job.created_count, job.rejected_file.name) == ("done", 9, "")
    assert import_job_summary(job=job)["files_note"].startswith("错误行文件已于 ")
    assert import_files_purge_task() == 0  # nothing left to do


def test_rejected_rows_download_is_gone_after_the_purge_and_the_job_page_says_why(client, officer, rows):
    # given
    rows[2]["申请号"] = "CN202121635235.3"
    job = _finished_days_ago(run_import(officer, to_csv(rows)), 31)
    import_files_purge_task()
    client.force_login(officer)
    # when
    page = client.get(reverse("patents:import_job", args=[job.pk]))
    download = client.get(reverse("patents:import_rejected", args=[job.pk]))
    # then
    assert "按 30 天的保留期限删除" in page.content.decode()
    assert download.status_code == 404


def test_purge_runs_daily_from_beat():
    # given / when / then
    assert settings.CELERY_BEAT_SCHEDULE["import-files-purge"]["task"] == "core.import_files_purge_task"

"""A previewed import left unconfirmed expires after IMPORT_CONFIRM_HOURS: its upload is deleted, nothing is written,
and a late confirmation (page or API) is refused with a message that says so."""

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
from imports.tasks import import_jobs_expire_task
from patent_platform.celery import app as celery_app
from patents.models import Patent
from tests.patents.pages.helpers import CAMERA, DRONE_BOX, messages_of, sample_csv, upload

pytestmark = pytest.mark.django_db
EXPIRED_MESSAGE = (
    "该导入超过 24 小时未确认，已自动作废，未写入任何数据；请重新上传文件 / "
    "this import was not confirmed within 24 hours and has expired; nothing was written — upload the file again"
)


@pytest.fixture
def client(committing_client):
    """The test client here runs the on-commit callbacks of its POSTs (the queued preview and write), as a committed
    request would."""
    return committing_client


def _previewed(client, officer, *, hours_ago: float) -> ImportJob:
    """A patent import uploaded (and previewed) `hours_ago` hours ago, waiting for its confirmation."""
    client.force_login(officer)
    upload(client, sample_csv([DRONE_BOX, CAMERA]))
    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None
    assert job.status == "previewed"
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    job.refresh_from_db()
    return job


def test_a_preview_unconfirmed_for_more_than_a_day_expires_and_its_upload_is_deleted(client, officer):
    # given: one preview 25 hours old, one 23 hours old
    old = _previewed(client, officer, hours_ago=25)
    recent = _previewed(client, officer, hours_ago=23)
    old_upload, recent_upload = Path(old.file.path), Path(recent.file.path)
    # when: the hourly beat task
    expired = import_jobs_expire_task()
    # then
    old.refresh_from_db()
    recent.refresh_from_db()
    assert expired == 1
    assert (old.status, old.file.name, old.message) == ("expired", "", EXPIRED_MESSAGE)
    assert old.finished_at is not None
    assert old.files_removed_at == old.finished_at
    assert not old_upload.exists()
    assert (recent.status, recent.files_removed_at) == ("previewed", None)
    assert recent_upload.exists()
    assert Patent.objects.count() == 0
    day = timezone.localdate().isoformat()
    summary = import_job_summary(job=old)
    assert (summary["status"], summary["status_display"], summary["files_removed"]) == ("expired", "已过期作废", True)
    assert summary["files_note"] == (
        f"上传的文件已于 {day} 随导入作废删除 / the uploaded file was deleted on {day} when the import expired"
    )
    assert import_jobs_expire_task() == 0  # nothing left to do


def test_the_confirmation_window_is_configurable(client, officer, settings):
    # given: a 2-hour window; a preview 3 hours old
    settings.IMPORT_CONFIRM_HOURS = 2
    job = _previewed(client, officer, hours_ago=3)
    # when
    expired = import_jobs_expire_task()
    # then
    job.refresh_from_db()
    assert (expired, job.status) == (1, "expired")
    assert job.message.startswith("该导入超过 2 小时未确认")


def test_confirming_an_expired_job_on_the_page_says_so_and_writes_nothing(client, officer):
    # given
    job = _previewed(client, officer, hours_ago=30)
    import_jobs_expire_task()
    # when
    response = client.post(reverse("patents:import_start", args=[job.pk]), follow=True)
    # then
    job.refresh_from_db()
    assert messages_of(response) == [EXPIRED_MESSAGE]
    assert job.status == "expired"
    assert Patent.objects.count() == 0
    html = response.content.decode()
    assert 'data-testid="import-expired"' in html
    assert "该导入未在规定时间内确认，已自动作废，未写入任何数据。请重新上传文件。" in html
    assert 'data-testid="reupload"' in html
    assert 'data-testid="confirm-import"' not in html


def test_a_late_confirmation_before_the_sweep_expires_the_job_at_once_api_409(client, officer, client_for):
    # given: past the deadline, the hourly sweep has not run yet
    job = _previewed(client, officer, hours_ago=24.5)
    stored = Path(job.file.path)
    # when
    response = client_for(officer).post(reverse("api-import-job-start", args=[job.pk]))
    # then
    job.refresh_from_db()
    assert response.status_code == 409
    assert response.json() == {
        "error": {"code": "conflict", "message": EXPIRED_MESSAGE, "details": {"status": "expired"}}
    }
    assert (job.status, job.file.name) == ("expired", "")
    assert not stored.exists()
    assert Patent.objects.count() == 0


def test_confirming_in_time_over_the_api_writes_the_rows(
    client, officer, client_for, django_capture_on_commit_callbacks
):
    # given
    job = _previewed(client, officer, hours_ago=23)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(officer).post(reverse("api-import-job-start", args=[job.pk]))
    # then
    job.refresh_from_db()
    assert (response.status_code, response.json()["status"]) == (202, "queued")  # the write runs after the commit
    assert (job.status, job.created_count) == ("done", 2)
    assert Patent.objects.count() == 2


def test_another_institution_cannot_confirm_a_job_over_the_api(client, officer, other_officer, client_for):
    # given
    job = _previewed(client, officer, hours_ago=1)
    # when
    response = client_for(other_officer).post(reverse("api-import-job-start", args=[job.pk]))
    # then
    job.refresh_from_db()
    assert response.status_code == 404
    assert job.status == "previewed"
    assert Patent.objects.count() == 0


def test_the_preview_page_tells_the_officer_the_deadline_in_both_languages(client, officer):
    # given
    job = _previewed(client, officer, hours_ago=1)
    deadline = timezone.localtime(job.created_at + timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    url = reverse("patents:import_job", args=[job.pk])
    # when
    chinese = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    # then
    assert f"请在24小时内确认（{deadline} 前），过期将自动作废，不写入任何数据。" in chinese
    assert (
        f"Confirm within 24 hours (before {deadline}); after that the import expires automatically and nothing "
        "is written."
    ) in english


def test_the_purge_command_expires_unconfirmed_previews_too(client, officer):
    # given
    job = _previewed(client, officer, hours_ago=48)
    out = io.StringIO()
    # when
    call_command("purge_import_files", stdout=out)
    # then
    job.refresh_from_db()
    assert job.status == "expired"
    assert out.getvalue().splitlines() == [
        "1 个超过 24 小时未确认的导入已作废 / 1 imports not confirmed within 24 hours expired",
        "0 个导入任务的文件已删除（保留期 30 天） / files of 0 import jobs deleted",
    ]


def test_expiry_runs_hourly_from_beat():
    # given
    entry = settings.CELERY_BEAT_SCHEDULE["import-jobs-expire"]
    # when / then
    assert entry["task"] == "imports.import_jobs_expire_task"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == 3600.0


def test_in_the_english_ui_the_expiry_reads_english_first_on_the_page_and_the_api(client, officer, client_for):
    # given: an expired job; the officer reads the English UI
    job = _previewed(client, officer, hours_ago=30)
    import_jobs_expire_task()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    api = client_for(officer)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = (
        "This import was not confirmed within 24 hours and has expired; nothing was written — upload the file again"
        " / 该导入超过 24 小时未确认，已自动作废，未写入任何数据；请重新上传文件"
    )
    # when
    page = client.post(reverse("patents:import_start", args=[job.pk]), follow=True)
    refused = api.post(reverse("api-import-job-start", args=[job.pk]))
    # then
    assert english in page.content.decode()
    assert "This import was not confirmed in time and has expired; nothing was written." in page.content.decode()
    assert (refused.status_code, refused.json()["error"]["message"]) == (409, english)
    assert api.get(reverse("api-import-job", args=[job.pk])).json()["message"] == english
    assert Patent.objects.count() == 0

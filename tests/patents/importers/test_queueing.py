"""The import's preview and write never run in the request: uploads are stored and queued."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import validation as import_validation
from imports.models import ImportJob
from imports.tasks import import_job_preview_task, import_job_run_task
from tests.patents.conftest import to_csv

pytestmark = pytest.mark.django_db


def test_web_upload_stores_the_file_and_queues_the_preview_without_parsing_it(
    client, officer, rows, django_capture_on_commit_callbacks
):
    # given
    client.force_login(officer)
    upload = SimpleUploadedFile("inventory.csv", to_csv(rows))
    # when: the broker takes the task (it is not run), and parsing in the request would fail loudly
    with (
        mock.patch.object(import_validation, "read_table", side_effect=AssertionError("parsed in the request")),
        mock.patch.object(import_job_preview_task, "delay") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("patents:import_upload"), {"file": upload})
        page = client.get(response["Location"])
    # then
    job = ImportJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("patents:import_job", args=[job.pk]))
    queued.assert_called_once_with(job.pk)
    assert (job.status, job.total_rows, job.errors) == ("pending", 0, [])
    assert f'data-status-url="/patents/import/{job.pk}/status/"' in page.content.decode()
    assert 'data-status="pending"' in page.content.decode()
    # and the worker's preview is what the polling page then finds
    import_job_preview_task(job.pk)
    status = client.get(reverse("patents:import_status", args=[job.pk])).json()
    assert (status["status"], status["total_rows"], status["valid_rows"]) == ("previewed", 10, 10)


@pytest.mark.parametrize("kind", ["patents", "enterprises"])
def test_api_upload_queues_the_job_without_parsing_it(
    client_for, officer, bureau, kind, rows, django_capture_on_commit_callbacks
):
    # given
    user, url = (
        (officer, reverse("patents-api:patent-import"))
        if kind == "patents"
        else (bureau, "/api/v1/enterprises/imports/")
    )
    upload = SimpleUploadedFile("list.csv", to_csv(rows))
    # when
    with (
        mock.patch.object(import_validation, "read_table", side_effect=AssertionError("parsed in the request")),
        mock.patch.object(import_job_run_task, "delay") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(user).post(url, {"file": upload}, format="multipart")
    # then
    assert response.status_code == 202
    job = ImportJob.objects.get()
    queued.assert_called_once_with(job.pk)
    assert (response.json()["status"], job.kind, job.total_rows) == ("queued", kind, 0)

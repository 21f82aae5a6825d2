"""The door check: the upload API refuses what the web form refuses, with the same message, before anything is
stored."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob
from tests.security import corpus
from tests.security.uploads.helpers import (
    ENTERPRISE_URL,
    PATENT_URL,
    REFUSED,
    REFUSED_AT_UPLOAD,
    assert_bilingual,
    refused_file,
)

pytestmark = pytest.mark.django_db


# --- the door check: the API refuses what the web form refuses, before anything is stored --------------------------


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


DOOR_CASES = {
    **{case: (lambda case=case: refused_file(case), REFUSED[case][1]) for case in sorted(REFUSED_AT_UPLOAD)},
    "html_page": (lambda: ("inventory.html", b"<!doctype html><script>alert(1)</script>"), "unsupported_format"),
    "exe_file": (lambda: ("setup.exe", corpus.PE_HEADER), "unsupported_format"),
    "old_xls": (lambda: ("inventory.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504), "old_xls"),
    "csv_named_xlsx": (lambda: ("inventory.xlsx", corpus.valid_patent_csv()), "not_xlsx"),
}
DOOR_MESSAGES = {
    "html_page": "不支持的文件类型“.html”，请上传 .xlsx 或 .csv 文件 / "
    "Unsupported file type '.html'; upload an .xlsx or .csv file",
    "exe_file": "不支持的文件类型“.exe”，请上传 .xlsx 或 .csv 文件 / "
    "Unsupported file type '.exe'; upload an .xlsx or .csv file",
    "pe_as_csv": "文件是可执行程序，不是表格 / The file is an executable program, not a table",
}


@pytest.mark.parametrize("url", [PATENT_URL, ENTERPRISE_URL], ids=["patents", "enterprises"])
@pytest.mark.parametrize("case", sorted(DOOR_CASES))
def test_api_upload_is_checked_like_the_web_form_and_nothing_is_stored(client_for, officer, bureau, url, case):
    # given
    filename, content = DOOR_CASES[case][0]()
    user = officer if url == PATENT_URL else bureau
    files_before = _stored_files()
    # when
    response = client_for(user).post(url, {"file": SimpleUploadedFile(filename, content)}, format="multipart")
    # then
    assert response.status_code == 400, response.content[:300]
    (message,) = response.json()["error"]["details"]["file"]
    assert_bilingual(message)
    if case in DOOR_MESSAGES:
        assert message == DOOR_MESSAGES[case]
    assert ImportJob.objects.count() == 0
    assert _stored_files() == files_before


@pytest.mark.parametrize("case", ["html_page", "pe_as_csv"])
def test_web_form_refuses_the_same_files_with_the_same_message(client, officer, case):
    # given
    filename, content = DOOR_CASES[case][0]()
    client.force_login(officer)
    files_before = _stored_files()
    # when
    response = client.post(reverse("patents:import_upload"), {"file": SimpleUploadedFile(filename, content)})
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [DOOR_MESSAGES[case]]
    assert ImportJob.objects.count() == 0
    assert _stored_files() == files_before

"""Stored files leave only through owner-checking views: attachment, nosniff, a safe type; no /media/ route, even in
DEBUG; stored names are unguessable."""

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches, reverse

import patent_platform.urls
from accounts.models import Role
from core.downloads import protected_file_response, safe_content_type, unguessable_name
from core.models import City
from enterprises.models import Enterprise
from imports.models import ImportJob
from tests.enterprises.factories import DockingRequestFactory, PatentFactory
from tests.patents.pages.helpers import AIR_QUALITY_TYPO, DRONE_BOX, sample_csv

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.5\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _upload(api, django_capture_on_commit_callbacks, name: str, content: bytes) -> ImportJob:
    upload = ContentFile(content, name=name)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("patents-api:patent-import"), {"file": upload, "valid_rows_only": "true"}, format="multipart"
        )
    assert response.status_code == 202
    return ImportJob.objects.get(pk=response.json()["pk"])


def _import_with_rejected_rows(api, django_capture_on_commit_callbacks, name: str = "华科清单.csv") -> ImportJob:
    job = _upload(api, django_capture_on_commit_callbacks, name, sample_csv([DRONE_BOX, AIR_QUALITY_TYPO]))
    assert (job.status, job.rejected_count, bool(job.rejected_file)) == ("done", 1, True)
    return job


@pytest.fixture
def rejected_job(client_for, officer, django_capture_on_commit_callbacks):
    return _import_with_rejected_rows(client_for(officer), django_capture_on_commit_callbacks)


@pytest.fixture
def signed_docking(enterprise, institution):
    patent = PatentFactory(institution=institution)
    docking = DockingRequestFactory(enterprise=enterprise, patent=patent, status="signed")
    docking.contract_file.save(f"contract-{'a' * 32}.pdf", ContentFile(PDF))
    return docking


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_rejected_rows_go_only_to_the_uploading_institution(client, client_for, rejected_job, officer, other_officer):
    # given
    page_url = reverse("patents:import_rejected", args=[rejected_job.pk])
    api_url = reverse("api-import-job-rejected", args=[rejected_job.pk])
    expected = rejected_job.rejected_file.open("rb").read()
    # when
    anonymous_page = client.get(page_url)
    anonymous_api = client.get(api_url)
    client.force_login(other_officer)
    foreign = [client.get(page_url).status_code, client_for(other_officer).get(api_url).status_code]
    client.force_login(officer)
    own_page = client.get(page_url)
    own_api = client_for(officer).get(api_url)
    # then
    assert (anonymous_page.status_code, anonymous_page["Location"]) == (302, f"/accounts/login/?next={page_url}")
    assert anonymous_api.status_code in (401, 403)
    assert foreign == [404, 404]
    for response, filename in (
        (own_page, "filename*=utf-8''%E5%8D%8E%E7%A7%91%E6%B8%85%E5%8D%95-rejected-rows.csv"),
        (own_api, f'filename="rejected-{rejected_job.pk}.csv"'),
    ):
        assert response.status_code == 200
        assert response["Content-Disposition"] == f"attachment; {filename}"
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert _body(response) == expected


def test_contract_goes_only_to_the_parties_and_the_bureau_in_scope(
    client, signed_docking, enterprise_member, officer, other_officer, make_user, wuhan
):
    # given
    url = reverse("enterprises:docking_contract", args=[signed_docking.pk])
    stranger_enterprise = Enterprise.objects.create(
        name="武汉光谷新材料有限公司", uscc="91330106673959654P", city=wuhan
    )
    stranger = make_user("member_b", Role.ENTERPRISE, enterprise=stranger_enterprise)
    yichang_staff = make_user("bureau_yichang", Role.BUREAU_CITY, city=City.objects.get(code="4205"))
    wuhan_staff = make_user("bureau_wuhan", Role.BUREAU_CITY, city=wuhan)
    # when
    anonymous = client.get(url)
    denied = []
    for user in (stranger, other_officer, yichang_staff):
        client.force_login(user)
        denied.append(client.get(url).status_code)
    allowed = []
    for user in (enterprise_member, officer, wuhan_staff):
        client.force_login(user)
        allowed.append(client.get(url))
    # then
    assert (anonymous.status_code, anonymous["Location"]) == (302, f"/accounts/login/?next={url}")
    assert denied == [404, 404, 404]
    for response in allowed:
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="contract-{signed_docking.pk}.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert _body(response) == PDF


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `make run` (DEBUG=True) builds it."""
    settings.DEBUG = True
    importlib.reload(patent_platform.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(patent_platform.urls)
    clear_url_caches()


def test_media_is_not_served_even_in_debug(
    client, client_for, officer, other_officer, debug_urls, django_capture_on_commit_callbacks
):
    # given: another institution's upload and rejected rows, stored under MEDIA_ROOT
    job = _import_with_rejected_rows(client_for(officer), django_capture_on_commit_callbacks)
    jobs_before = ImportJob.objects.count()
    html = ContentFile(b"<script>alert(1)</script>", name="x.html")
    refused = client_for(officer).post(reverse("patents-api:patent-import"), {"file": html}, format="multipart")
    paths = [f"/media/{job.rejected_file.name}", f"/media/{job.file.name}"]
    # when
    anonymous = [client.get(path).status_code for path in paths]
    client.force_login(other_officer)
    signed_in = [client.get(path).status_code for path in paths]
    # then: nothing under /media/ is served, and an .html upload is not even stored
    assert anonymous == [404, 404]
    assert signed_in == [404, 404]
    assert refused.status_code == 400
    assert ImportJob.objects.count() == jobs_before


def test_stored_names_are_unguessable(client_for, officer, django_capture_on_commit_callbacks):
    # when
    first = _import_with_rejected_rows(client_for(officer), django_capture_on_commit_callbacks)
    second = _import_with_rejected_rows(client_for(officer), django_capture_on_commit_callbacks)
    # then: neither the upload's own name nor the job number alone gives the stored name
    token = r"[A-Za-z0-9_-]{22}"
    for job in (first, second):
        assert re.fullmatch(rf"imports/\d{{4}}/\d{{2}}/{token}\.csv", job.file.name)
        assert re.fullmatch(rf"imports/rejected/\d{{4}}/\d{{2}}/rejected-{job.pk}-{token}\.csv", job.rejected_file.name)
    assert first.rejected_file.name.rsplit("-", 1)[1] != second.rejected_file.name.rsplit("-", 1)[1]


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("rows.csv", "text/csv; charset=utf-8"),
        ("contract.PDF", "application/pdf"),
        ("page.html", "application/octet-stream"),
        ("image.svg", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
    ],
)
def test_downloads_never_carry_a_renderable_type(filename, content_type, tmp_path):
    # given
    job = ImportJob(kind="patents", original_name=filename)
    job.file.save(unguessable_name(original="a.csv"), ContentFile(b"<script>alert(1)</script>"), save=False)
    # when
    response = protected_file_response(file=job.file, filename=filename)
    # then
    assert safe_content_type(filename=filename) == content_type
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (content_type, "nosniff")
    assert response["Content-Disposition"].startswith("attachment; ")

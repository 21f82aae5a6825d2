"""Officer APIs: upload answered 202 with a job, job status, bulk actions, terms — with the same scoping as pages."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob
from patents.models import InventoryStatus, Patent, PatentStatusChange
from tests.patents.conftest import to_csv

pytestmark = pytest.mark.django_db


def _upload(client, content: bytes, name: str = "inventory.csv", **extra):
    return client.post(
        reverse("patents-api:patent-import"), {"file": SimpleUploadedFile(name, content), **extra}, format="multipart"
    )


def test_upload_is_answered_202_and_the_job_reports_progress(
    client_for, officer, rows, django_capture_on_commit_callbacks
):
    # when: the task is queued on commit (eager here, a real worker in production)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client_for(officer), to_csv(rows))
    # then
    assert response.status_code == 202
    job = response.json()
    assert job["kind"] == "patents"
    status = client_for(officer).get(f"/api/v1/imports/{job['pk']}/").json()
    assert (status["status"], status["progress"], status["created"], status["rejected"]) == ("done", 100, 10, 0)
    assert Patent.objects.filter(institution=officer.institution).count() == 10


def test_rejected_upload_writes_nothing_and_offers_the_rejected_rows(
    client_for, officer, rows, django_capture_on_commit_callbacks
):
    rows[0]["申请号"] = "CN202223220665.9"
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        pk = _upload(client, to_csv(rows)).json()["pk"]
    job = client.get(f"/api/v1/imports/{pk}/").json()
    assert job["status"] == "rejected"
    assert job["error_count"] == 1
    assert Patent.objects.count() == 0
    download = client.get(f"/api/v1/imports/{job['pk']}/rejected/")
    assert download.status_code == 200
    assert "CN202223220665.9" in b"".join(download.streaming_content).decode("utf-8-sig")


def test_other_institutions_job_is_404(client_for, officer, other_officer, rows):
    job = _upload(client_for(officer), to_csv(rows)).json()
    assert client_for(other_officer).get(f"/api/v1/imports/{job['pk']}/").status_code == 404
    assert client_for(other_officer).get(f"/api/v1/imports/{job['pk']}/rejected/").status_code == 404


@pytest.mark.parametrize("fixture", ["enterprise_member", "bureau"])
def test_only_officers_upload(client_for, request, fixture, rows):
    response = _upload(client_for(request.getfixturevalue(fixture)), to_csv(rows))
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_oversized_upload_is_refused_before_reading(client_for, officer, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = _upload(client_for(officer), b"x" * 101)
    assert response.status_code == 400
    assert "上限" in str(response.json()["error"]["details"])
    assert ImportJob.objects.count() == 0


def _own(officer, number: str, **fields) -> Patent:
    return Patent.objects.create(
        application_number=number,
        title="一种测试装置",
        patent_type="invention",
        institution=officer.institution,
        legal_status="valid",
        **fields,
    )


def test_pool_needs_terms_then_succeeds_with_history(client_for, officer):
    # given
    patent = _own(officer, "201910209152.5")
    client = client_for(officer)
    # when
    refused = client.post(reverse("patents-api:patent-pool"), {"pks": [patent.pk]}, format="json")
    client.post(reverse("patents-api:patent-modes"), {"pks": [patent.pk], "transfer_modes": ["licence"]}, format="json")
    pooled = client.post(reverse("patents-api:patent-pool"), {"pks": [patent.pk]}, format="json")
    # then
    assert refused.status_code == 400
    assert "转化方式" in refused.json()["error"]["message"]
    assert pooled.json() == {"changed": 1}
    patent.refresh_from_db()
    assert patent.inventory_status == InventoryStatus.POOLED
    assert list(PatentStatusChange.objects.values_list("from_status", "to_status")) == [("inventoried", "pooled")]


def test_unpool_requires_a_reason(client_for, officer):
    patent = _own(officer, "201910209152.5", inventory_status="pooled", transfer_modes=["licence"])
    client = client_for(officer)
    assert (
        client.post(reverse("patents-api:patent-unpool"), {"pks": [patent.pk], "reason": ""}, format="json").status_code
        == 400
    )
    ok = client.post(reverse("patents-api:patent-unpool"), {"pks": [patent.pk], "reason": "已独占许可"}, format="json")
    assert ok.json() == {"changed": 1}
    patent.refresh_from_db()
    assert (patent.inventory_status, patent.not_pooled_reason) == ("not_pooled", "已独占许可")


def test_bulk_action_on_another_institutions_patent_is_404_and_changes_nothing(client_for, officer, other_officer):
    mine = _own(officer, "201910209152.5")
    theirs = Patent.objects.create(
        application_number="202011355629.X",
        title="他校专利",
        patent_type="invention",
        institution=other_officer.institution,
    )
    response = client_for(officer).post(
        reverse("patents-api:patent-modes"), {"pks": [mine.pk, theirs.pk], "transfer_modes": ["licence"]}, format="json"
    )
    assert response.status_code == 404
    assert Patent.objects.get(pk=mine.pk).transfer_modes == []
    assert Patent.objects.get(pk=theirs.pk).transfer_modes == []


def test_open_licence_terms_are_checked_against_the_caps(client_for, officer, settings):
    patent = _own(officer, "201910209152.5")
    client = client_for(officer)
    url = reverse("patents-api:patent-terms", args=[patent.pk])
    too_high = client.put(
        url,
        {"transfer_modes": ["open_licence"], "open_licence_payment": "royalty", "open_licence_royalty_rate": "25"},
        format="json",
    )
    missing = client.put(url, {"transfer_modes": ["open_licence"]}, format="json")
    ok = client.put(
        url,
        {
            "transfer_modes": ["open_licence", "licence"],
            "open_licence_payment": "entry_royalty",
            "open_licence_royalty_rate": "3.5",
            "open_licence_entry_fee": "50000",
        },
        format="json",
    )
    assert too_high.status_code == 400
    assert "open_licence_royalty_rate" in too_high.json()["error"]["details"]
    assert missing.status_code == 400
    assert ok.status_code == 200
    patent.refresh_from_db()
    assert patent.transfer_modes == ["open_licence", "licence"]
    assert patent.open_licence_royalty_rate == Decimal("3.50")
    assert patent.open_licence_entry_fee == Decimal("50000.00")


def test_enterprise_never_sees_internal_notes_or_unpooled_patents(client_for, officer, enterprise_member):
    _own(officer, "201910209152.5", internal_notes="内部：价格底线 30 万")
    pooled = _own(officer, "202011355629.X", inventory_status="pooled", internal_notes="保密")
    body = client_for(enterprise_member).get(reverse("patents-api:patent-list")).json()
    assert [r["pk"] for r in body["results"]] == [pooled.pk]
    assert "internal_notes" not in body["results"][0]
    assert "保密" not in str(body)

"""Every file a user takes away is in the audit log: which list or table, the format, the rows, the query, who and
from where (core.exports.export_audit); the page itself and a refused download leave no entry."""

import pytest
from django.urls import reverse

from core.exports import EXPORT_AUDIT_ACTION
from core.models import AuditLog
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db


def _entries() -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=EXPORT_AUDIT_ACTION).order_by("pk"))


def test_a_list_download_is_audited_with_its_rows_and_query(client, officer, institution, other_institution):
    # given: three pooled patents of the officer's institution, one of another (not the officer's to take)
    for i in range(3):
        PatentFactory(institution=institution, title=f"一种传感器{i}")
    PatentFactory(institution=other_institution, title="武大的专利")
    client.force_login(officer)

    # when: the inventory page, then its file twice (xlsx and csv), filtered
    page = client.get(reverse("patents:inventory"), {"inventory_status": "pooled"})
    xlsx = client.get(reverse("patents:inventory"), {"inventory_status": "pooled", "format": "xlsx"})
    csv = client.get(reverse("patents:inventory"), {"format": "csv"}, REMOTE_ADDR="10.1.2.3")

    # then: one entry per file, none for the page: the user, the rows handed over, the query that chose them
    assert (page.status_code, xlsx.status_code, csv.status_code) == (200, 200, 200)
    first, second = _entries()
    assert first.actor == officer
    assert first.detail["format"] == "xlsx"
    assert first.detail["rows"] == 3
    assert "inventory_status=pooled" in first.detail["query"]
    assert first.detail["name"]
    assert (second.detail["format"], second.detail["rows"], second.ip_address) == ("csv", 3, "10.1.2.3")


def test_a_refused_download_is_not_audited(client, officer):
    # given
    client.force_login(officer)

    # when: a filter the page refuses, with a file asked for
    response = client.get(reverse("patents:inventory"), {"application_year": "abc", "format": "csv"})

    # then: a 400 and no file, so no entry
    assert response.status_code == 400
    assert _entries() == []


def test_a_dashboard_table_download_is_audited(client, bureau):
    # given
    client.force_login(bureau)

    # when: every table of the dashboard as one workbook
    response = client.get(reverse("dashboards:export", kwargs={"slug": "all", "file_format": "xlsx"}))

    # then
    assert response.status_code == 200
    (entry,) = _entries()
    assert entry.actor == bureau
    assert entry.detail["format"] == "xlsx"
    assert entry.detail["name"].startswith("dashboard-all-")
    assert entry.detail["rows"] > 0

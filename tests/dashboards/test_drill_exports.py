"""The drill-down CSV files spell times to the second and amounts with two decimals (core.exports.csv_text), the
Excel files keep them as date and numeric cells."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enterprises.models import DockingRequest, DockingStatus

pytestmark = pytest.mark.django_db


def _signed_with_microseconds() -> DockingRequest:
    signed = DockingRequest.objects.filter(status=DockingStatus.SIGNED).order_by("-submitted_at").first()
    assert signed is not None
    local = datetime(2026, 3, 20, 9, 32, 4, 44238, tzinfo=timezone.get_current_timezone())
    DockingRequest.objects.filter(pk=signed.pk).update(
        submitted_at=local, responded_at=local.replace(hour=10), signed_amount=Decimal("120000")
    )
    return signed


def test_drill_csv_prints_times_to_the_second_and_amounts_with_two_decimals(client, demo, bureau):
    # given
    signed = _signed_with_microseconds()
    client.force_login(bureau)

    # when
    response = client.get(reverse("dashboards:drill_dockings"), {"format": "csv", "date_from": "2025-01-01"})

    # then
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows[1:] if r[0] == str(signed.pk))
    assert rows[0][5:9] == ["提交时间", "首次响应时间", "婉拒原因", "合同金额(元)"]
    assert row[5] == "2026-03-20 09:32:04"
    assert row[6] == "2026-03-20 10:32:04"
    assert row[8] == "120000.00"


def test_drill_xlsx_keeps_times_and_amounts_typed(client, demo, bureau):
    # given
    signed = _signed_with_microseconds()
    client.force_login(bureau)

    # when
    response = client.get(reverse("dashboards:drill_dockings"), {"format": "xlsx", "date_from": "2025-01-01"})

    # then
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == signed.pk)
    assert row[5].value == datetime(2026, 3, 20, 9, 32, 4)
    assert row[5].number_format == "yyyy-mm-dd hh:mm:ss"
    assert row[8].value == 120000.0
    assert row[8].number_format == "#,##0.00"

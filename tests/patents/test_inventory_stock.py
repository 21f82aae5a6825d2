"""An officer reports the valid patents the institution holds (the 盘点率's denominator): bounded, audit-logged, and
a refused value writes nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditLog
from patents.institutions import institution_stock_set
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db
URL = reverse("patents:inventory_stock")


def test_an_officer_reports_the_stock_and_sees_the_rate(client, officer):
    # given
    PatentFactory.create_batch(3, institution=officer.institution, legal_status="valid")
    client.force_login(officer)
    before = client.get(URL)
    # when
    response = client.post(URL, {"held": "12", "as_of": "2026-11-30"})
    after = client.get(URL)
    # then
    assert "未填报" in before.content.decode()
    assert response.status_code == 302
    officer.institution.refresh_from_db()
    assert (officer.institution.patents_held, officer.institution.patents_held_on) == (12, date(2026, 11, 30))
    assert after.context["rate"].rate == 3 / 12
    assert "25.0%" in after.content.decode()
    entry = AuditLog.objects.get(action="institution.patents_held_set")
    assert (entry.actor, entry.target_id) == (officer, str(officer.institution.pk))
    assert entry.detail == {"before": {"held": None, "as_of": ""}, "after": {"held": 12, "as_of": "2026-11-30"}}


@pytest.mark.parametrize(
    ("held", "as_of", "field", "message"),
    [
        ("-1", "2026-11-30", "held", "大于或等于"),
        ("1000001", "2026-11-30", "held", "小于或等于"),
        ("十二", "2026-11-30", "held", "整数"),
        ("12", (timezone.localdate() + timedelta(days=1)).isoformat(), "__all__", "统计日期须在"),
        ("12", "1984-12-31", "__all__", "统计日期须在"),
    ],
)
def test_a_refused_value_is_explained_and_writes_nothing(client, officer, held, as_of, field, message):
    # given
    client.force_login(officer)
    # when
    response = client.post(URL, {"held": held, "as_of": as_of})
    # then
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert message in response.context["form"].errors[field][0]
    officer.institution.refresh_from_db()
    assert officer.institution.patents_held is None
    assert not AuditLog.objects.filter(action="institution.patents_held_set").exists()


def test_the_service_refuses_what_the_form_would(officer):
    # when / then
    with pytest.raises(ApplicationError, match="between 0 and 1,000,000"):
        institution_stock_set(user=officer, institution=officer.institution, held=1_000_001, as_of=date(2026, 1, 1))
    with pytest.raises(ApplicationError, match="the date must lie between"):
        institution_stock_set(user=officer, institution=officer.institution, held=1, as_of=date(1980, 1, 1))


def test_only_officers_reach_the_page(client, enterprise_member, bureau):
    # when
    client.force_login(enterprise_member)
    as_member = client.get(URL)
    client.force_login(bureau)
    as_bureau = client.post(URL, {"held": "5", "as_of": "2026-11-30"})
    # then
    assert as_member.status_code in (403, 404)
    assert as_bureau.status_code in (403, 404)

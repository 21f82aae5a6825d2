"""A patent's legal history: a re-import or an edit that changes the legal status records the change (from, to,
source, who, when); nothing else does; the page and the API detail list it, newest first."""

import pytest
from django.urls import reverse

from core.errors import ApplicationError
from patents.models import Patent, PatentLegalStatusChange
from patents.services import patent_update
from tests.patents.conftest import to_csv
from tests.patents.factories import PatentFactory
from tests.patents.importers.helpers import run_import

pytestmark = pytest.mark.django_db


def _changes() -> list[tuple[str, str, str, str]]:
    return list(
        PatentLegalStatusChange.objects.order_by("pk").values_list(
            "patent__application_number", "from_status", "to_status", "source"
        )
    )


def test_reimport_records_the_changed_legal_status_only(officer, rows):
    # given
    run_import(officer, to_csv(rows))
    assert PatentLegalStatusChange.objects.count() == 0  # a new patent has no change: its import says when it came
    rows[1]["法律状态"] = "失效"
    rows[0]["专利名称"] = "一种无人机机载多功能盒（修订）"  # changed, but not its legal status
    # when
    run_import(officer, to_csv(rows))
    # then
    assert _changes() == [("202122975192.6", "valid", "invalid", "import")]
    assert PatentLegalStatusChange.objects.get().actor == officer


def test_reimporting_the_same_file_records_nothing(officer, rows):
    # given
    run_import(officer, to_csv(rows))
    rows[1]["法律状态"] = "失效"
    run_import(officer, to_csv(rows))
    # when
    run_import(officer, to_csv(rows))
    # then
    assert len(_changes()) == 1


def test_an_edit_of_the_legal_status_is_recorded_and_other_edits_are_not(officer, institution):
    # given
    patent = PatentFactory(institution=institution, application_number="202010000001.1", legal_status="pending")
    # when
    patent_update(patent=patent, user=officer, data={"title": "新名称", "legal_status": "pending"})
    patent_update(patent=patent, user=officer, data={"legal_status": "valid"})
    # then
    assert _changes() == [("202010000001.1", "pending", "valid", "manual")]


def test_an_edit_refused_records_no_change(officer, other_officer, institution):
    # given
    patent = PatentFactory(institution=institution, legal_status="pending")
    # when
    with pytest.raises(ApplicationError):  # another institution's officer
        patent_update(patent=patent, user=other_officer, data={"legal_status": "valid"})
    # then
    assert PatentLegalStatusChange.objects.count() == 0
    assert Patent.objects.get(pk=patent.pk).legal_status == "pending"


def test_page_and_api_list_the_history_newest_first(client, client_for, officer, enterprise_member, institution):
    # given
    patent = PatentFactory(
        institution=institution, legal_status="pending", inventors="张三；李四", claims="1. 一种正极材料，其特征在于……"
    )
    patent_update(patent=patent, user=officer, data={"legal_status": "valid"})
    patent_update(patent=patent, user=officer, data={"legal_status": "invalid"})
    # when
    client.force_login(enterprise_member)
    html = client.get(reverse("patents:detail", args=[patent.pk])).content.decode()
    body = client_for(enterprise_member).get(reverse("patents-api:patent-detail", args=[patent.pk])).json()
    # then
    history = html[html.index('data-testid="legal-history"') :]
    assert history.index("有效 → 失效") < history.index("审中 → 有效")
    assert 'data-testid="inventors">张三；李四<' in html
    assert '<details data-testid="claims">' in html
    assert [(c["from_status"], c["to_status"], c["source"]) for c in body["legal_history"]] == [
        ("valid", "invalid", "manual"),
        ("pending", "valid", "manual"),
    ]
    assert body["inventors"] == "张三；李四"

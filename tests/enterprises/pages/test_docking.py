"""The docking pages: from a patent or a need through to signed, illegal moves, the inbox, response times, the
contact asked with a request and the signing date."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.models import DockingRequest, DockingStatus, Enterprise
from enterprises.services.docking import docking_transition
from tests.enterprises.factories import PatentFactory
from tests.enterprises.pages.helpers import page_html

pytestmark = pytest.mark.django_db


# --- docking -----------------------------------------------------------------------------------------


def test_docking_from_the_patent_page_through_to_signed(client, enterprise_member, officer, pooled_patent):
    # given
    client.force_login(enterprise_member)
    # when: the member asks
    response = client.post(
        reverse("enterprises:docking_create"),
        {"patent": pooled_patent.pk, "message": "用于动力电池产线", "contact_phone": "027-87654321"},
    )
    docking = DockingRequest.objects.get()
    # then
    assert response["Location"] == reverse("enterprises:docking_detail", args=[docking.pk])
    # when: the officer works through it
    client.force_login(officer)
    url = reverse("enterprises:docking_transition", args=[docking.pk])
    client.post(url, {"action": "accept"})
    client.post(url, {"action": "negotiate", "note": "约定下周面谈"})
    contract = SimpleUploadedFile("contract.pdf", b"%PDF-1.5\n%%EOF\n")
    final = client.post(
        url,
        {
            "action": "sign",
            "transfer_mode": "licence",
            "amount": "120000",
            "signed_date": timezone.localdate().isoformat(),
            "contract_file": contract,
        },
        follow=True,
    )
    # then
    docking.refresh_from_db()
    assert docking.status == "signed"
    html = page_html(final)
    assert "对接请求状态已更新为“已签约”。" in html
    assert [e.action for e in final.context["events"]] == ["submit", "accept", "negotiate", "sign"]
    download = client.get(reverse("enterprises:docking_contract", args=[docking.pk]))
    assert (download.status_code, b"".join(download.streaming_content)) == (200, b"%PDF-1.5\n%%EOF\n")


def test_illegal_transition_from_the_page_shows_a_message_and_changes_nothing(client, enterprise_member, make_docking):
    # given
    docking = make_docking()
    client.force_login(enterprise_member)
    # when
    response = client.post(
        reverse("enterprises:docking_transition", args=[docking.pk]), {"action": "accept"}, follow=True
    )
    # then
    assert "当前状态“已提交”下您不能执行“受理”，可执行：撤回" in page_html(response)
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"


def test_someone_elses_docking_page_is_404(client, other_member, other_officer, make_docking):
    docking = make_docking()
    for user in (other_member, other_officer):
        client.force_login(user)
        assert client.get(reverse("enterprises:docking_detail", args=[docking.pk])).status_code == 404
        response = client.post(reverse("enterprises:docking_transition", args=[docking.pk]), {"action": "withdraw"})
        assert response.status_code == 404
    assert DockingRequest.objects.get(pk=docking.pk).status == "submitted"


def test_inbox_flags_overdue_requests_first(client, officer, make_docking, institution):
    # given
    recent = make_docking(submitted_at=timezone.now() - timedelta(days=1))
    late = make_docking(patent=PatentFactory(institution=institution), submitted_at=timezone.now() - timedelta(days=8))
    client.force_login(officer)
    # when
    response = client.get(reverse("enterprises:docking_inbox"))
    # then
    assert [(d.pk, d.is_overdue) for d in response.context["page"]] == [(late.pk, True), (recent.pk, False)]
    html = page_html(response)
    assert html.count('data-testid="overdue-flag"') == 1
    assert '<strong data-testid="overdue-count">1</strong>' in html


def test_response_times_page(client, bureau, officer, make_docking):
    # given
    docking = make_docking(status=DockingStatus.SUBMITTED)
    docking_transition(docking=docking, action="accept", actor=officer, now=docking.submitted_at + timedelta(hours=4))
    client.force_login(bureau)
    # when
    response = client.get(reverse("enterprises:response_times"))
    # then
    assert [(r.institution_name, r.median_hours) for r in response.context["rows"]] == [("华中科技大学", 4.0)]


def test_docking_from_a_need_to_a_chosen_institution(client, enterprise_member, need, other_institution):
    # given
    client.force_login(enterprise_member)
    # when
    form_page = client.get(reverse("enterprises:docking_create"), {"need": need.pk})
    response = client.post(
        reverse("enterprises:docking_create"),
        {
            "need": need.pk,
            "institution": other_institution.pk,
            "message": "寻求合作开发",
            "contact_phone": "13800000000",
        },
    )
    # then
    assert 'data-testid="docking-subject">高镍正极材料量产工艺<' in page_html(form_page)
    docking = DockingRequest.objects.get()
    assert response["Location"] == reverse("enterprises:docking_detail", args=[docking.pk])
    assert (docking.kind, docking.need, docking.institution, docking.patent) == (
        "need",
        need,
        other_institution,
        None,
    )


def test_docking_from_a_need_without_an_institution_shows_the_error(client, enterprise_member, need):
    client.force_login(enterprise_member)
    response = client.post(reverse("enterprises:docking_create"), {"need": need.pk, "message": "寻求合作开发"})
    assert response.context["form"].errors == {
        "institution": ["请选择对接的高校/院所 / Choose the institution to dock with"]
    }
    assert DockingRequest.objects.count() == 0


# --- the docking form asks for a contact; the signing date lies between the submission and today ------------------


def test_docking_form_is_prefilled_with_the_profile_contact(client, enterprise_member, enterprise, pooled_patent):
    # given
    Enterprise.objects.filter(pk=enterprise.pk).update(
        contact_name="张敏", contact_phone="027-87654321", contact_email="zhangmin@example.cn"
    )
    client.force_login(enterprise_member)
    # when
    page = client.get(reverse("enterprises:docking_create"), {"patent": pooled_patent.pk})
    # then
    html = page_html(page)
    assert 'name="contact_name" value="张敏"' in html
    assert 'type="tel" name="contact_phone" value="027-87654321"' in html
    assert 'type="email" name="contact_email" value="zhangmin@example.cn"' in html
    assert "联系电话和联系邮箱至少填写一项，高校据此联系您" in html


def test_docking_form_without_a_phone_or_an_email_shows_the_error_and_writes_nothing(
    client, enterprise_member, enterprise, pooled_patent
):
    # given: the profile has a phone, but the member cleared it
    Enterprise.objects.filter(pk=enterprise.pk).update(contact_phone="027-87654321")
    client.force_login(enterprise_member)
    # when
    response = client.post(
        reverse("enterprises:docking_create"),
        {"patent": pooled_patent.pk, "message": "用于动力电池产线", "contact_name": "张敏", "contact_phone": ""},
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "contact_phone": [
            "请填写联系电话或联系邮箱，高校据此联系您 / "
            "Enter a phone number or an e-mail address the institution can reach"
        ]
    }
    assert DockingRequest.objects.count() == 0


def test_the_officer_sees_the_contact_given_with_the_request(client, enterprise_member, officer, pooled_patent):
    # given: the profile has no contact; the member gives one with the request
    client.force_login(enterprise_member)
    client.post(
        reverse("enterprises:docking_create"),
        {
            "patent": pooled_patent.pk,
            "message": "用于动力电池产线",
            "contact_name": "李工",
            "contact_phone": "13800000000",
            "contact_email": "ligong@example.cn",
        },
    )
    docking = DockingRequest.objects.get()
    # when
    client.force_login(officer)
    html = page_html(client.get(reverse("enterprises:docking_detail", args=[docking.pk])))
    # then: not 企业联系方式 —
    assert (
        '<dd data-testid="enterprise-contact">李工 · <a href="tel:13800000000">13800000000</a> · '
        '<a href="mailto:ligong@example.cn">ligong@example.cn</a></dd>'
    ) in html


def test_signing_with_a_date_before_the_submission_is_refused_on_the_page(client, officer, make_docking):
    # given
    docking = make_docking(status=DockingStatus.NEGOTIATING, submitted_at=timezone.now() - timedelta(days=3))
    submitted_on = timezone.localdate(docking.submitted_at)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("enterprises:docking_transition", args=[docking.pk]),
        {"action": "sign", "transfer_mode": "licence", "amount": "900000", "signed_date": "0001-01-01"},
        follow=True,
    )
    # then
    assert (
        f"签约日期不能早于对接请求的提交日期（{submitted_on:%Y-%m-%d}）/ "
        f"The signing date cannot be before the request was submitted ({submitted_on:%Y-%m-%d})"
    ) in page_html(response)
    fresh = DockingRequest.objects.get(pk=docking.pk)
    assert (fresh.status, fresh.signed_amount, fresh.signed_date) == ("negotiating", None, None)

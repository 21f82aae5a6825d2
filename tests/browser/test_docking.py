"""In a real headless Chromium: an enterprise registers, publishes a need, follows a pooled patent and requests
docking; the officer sees it in the inbox (flagged overdue once the clock has moved past the limit), accepts,
negotiates and signs; the enterprise sees the signed deal with its whole timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import DockingRequest, Enterprise, PatentFollow, TechNeed
from enterprises.services.claim_codes import enterprise_claim_code_issue
from patents.models import InventoryStatus, Patent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRACT_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def pooled_patent(institution):
    return Patent.objects.create(
        application_number="201910209152.5",
        title="一种高镍正极材料及其制备方法",
        patent_type="invention",
        institution=institution,
        inventory_status=InventoryStatus.POOLED,
        abstract="本发明公开了一种高镍三元正极材料及其烧结工艺。",
    )


def test_register_need_follow_dock_accept_negotiate_sign(
    page, login, logout, live_server, officer, bureau, pooled_patent, wuhan
):
    base = live_server.url

    # an enterprise of the imported registry registers itself with the claim code the bureau issued to its registered
    # contact (code and name alone only file a claim for the bureau to review): claimed and verified at once
    listed = Enterprise.objects.create(name="武汉新能源科技有限公司", uscc="91110108795101314G", city=wuhan)
    claim_code = enterprise_claim_code_issue(enterprise=listed, issuer=bureau).code
    page.goto(f"{base}/enterprises/signup/")
    page.fill("#id_password1", "Guanggu-Battery-2026")
    page.fill("#id_password2", "Guanggu-Battery-2026")
    page.fill("#id_name", "武汉新能源科技有限公司")
    page.fill("#id_uscc", "91110108795101314G")
    page.select_option("#id_city", "4201")
    page.fill("#id_contact_name", "张敏")
    page.fill("#id_claim_code", claim_code.lower())
    page.get_by_test_id("signup-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/enterprises/profile/"
    assert page.get_by_test_id("profile-verification").inner_text() == "已校验"
    assert Enterprise.objects.get().uscc == "91110108795101314G"

    # it publishes a technology need
    page.get_by_test_id("nav-needs").click()
    page.get_by_test_id("need-create-link").click()
    page.fill("#id_title", "高镍正极材料量产工艺")
    page.fill("#id_keywords", "正极材料，烧结，高镍")
    page.get_by_test_id("need-save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("need-row").count() == 1
    assert TechNeed.objects.get().keywords == "正极材料、烧结、高镍"

    # it follows the pooled patent from the patent's page
    page.goto(f"{base}/patents/{pooled_patent.pk}/")
    page.get_by_test_id("follow-button").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("unfollow-button").is_visible()
    assert PatentFollow.objects.count() == 1

    # and requests docking
    page.get_by_test_id("request-docking-link").click()
    page.fill("#id_message", "拟用于动力电池产线升级，希望洽谈许可。")
    assert page.input_value("#id_contact_name") == "张敏"  # from the sign-up
    page.fill("#id_contact_phone", "027-87654321")  # the form asks for a phone or an e-mail
    page.get_by_test_id("docking-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-status").inner_text() == "已提交"
    docking = DockingRequest.objects.get()
    logout()

    # the officer sees it in the inbox, not overdue yet
    login("officer_a")
    page.get_by_test_id("nav-inbox").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-row").count() == 1
    assert page.get_by_test_id("overdue-flag").count() == 0

    # eight days pass without an answer: the inbox flags it
    DockingRequest.objects.filter(pk=docking.pk).update(submitted_at=timezone.now() - timedelta(days=8))
    page.reload()
    assert page.get_by_test_id("overdue-flag").inner_text() == "超时未答复"
    assert page.get_by_test_id("overdue-count").inner_text() == "1"

    # the officer accepts, negotiates and signs with a contract
    page.get_by_test_id("docking-row").get_by_role("link").click()
    assert page.get_by_test_id("enterprise-contact").inner_text() == "张敏 · 027-87654321"
    page.get_by_test_id("do-accept").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-status").inner_text() == "已受理"
    assert page.get_by_test_id("overdue-flag").count() == 0
    page.get_by_test_id("action-negotiate").locator("textarea[name=note]").fill("下周三来校面谈")
    page.get_by_test_id("do-negotiate").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-status").inner_text() == "洽谈中"
    sign = page.get_by_test_id("action-sign")
    sign.locator("select[name=transfer_mode]").select_option("licence")
    sign.locator("input[name=amount]").fill("150000")
    sign.locator("input[name=signed_date]").fill(timezone.localdate().isoformat())
    sign.locator("input[name=contract_file]").set_input_files(
        files=[{"name": "许可合同.pdf", "mimeType": "application/pdf", "buffer": CONTRACT_PDF}]
    )
    page.get_by_test_id("do-sign").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-status").inner_text() == "已签约"
    assert page.get_by_test_id("signed-facts").inner_text().startswith("许可 · 150,000.00 元")
    logout()

    # the enterprise sees the signed deal and its timeline
    login("91110108795101314G", "Guanggu-Battery-2026")
    page.get_by_test_id("nav-docking").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("docking-status").inner_text() == "已签约"
    page.get_by_test_id("docking-row").get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    assert [e.split("\n")[0] for e in page.get_by_test_id("timeline-event").all_inner_texts()] == [
        "提交 已提交",
        "受理 已提交 → 已受理",
        "开始洽谈 已受理 → 洽谈中",
        "签约 洽谈中 → 已签约",
    ]
    assert page.get_by_test_id("action-withdraw").count() == 0
    docking.refresh_from_db()
    assert (docking.status, docking.signed_mode, str(docking.signed_amount)) == ("signed", "licence", "150000.00")
    assert docking.contract_file.read() == CONTRACT_PDF

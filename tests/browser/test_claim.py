"""In a real headless Chromium: someone signs up with a registry enterprise's public code and name and gets
a claim that waits, not the enterprise; the bureau compares the registry's data with the claimant's and approves;
the claimant then signs in with the enterprise's code and acts for it."""

import pytest

from enterprises.models import Enterprise, EnterpriseClaim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USCC = "91110108795101314G"


def test_a_claim_waits_for_the_bureau_which_sees_the_registry_beside_it(
    page, login, logout, live_server, bureau, wuhan
):
    base = live_server.url
    listed = Enterprise.objects.create(
        name="武汉光谷新能源有限公司",
        uscc=USCC,
        city=wuhan,
        contact_name="李华",
        contact_phone="027-87650000",
        contact_email="lihua@guanggu-energy.cn",
    )

    # the sign-up page explains how a registry enterprise is claimed; the claimant signs up with code and name
    page.goto(f"{base}/enterprises/signup/")
    assert "仅凭它们不能认领企业" in page.get_by_test_id("claim-explained").inner_text()
    page.fill("#id_password1", "Guanggu-Battery-2026")
    page.fill("#id_password2", "Guanggu-Battery-2026")
    page.fill("#id_name", "武汉光谷新能源有限公司")
    page.fill("#id_uscc", USCC)
    page.select_option("#id_city", "4201")
    page.fill("#id_contact_name", "李华")
    page.fill("#id_contact_email", "lihua.new@guanggu-energy.cn")
    page.get_by_test_id("signup-submit").click()
    page.wait_for_load_state("networkidle")

    # home says the claim waits and what follows; the account has no enterprise menu
    assert page.url == f"{base}/"
    assert page.get_by_test_id("claim-status-value").inner_text() == "待审核"
    assert "审核通过前账号不绑定该企业" in page.get_by_test_id("claim-next").inner_text()
    assert page.get_by_test_id("nav-docking").count() == 0
    listed.refresh_from_db()
    assert listed.contact_email == "lihua@guanggu-energy.cn"
    logout()

    # the bureau compares and approves
    login("bureau")
    page.get_by_test_id("nav-review").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_test_id("claim-row")
    assert row.get_by_test_id("registry-contact-email").inner_text() == "lihua@guanggu-energy.cn"
    assert row.get_by_test_id("claimant-contact-email").inner_text().startswith("lihua.new@guanggu-energy.cn")
    assert row.get_by_test_id("claim-differs").count() == 1
    claim = EnterpriseClaim.objects.get()
    row.locator("input[name=note]").fill("已致电名录登记电话核实")
    page.get_by_test_id(f"claim-approve-{claim.pk}").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("claims-empty").is_visible()
    logout()

    # the claimant signs in with the enterprise's code and acts for it
    login(USCC, "Guanggu-Battery-2026")
    assert page.get_by_test_id("nav-docking").is_visible()
    page.goto(f"{base}/enterprises/profile/")
    assert page.get_by_test_id("profile-verification").inner_text() == "已校验"
    listed.refresh_from_db()
    assert listed.contact_email == "lihua.new@guanggu-energy.cn"

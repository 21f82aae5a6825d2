"""Portal pages: sign-up, profile, needs, follows, docking inbox and timeline, review queue, notifications."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from enterprises.models import DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from enterprises.services.docking import docking_transition
from enterprises.services.follows import patent_follow
from tests.enterprises.factories import PatentFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "password1": "Test-pass-2026",
    "password2": "Test-pass-2026",
    "name": "武汉新能源科技有限公司",
    "uscc": "91110108795101314G",
    "city": "4201",
    "contact_name": "张敏",
    "contact_phone": "027-87654321",
    "contact_email": "zhangmin@example.cn",
}


def _html(response) -> str:
    return response.content.decode()


# --- sign-up -----------------------------------------------------------------------------------------


def test_signup_page_is_chinese_and_lists_the_provinces_cities(client):
    html = _html(client.get(reverse("enterprises:signup")))
    assert "企业注册" in html
    assert '<option value="4201">武汉市</option>' in html
    assert "1101" not in html  # Beijing is not a city of the platform's province


def test_signup_logs_the_new_member_in_waiting_for_review(client):
    # when
    response = client.post(reverse("enterprises:signup"), SIGNUP, follow=True)
    # then
    assert response.redirect_chain == [(reverse("enterprises:profile"), 302)]
    html = _html(response)
    assert (
        "注册成功，登录用户名为统一社会信用代码 91110108795101314G。企业信息需知识产权局审核，"
        "审核通过前可以完善企业信息、发布技术需求，但暂不能发起对接。"
    ) in html
    assert 'data-testid="profile-verification">待人工审核<' in html
    assert response.context["user"].username == "91110108795101314G"


def test_signup_of_a_registry_enterprise_files_a_claim_that_waits_for_the_bureau(client, enterprise):
    """Issue 21: the registry's code and name are public record, so signing up with them no longer verifies (it used
    to answer "注册成功…请完善企业信息" with the enterprise 已校验 and the account bound to it)."""
    # given the imported registry's 武汉瑞诚科技有限公司, no account yet
    # when someone signs up with its code and name
    response = client.post(
        reverse("enterprises:signup"), {**SIGNUP, "uscc": enterprise.uscc, "name": enterprise.name}, follow=True
    )
    # then a claim waits: the account is signed in, bound to nothing, and told what happens next
    assert response.redirect_chain == [(reverse("home"), 302)]
    html = _html(response)
    assert "认领申请已提交，登录用户名为 914403001922038216-1。" in html
    assert 'data-testid="claim-status-value">待审核<' in html
    user = response.context["user"]
    assert (user.username, user.role, user.enterprise_id) == ("914403001922038216-1", "", None)
    enterprise.refresh_from_db()
    assert (enterprise.verification, enterprise.contact_email, enterprise.members.count()) == ("verified", "", 0)
    assert Enterprise.objects.count() == 1


def test_signup_with_an_invalid_code_names_the_failed_check_and_writes_nothing(client):
    # when
    response = client.post(reverse("enterprises:signup"), {**SIGNUP, "uscc": "91440300192203821I"})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "uscc": [
            "含有不允许的字符 I（只允许数字和大写字母，不含 I、O、S、V、Z） / Contains characters not allowed: I "
            "(digits and upper-case letters only, no I, O, S, V, Z)"
        ]
    }
    assert (Enterprise.objects.count(), User.objects.count()) == (0, 0)


def test_signup_of_a_registered_code_says_so(client, enterprise, enterprise_member):
    # when
    response = client.post(reverse("enterprises:signup"), {**SIGNUP, "uscc": enterprise.uscc})
    # then
    assert response.context["form"].errors == {
        "uscc": [
            "该统一社会信用代码已注册，请使用本企业已有账号登录或联系平台管理员 / This unified social credit code is "
            "already registered: sign in with your enterprise's existing account or contact the platform administrator"
        ]
    }
    assert Enterprise.objects.count() == 1
    assert list(User.objects.values_list("username", flat=True)) == ["member"]


def test_signup_password_rules_and_mismatch(client):
    # when
    mismatch = client.post(reverse("enterprises:signup"), {**SIGNUP, "password1": "12345678", "password2": "1234"})
    weak = client.post(reverse("enterprises:signup"), {**SIGNUP, "password1": "12345678", "password2": "12345678"})
    # then
    assert mismatch.context["form"].errors == {"password2": ["两次输入的密码不一致 / The two passwords differ"]}
    assert weak.context["form"].errors == {
        "password1": [
            "这个密码太常见了。 / This password is too common.",
            "密码只包含数字。 / This password is entirely numeric.",
        ]
    }
    assert Enterprise.objects.count() == 0


# --- profile and needs -------------------------------------------------------------------------------


def test_profile_page_saves_industry(client, enterprise_member, enterprise):
    # given
    client.force_login(enterprise_member)
    data = {"name": enterprise.name, "city": "4201", "industry_section": "C", "industry_division": "39"}
    # when
    response = client.post(reverse("enterprises:profile"), data, follow=True)
    # then
    assert "企业信息已保存。" in _html(response)
    enterprise.refresh_from_db()
    assert (enterprise.industry_section, enterprise.industry_division) == ("C", "39")


def test_profile_page_shows_a_division_outside_its_section(client, enterprise_member, enterprise):
    # given
    client.force_login(enterprise_member)
    data = {"name": enterprise.name, "city": "4201", "industry_section": "A", "industry_division": "39"}
    # when
    response = client.post(reverse("enterprises:profile"), data)
    # then
    assert response.context["form"].errors == {
        "industry_division": [
            "行业大类 39 不属于门类 A，应属门类 C / Industry division 39 does not belong to section A; "
            "it belongs to section C"
        ]
    }
    assert Enterprise.objects.get(pk=enterprise.pk).industry_section == ""


def test_need_pages(client, enterprise_member):
    # given
    client.force_login(enterprise_member)
    # when
    client.post(reverse("enterprises:need_create"), {"title": "高镍正极材料量产工艺", "keywords": "正极，烧结"})
    need = TechNeed.objects.get()
    client.post(reverse("enterprises:need_edit", args=[need.pk]), {"title": "高镍三元正极", "keywords": need.keywords})
    client.post(reverse("enterprises:need_close", args=[need.pk]))
    listing = _html(client.get(reverse("enterprises:need_list")))
    # then
    need.refresh_from_db()
    assert (need.title, need.keywords, need.status) == ("高镍三元正极", "正极、烧结", "closed")
    assert "重新开放" in listing


def test_other_roles_get_403_and_other_enterprises_needs_404(client, officer, other_member, need):
    client.force_login(officer)
    assert client.get(reverse("enterprises:need_list")).status_code == 403
    client.force_login(other_member)
    assert client.get(reverse("enterprises:need_edit", args=[need.pk])).status_code == 404
    assert client.post(reverse("enterprises:need_close", args=[need.pk])).status_code == 404
    assert TechNeed.objects.get(pk=need.pk).status == "open"


# --- patent page hook, follows -----------------------------------------------------------------------


def test_patent_page_offers_follow_and_docking_to_members(client, enterprise_member, pooled_patent):
    # given
    client.force_login(enterprise_member)
    url = reverse("patents:detail", args=[pooled_patent.pk])
    # when
    before = _html(client.get(url))
    client.post(reverse("enterprises:follow_toggle", args=[pooled_patent.pk]), {"next": url})
    after = _html(client.get(url))
    # then
    assert 'data-testid="follow-button"' in before
    assert f'href="/enterprises/docking/new/?patent={pooled_patent.pk}"' in before
    assert 'data-testid="unfollow-button"' in after
    assert PatentFollow.objects.count() == 1


def test_patent_page_shows_the_follower_count_to_the_owning_officer(client, officer, enterprise_member, pooled_patent):
    # given
    patent_follow(user=enterprise_member, patent=pooled_patent)
    client.force_login(officer)
    # when
    html = _html(client.get(reverse("patents:detail", args=[pooled_patent.pk])))
    # then
    assert "1 家企业关注了该专利" in html
    assert 'data-testid="follow-button"' not in html


def test_followers_page_for_officers(client, officer, enterprise_member, pooled_patent):
    # given
    patent_follow(user=enterprise_member, patent=pooled_patent)
    client.force_login(officer)
    # when
    response = client.get(reverse("enterprises:followers"))
    # then
    assert [(f.enterprise.name, f.patent.title) for f in response.context["page"]] == [
        ("武汉瑞诚科技有限公司", "一种高镍正极材料及其制备方法")
    ]


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
    html = _html(final)
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
    assert "当前状态“已提交”下您不能执行“受理”，可执行：撤回" in _html(response)
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
    from tests.enterprises.factories import PatentFactory

    # given
    recent = make_docking(submitted_at=timezone.now() - timedelta(days=1))
    late = make_docking(patent=PatentFactory(institution=institution), submitted_at=timezone.now() - timedelta(days=8))
    client.force_login(officer)
    # when
    response = client.get(reverse("enterprises:docking_inbox"))
    # then
    assert [(d.pk, d.is_overdue) for d in response.context["page"]] == [(late.pk, True), (recent.pk, False)]
    html = _html(response)
    assert html.count('data-testid="overdue-flag"') == 1
    assert '<strong data-testid="overdue-count">1</strong>' in html


def test_nav_items_per_role(client, enterprise_member, officer, bureau):
    client.force_login(enterprise_member)
    html = _html(client.get(reverse("home")))
    assert [label for label in ("我的需求", "关注的专利", "我的对接", "通知") if label not in html] == []
    client.force_login(officer)
    html = _html(client.get(reverse("home")))
    assert [label for label in ("对接收件箱", "关注者") if label not in html] == []
    assert "我的需求" not in html
    client.force_login(bureau)
    html = _html(client.get(reverse("home")))
    assert "注册审核" in html
    assert "对接收件箱" not in html


# --- review and notifications ------------------------------------------------------------------------


def test_review_queue_page_approves(client, bureau, enterprise_member, enterprise):
    # given
    Enterprise.objects.filter(pk=enterprise.pk).update(verification=Enterprise.Verification.REVIEW)
    client.force_login(bureau)
    # when
    listed = client.get(reverse("enterprises:review_queue"))
    response = client.post(
        reverse("enterprises:review_decide", args=[enterprise.pk]), {"decision": "approve"}, follow=True
    )
    # then
    assert [e.pk for e in listed.context["queue"]] == [enterprise.pk]
    assert "武汉瑞诚科技有限公司：已校验" in _html(response)
    assert Enterprise.objects.get(pk=enterprise.pk).verification == "verified"


def test_review_queue_is_bureau_only(client, officer, enterprise_member):
    client.force_login(officer)
    assert client.get(reverse("enterprises:review_queue")).status_code == 403
    client.force_login(enterprise_member)
    assert client.get(reverse("enterprises:review_queue")).status_code == 403


def test_notifications_page_opens_and_marks_read(client, enterprise_member, officer, make_docking):
    # given
    docking = make_docking()
    docking_transition(docking=docking, action="accept", actor=officer)
    notification = enterprise_member.notifications.get()
    client.force_login(enterprise_member)
    # when
    listing = _html(client.get(reverse("enterprises:notifications")))
    opened = client.post(reverse("enterprises:notification_open", args=[notification.pk]))
    # then
    assert "对接请求已受理：一种高镍正极材料及其制备方法" in listing
    assert opened["Location"] == reverse("enterprises:docking_detail", args=[docking.pk])
    notification.refresh_from_db()
    assert notification.is_read


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
    assert 'data-testid="docking-subject">高镍正极材料量产工艺<' in _html(form_page)
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


# --- the officer's journey: home, inbox, contact, closing a failed negotiation ------------------------------


def test_officer_home_counts_the_waiting_requests_and_links_them(client, officer, make_docking, institution):
    # given: two waiting, one accepted
    first = make_docking(submitted_at=timezone.now() - timedelta(days=2))
    second = make_docking(patent=PatentFactory(institution=institution, title="一种固态电解质"))
    make_docking(patent=PatentFactory(institution=institution), status=DockingStatus.ACCEPTED)
    client.force_login(officer)
    # when
    response = client.get(reverse("home"))
    # then
    html = _html(response)
    assert '<strong data-testid="waiting-count">2</strong>' in html
    assert [d.pk for d in response.context["docking_waiting"]] == [first.pk, second.pk]
    assert f'href="{reverse("enterprises:docking_detail", args=[first.pk])}"' in html
    assert f'href="{reverse("enterprises:docking_inbox")}" data-testid="inbox-link"' in html
    assert "请求会出现在这里" not in html


def test_officer_home_without_waiting_requests_says_where_they_will_appear(client, officer):
    client.force_login(officer)
    html = _html(client.get(reverse("home")))
    assert '<strong data-testid="waiting-count">0</strong>' in html
    assert "企业关注或申请对接本单位专利后，请求会出现在这里。" in html


def test_docking_page_shows_the_enterprise_contact_to_the_officer_not_to_the_bureau(
    client, officer, bureau, make_docking, enterprise
):
    # given
    Enterprise.objects.filter(pk=enterprise.pk).update(
        contact_name="张敏", contact_phone="027-87654321", contact_email="zhangmin@example.cn"
    )
    docking = make_docking()
    url = reverse("enterprises:docking_detail", args=[docking.pk])
    # when
    client.force_login(officer)
    officer_html = _html(client.get(url))
    client.force_login(bureau)
    bureau_html = _html(client.get(url))
    # then
    assert (
        '<dd data-testid="enterprise-contact">张敏 · <a href="tel:027-87654321">027-87654321</a> · '
        '<a href="mailto:zhangmin@example.cn">zhangmin@example.cn</a></dd>'
    ) in officer_html
    assert (
        f'<a href="{reverse("enterprises:docking_inbox")}" data-testid="back-link">← 返回对接收件箱</a>' in officer_html
    )
    assert 'data-testid="enterprise-contact"' not in bureau_html


def test_officer_closes_a_negotiation_as_failed_from_the_page(client, officer, make_docking):
    # given
    docking = make_docking(status=DockingStatus.NEGOTIATING)
    client.force_login(officer)
    url = reverse("enterprises:docking_detail", args=[docking.pk])
    assert "终止洽谈（未成交）" in _html(client.get(url))
    # when
    response = client.post(
        reverse("enterprises:docking_transition", args=[docking.pk]),
        {"action": "decline", "decline_reason": "price", "note": "报价差距过大"},
        follow=True,
    )
    # then
    docking.refresh_from_db()
    assert (docking.status, docking.decline_reason, docking.decline_note) == ("declined", "price", "报价差距过大")
    assert "对接请求状态已更新为“已婉拒”。" in _html(response)


def test_docking_about_a_patent_shows_its_institution_and_offers_no_pick_list(
    client, enterprise_member, pooled_patent, other_institution
):
    client.force_login(enterprise_member)
    # when
    page = client.get(reverse("enterprises:docking_create"), {"patent": pooled_patent.pk})
    response = client.post(
        reverse("enterprises:docking_create"),
        {
            "patent": pooled_patent.pk,
            "institution": other_institution.pk,
            "message": "用于动力电池产线",
            "contact_email": "zhangmin@example.cn",
        },
    )
    # then: the institution is shown, not selectable, and a forged one is ignored by the form
    html = _html(page)
    assert 'name="institution"' not in html
    assert '<dt>权利人</dt><dd data-testid="docking-institution">华中科技大学</dd>' in html
    assert response.status_code == 302
    assert DockingRequest.objects.get().institution == pooled_patent.institution


# --- the docking form asks for a contact; the signing date lies between the submission and today (issue 21) -------


def test_docking_form_is_prefilled_with_the_profile_contact(client, enterprise_member, enterprise, pooled_patent):
    # given
    Enterprise.objects.filter(pk=enterprise.pk).update(
        contact_name="张敏", contact_phone="027-87654321", contact_email="zhangmin@example.cn"
    )
    client.force_login(enterprise_member)
    # when
    page = client.get(reverse("enterprises:docking_create"), {"patent": pooled_patent.pk})
    # then
    html = _html(page)
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
    html = _html(client.get(reverse("enterprises:docking_detail", args=[docking.pk])))
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
    ) in _html(response)
    fresh = DockingRequest.objects.get(pk=docking.pk)
    assert (fresh.status, fresh.signed_amount, fresh.signed_date) == ("negotiating", None, None)

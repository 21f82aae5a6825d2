"""The sign-up page: Chinese, with the province's cities; a new enterprise waits for review, a registry one files
a claim, bad codes and passwords are named and write nothing."""

import pytest
from django.urls import reverse

from accounts.models import User
from enterprises.models import Enterprise
from tests.enterprises.pages.helpers import page_html

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


# --- sign-up -----------------------------------------------------------------------------------------


def test_signup_page_is_chinese_and_lists_the_provinces_cities(client):
    html = page_html(client.get(reverse("enterprises:signup")))
    assert "企业注册" in html
    assert '<option value="4201">武汉市</option>' in html
    assert "1101" not in html  # Beijing is not a city of the platform's province


def test_signup_logs_the_new_member_in_waiting_for_review(client):
    # when
    response = client.post(reverse("enterprises:signup"), SIGNUP, follow=True)
    # then
    assert response.redirect_chain == [(reverse("enterprises:profile"), 302)]
    html = page_html(response)
    assert (
        "注册成功，登录用户名为统一社会信用代码 91110108795101314G。企业信息需知识产权局审核，"
        "审核通过前可以完善企业信息、发布技术需求，但暂不能发起对接。"
    ) in html
    assert 'data-testid="profile-verification">待人工审核<' in html
    assert response.context["user"].username == "91110108795101314G"


def test_signup_of_a_registry_enterprise_files_a_claim_that_waits_for_the_bureau(client, enterprise):
    """The registry's code and name are public record, so signing up with them verifies nothing: no
    "注册成功…请完善企业信息", no enterprise 已校验 and no account bound to it."""
    # given the imported registry's 武汉瑞诚科技有限公司, no account yet
    # when someone signs up with its code and name
    response = client.post(
        reverse("enterprises:signup"), {**SIGNUP, "uscc": enterprise.uscc, "name": enterprise.name}, follow=True
    )
    # then a claim waits: the account is signed in, bound to nothing, and told what happens next
    assert response.redirect_chain == [(reverse("home"), 302)]
    html = page_html(response)
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

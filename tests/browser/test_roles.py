"""In a real headless Chromium: every role logs in and lands on its own Chinese home page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("fixture", "username", "title"),
    [
        ("officer", "officer_a", "技术转移工作台 · 华中科技大学"),
        ("enterprise_member", "member", "企业工作台 · 武汉瑞诚科技有限公司"),
        ("bureau", "bureau", "知识产权局监测 · 全省"),
        ("city_bureau", "bureau_wuhan", "知识产权局监测 · 武汉市"),
        ("platform_admin", "admin", "知识产权局监测 · 全省"),
    ],
)
def test_role_logs_in_and_sees_its_home(request, page, login, live_server, fixture, username, title):
    # given
    request.getfixturevalue(fixture)
    # when
    login(username)
    # then
    assert page.url == f"{live_server.url}/"
    assert page.get_by_test_id("home-title").inner_text() == title
    assert page.get_by_test_id("empty-state").is_visible()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


@pytest.mark.parametrize(
    ("fixture", "username", "links"),
    [
        (
            "officer",
            "officer_a",
            ["首页", "盘点管理", "上传盘点清单", "导入记录", "监测看板", "需求大厅", "对接收件箱", "关注者", "通知"],
        ),
        ("enterprise_member", "member", ["首页", "为您推荐", "检索专利", "我的需求", "关注的专利", "我的对接", "通知"]),
        ("bureau", "bureau", ["首页", "全部专利", "供需缺口", "监测看板", "需求大厅", "智能匹配", "注册审核", "通知"]),
        ("city_bureau", "bureau_wuhan", ["首页", "全部专利", "供需缺口", "监测看板", "需求大厅", "注册审核", "通知"]),
        ("platform_admin", "admin", ["首页", "监测看板", "需求大厅", "智能匹配", "通知", "后台管理"]),
    ],
)
def test_role_sees_its_own_navigation(request, page, login, fixture, username, links):
    # given
    request.getfixturevalue(fixture)
    # when
    login(username)
    # then
    assert [text.strip() for text in page.locator("nav.mainnav a").all_inner_texts()] == links


def test_wrong_password_stays_on_login_with_a_message(page, login, officer):
    login("officer_a", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").inner_text().startswith("用户名或密码不正确")


def test_language_switch_to_english(page, login, officer, live_server):
    # given
    login("officer_a")
    # when
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("load")
    # then
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("home-title").inner_text().startswith("Technology transfer desk")

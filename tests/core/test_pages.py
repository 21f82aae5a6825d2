"""Portal shell: zh-hans by default, English on request, login/logout, a home page per role."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db

LOCAL_APPS = {"accounts", "core", "dashboards", "enterprises", "matching", "patents"}


def test_login_page_is_chinese_by_default(client):
    # when
    response = client.get(reverse("login"))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "专利盘活对接平台" in html
    assert "用户名" in html


def test_english_switch_translates_the_shell(client):
    # given
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    # when
    response = client.get(reverse("login"))
    # then
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Patent Activation and Matching Platform" in html
    assert "Username" in html


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("fixture", "title"),
    [
        ("officer", "技术转移工作台 · 华中科技大学"),
        ("enterprise_member", "企业工作台 · 武汉瑞诚科技有限公司"),
        ("bureau", "知识产权局监测 · 全省"),
        ("city_bureau", "知识产权局监测 · 武汉市"),
        ("platform_admin", "知识产权局监测 · 全省"),
    ],
)
def test_each_role_reaches_its_home_with_an_empty_state(client, request, fixture, title):
    # given
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    # when
    response = client.get(reverse("home"))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert title in html
    assert 'data-testid="empty-state"' in html


def test_login_with_password_then_logout(client, officer):
    # when
    response = client.post(reverse("login"), {"username": "officer_a", "password": "Test-pass-2026"})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_a_chinese_error(client, officer):
    response = client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_officer_cannot_open_another_institutions_patent(client, officer, other_institution):
    # given
    from patents.models import Patent

    patent = Patent.objects.create(
        application_number="201910209152.5",
        title="一种测试专利",
        patent_type="invention",
        institution=other_institution,
    )
    client.force_login(officer)
    # when
    response = client.get(reverse("patents:detail", args=[patent.pk]))
    # then
    assert response.status_code == 404


def test_healthz_reaches_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.json() == {"status": "ok"}


def test_role_groups_exist_after_migration():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    # given: a browser that prefers English, no language chosen on the platform
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    # then
    assert '<html lang="zh-hans">' in response.content.decode()


def test_favicon_is_linked_from_every_page_and_answers_at_the_root(client):
    # when
    html = client.get(reverse("login")).content.decode()
    response = client.get("/favicon.ico")
    # then
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in html
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.ico")


def test_the_menu_toggle_and_responsive_assets_are_on_signed_in_pages(client, officer):
    # given
    client.force_login(officer)
    # when
    html = client.get(reverse("home")).content.decode()
    # then
    assert (
        'aria-controls="mainnav" aria-expanded="false" aria-label="菜单" data-testid="menu-toggle">☰</button>' in html
    )
    assert '<nav class="mainnav" id="mainnav"' in html
    assert '<script src="/static/js/responsive.js" defer></script>' in html
    assert html.index("/static/css/responsive.css") > html.index("/static/css/app.css")


def test_chinese_ui_labels_are_chinese_only(client, officer):
    # given
    client.force_login(officer)
    # when
    upload = client.get(reverse("patents:import_upload")).content.decode()
    app_names = sorted(str(config.verbose_name) for config in apps.get_app_configs() if config.name in LOCAL_APPS)
    # then
    assert '<label for="id_valid_rows_only" class="inline">仅导入有效行</label>' in upload
    assert "import the valid rows only" not in upload
    assert app_names == ["专利库", "企业", "基础数据", "智能匹配", "用户与角色", "监测看板"]

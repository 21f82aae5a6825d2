"""Hostile query strings and bodies on the API and the pages: a clear 400 or form error, never a 500.

Each test here failed before its fix (issue 12): out-of-range years, deeply nested JSON, control characters in
header-bound strings, and the API's error format for unknown URLs, oversized bodies and anonymous calls.
"""

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import RequestDataTooBig
from django.forms.models import model_to_dict
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from common.validators.text import control_character_at, header_safe
from core.api import exceptions as api_errors
from core.api.parsers import json_depth
from enterprises.forms import ProfileForm, SignupForm
from enterprises.models import Enterprise, TechNeed
from patents.filters import APPLICATION_YEAR_MESSAGE
from patents.forms import PatentEditForm
from patents.models import Patent
from patents.services import EDITABLE_FIELDS
from tests.enterprises.factories import TechNeedFactory

pytestmark = pytest.mark.django_db


# --- (1) year and number query parameters ---------------------------------------------------------------------------


def test_application_year_message_names_the_range():
    assert APPLICATION_YEAR_MESSAGE == (
        "申请年份须为 1985–2100 之间的整数 / application year must be a whole number from 1985 to 2100"
    )


@pytest.mark.parametrize(
    "year", ["0", "10000", "-1", "1984", "2101", "1.5", "1e400", "二〇二二", "99999999999999999999"]
)
def test_api_patent_list_rejects_an_out_of_range_application_year(client_for, officer, pooled_patents, year):
    # given
    client = client_for(officer)
    client.raise_request_exception = False
    # when
    response = client.get(reverse("patents-api:patent-list"), {"application_year": year})
    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "输入有误 / Invalid input",
            "details": {"application_year": [APPLICATION_YEAR_MESSAGE]},
        }
    }


def test_api_patent_list_still_filters_by_a_valid_year(client_for, officer, pooled_patents):
    # given
    client = client_for(officer)
    Patent.objects.filter(pk=pooled_patents[0].pk).update(application_date=date(2022, 3, 1))
    # when
    response = client.get(reverse("patents-api:patent-list"), {"application_year": "2022"})
    # then
    assert response.status_code == 200
    assert [row["application_number"] for row in response.json()["results"]] == [pooled_patents[0].application_number]


@pytest.mark.parametrize("page", ["patents:list", "patents:inventory"])
@pytest.mark.parametrize("year", ["0", "10000", "-1"])
def test_patent_pages_show_a_form_error_for_an_out_of_range_year(client, officer, pooled_patents, page, year):
    # given
    client.force_login(officer)
    client.raise_request_exception = False
    # when
    response = client.get(reverse(page), {"application_year": year})
    # then
    assert response.status_code == 200
    assert response.context["filter"].errors == {"application_year": [APPLICATION_YEAR_MESSAGE]}
    assert APPLICATION_YEAR_MESSAGE in response.content.decode()


def test_followers_page_with_a_huge_patent_number_is_not_a_500(client, officer, pooled_patents):
    # given
    client.force_login(officer)
    client.raise_request_exception = False
    # when
    response = client.get(reverse("enterprises:followers"), {"patent": "9" * 30})
    # then: no id a 64-bit column holds, so not an id (issue 21: a 400, as every malformed id in a query)
    assert response.status_code == 400


# --- (2) deeply nested and oversized JSON bodies --------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


TOO_DEEP = {
    "error": {
        "code": "json_too_deep",
        "message": "JSON 嵌套过深（最多 32 层）/ JSON nested too deeply (at most 32 levels)",
        "details": {},
    }
}


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_a_400_for_an_officer(client_for, officer, pooled_patents, depth):
    # given
    client = client_for(officer)
    client.raise_request_exception = False
    body = '{"pks": ' + _nested(depth - 1) + "}"
    # when
    response = client.post(reverse("patents-api:patent-pool"), data=body, content_type="application/json")
    # then
    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert Patent.objects.filter(inventory_status="pooled").count() == len(pooled_patents)


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_a_400_on_anonymous_registration(api_client, depth):
    # given
    api_client.raise_request_exception = False
    body = '{"username": ' + _nested(depth - 1) + "}"
    # when
    response = api_client.post(
        reverse("enterprises-api:enterprise-register"), data=body, content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert User.objects.count() == 0


def test_json_nested_exactly_to_the_limit_is_parsed(client_for, officer):
    # given: 32 levels, the outer object included
    client = client_for(officer)
    body = '{"pks": ' + _nested(31) + "}"
    # when
    response = client.post(reverse("patents-api:patent-pool"), data=body, content_type="application/json")
    # then: it reaches the serializer, which rejects it as a field error, not as a parse error
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_json_body_over_the_upload_limit_is_a_413(client_for, officer, pooled_patents):
    # given
    client = client_for(officer)
    client.raise_request_exception = False
    body = '{"pks": [' + ",".join(["1"] * 600) + "]}"
    # when
    response = client.post(reverse("patents-api:patent-pool"), data=body, content_type="application/json")
    # then
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "request_too_large", "message": "请求内容过大 / Request body too large", "details": {}}
    }
    assert Patent.objects.filter(inventory_status="pooled").count() == len(pooled_patents)


def test_json_depth_counts_without_recursion():
    assert json_depth(1, stop_after=32) == 0
    assert json_depth([], stop_after=32) == 1
    assert json_depth({"a": [1, {"b": []}]}, stop_after=32) == 4
    deep: list = []
    for _ in range(200_000):
        deep = [deep]
    assert json_depth(deep, stop_after=32) == 33


def test_production_settings_use_the_bounded_json_parser():
    # given: production.py imported in a fresh interpreter with its required variables
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "patent_platform.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    code = (
        "import io, django; django.setup()\n"
        "from rest_framework.settings import api_settings\n"
        "parser = api_settings.DEFAULT_PARSER_CLASSES[0]()\n"
        "try:\n"
        "    parser.parse(io.BytesIO(b'[' * 5000 + b']' * 5000), 'application/json', {})\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc.status_code)\n"
    )
    # when
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    # then
    assert result.stdout == "JsonTooDeep 400\n", result.stderr[-2000:]


# --- (4) the API's error format for unknown URLs, refused bodies and anonymous calls -------------------------------


def test_unknown_api_url_is_a_json_404(client_for, officer):
    # given
    client = client_for(officer)
    # when
    response = client.get("/api/v1/no-such-thing/")
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "未找到。", "details": {}}}


def test_unknown_page_url_keeps_the_html_404(client, officer):
    # given
    client.force_login(officer)
    # when
    response = client.get("/no-such-page/")
    # then
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_too_many_form_fields_is_a_400_in_the_api_format(client_for, officer, pooled_patents):
    # given
    client = client_for(officer)
    client.raise_request_exception = False
    # when
    response = client.post(
        reverse("patents-api:patent-pool"), {"pks": [str(p.pk) for p in pooled_patents] + ["1"] * 20}
    )
    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "too_many_fields", "message": "请求字段过多 / Too many fields in the request", "details": {}}
    }
    assert Patent.objects.filter(inventory_status="pooled").count() == len(pooled_patents)


def test_a_body_refused_before_any_view_answers_in_the_api_format(rf):
    # given: Django refused the body in a middleware (the handler400 path)
    request = rf.post(reverse("patents-api:patent-pool"))
    # when
    response = api_errors.bad_request(request, RequestDataTooBig("too big"))
    # then
    assert response.status_code == 413
    assert json.loads(response.content) == {
        "error": {"code": "request_too_large", "message": "请求内容过大 / Request body too large", "details": {}}
    }


def test_server_error_on_the_api_answers_in_the_api_format(rf):
    # when
    response = api_errors.server_error(rf.get(reverse("patents-api:patent-list")))
    # then
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "error": {"code": "server_error", "message": "服务器内部错误 / Server error", "details": {}}
    }


@pytest.mark.parametrize("path", ["/api/v1/patents/", "/api/v1/me/", "/api/v1/needs/", "/api/v1/dashboard/"])
def test_anonymous_api_call_is_a_401_with_a_token_challenge(api_client, path):
    # when
    response = api_client.get(path)
    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"error": {"code": "not_authenticated", "message": "身份认证信息未提供。", "details": {}}}


def test_a_wrong_token_is_a_401_with_a_token_challenge(api_client):
    # given
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    # when
    response = api_client.get(reverse("patents-api:patent-list"))
    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_session_still_authenticates_the_api(client, officer):
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse("api-me"))
    # then
    assert response.status_code == 200
    assert response.json()["username"] == officer.username


# --- (3) control characters: one-line names and titles, header-safe e-mail subjects --------------------------------


def _control_message(position: int) -> str:
    return (
        f"不能包含换行或控制字符（第 {position} 个字符）/ "
        f"must not contain line breaks or control characters (character {position})"
    )


def test_docking_about_a_need_whose_title_has_a_newline_mails_a_one_line_subject(
    client_for, enterprise_member, enterprise, officer, django_capture_on_commit_callbacks
):
    # given: a need stored with a line break (written before the input rule, or by an import)
    officer.email = "officer@hust.edu.cn"
    officer.save()
    need = TechNeedFactory(enterprise=enterprise, title="高镍正极\r\n材料\u2028量产")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(enterprise_member).post(
            reverse("enterprises-api:docking-list"),
            {"need": need.pk, "institution": officer.institution_id, "contact_phone": "027-87654321"},
            format="json",
        )
    # then
    assert response.status_code == 201
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["officer@hust.edu.cn"], f"[专利盘活对接平台] 新的对接请求：{enterprise.name} · 高镍正极 材料 量产")
    ]


def test_header_safe_puts_every_control_run_on_one_space():
    assert header_safe("a\r\nb\tc\x00d\x1be\x7ff\x85g\u2028h\u2029i  j\n") == "a b c d e f g h i j"


@pytest.mark.parametrize(
    ("value", "position"),
    [("a\nb", 2), ("a\rb", 2), ("\tab", 1), ("ab\x1b", 3), ("ab\x7f", 3), ("a\x85", 2), ("需求\u2028名称", 3)],
)
def test_control_character_at_finds_the_first_one(value, position):
    assert control_character_at(value) == position


def test_control_character_at_accepts_ordinary_text():
    assert control_character_at("高镍正极材料 (NCM811) 量产工艺，第2代") is None


@pytest.mark.parametrize(("title", "position"), [("需求\n名称", 3), ("需求\u2029名称", 3), ("需\x1b求", 2)])
def test_api_need_create_rejects_control_characters_in_the_title(client_for, enterprise_member, title, position):
    # when
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:techneed-list"), {"title": title}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"title": [_control_message(position)]}
    assert TechNeed.objects.count() == 0


def test_api_need_create_keeps_line_breaks_in_the_description(client_for, enterprise_member):
    # when
    response = client_for(enterprise_member).post(
        reverse("enterprises-api:techneed-list"), {"title": "量产工艺", "description": "第一段\n第二段"}, format="json"
    )
    # then
    assert response.status_code == 201
    assert list(TechNeed.objects.values_list("title", "description")) == [("量产工艺", "第一段\n第二段")]


def test_need_form_rejects_a_title_with_a_line_break(client, enterprise_member):
    # given
    client.force_login(enterprise_member)
    # when
    response = client.post(reverse("enterprises:need_create"), {"title": "需求\n名称"})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"title": [_control_message(3)]}
    assert TechNeed.objects.count() == 0


def test_api_registration_rejects_control_characters_in_names(api_client):
    # given
    body = {
        "username": "newcorp",
        "password": "Test-pass-2026",
        "name": "武汉新能源\n科技有限公司",
        "uscc": "91110108795101314G",
        "city": "4201",
        "contact_name": "张\u2028敏",
    }
    # when
    response = api_client.post(reverse("enterprises-api:enterprise-register"), body, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"name": [_control_message(6)], "contact_name": [_control_message(2)]}
    assert (User.objects.count(), Enterprise.objects.count()) == (0, 0)


def test_signup_form_rejects_control_characters_in_names():
    # given
    form = SignupForm(
        {
            "username": "newcorp",
            "password1": "Test-pass-2026",
            "password2": "Test-pass-2026",
            "name": "武汉新能源\r科技有限公司",
            "uscc": "91110108795101314G",
            "city": "4201",
            "contact_name": "张敏\x7f",
            "contact_phone": "027\n8888",
        }
    )
    # when / then
    assert form.errors == {
        "name": [_control_message(6)],
        "contact_name": [_control_message(3)],
        "contact_phone": [_control_message(4)],
    }


def test_api_profile_update_rejects_a_contact_name_with_a_line_break(client_for, enterprise_member, enterprise):
    # when
    response = client_for(enterprise_member).patch(
        reverse("enterprises-api:enterprise-me"), {"contact_name": "张\n敏"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"contact_name": [_control_message(2)]}
    enterprise.refresh_from_db()
    assert "\n" not in enterprise.contact_name


def test_profile_form_rejects_a_name_with_a_line_break():
    form = ProfileForm({"name": "武汉\n企业"})
    assert form.errors == {"name": [_control_message(3)]}


def test_api_patent_terms_reject_a_contact_with_a_line_break(client_for, officer, pooled_patents):
    # given
    patent = pooled_patents[0]
    before = (patent.contact, patent.contact_phone)
    # when
    response = client_for(officer).put(
        reverse("patents-api:patent-terms", args=[patent.pk]),
        {"transfer_modes": ["licence"], "price_negotiable": True, "contact": "王老师\r\nBcc: x@example.com"},
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"contact": [_control_message(4)]}
    patent.refresh_from_db()
    assert (patent.contact, patent.contact_phone) == before


def test_patent_edit_form_rejects_a_title_with_a_line_break(pooled_patents):
    # given
    data = model_to_dict(pooled_patents[0], fields=EDITABLE_FIELDS)
    data["title"] = "一种\n电池"
    # when
    form = PatentEditForm({key: value for key, value in data.items() if value is not None})
    # then
    assert form.errors["title"] == [_control_message(3)]


NUL_URLS = [
    "/matching/search/?q=%E9%94%82%00&city=%00&institution=%00&mode=%00&ipc_section=%00",
    "/patents/?q=a%00b",
    "/patents/inventory/?q=a%00b",
    "/dashboards/?city=%00",
    "/api/v1/search/?q=a%00b",
    "/api/v1/patents/?search=a%00b",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_character_in_a_query_string_is_a_400_not_a_500(client, officer, url):
    # given (on PostgreSQL a NUL reaching a filter raised ValueError: a 500 on the search page)
    client.force_login(officer)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"

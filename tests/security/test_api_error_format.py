"""The API's one error format for unknown URLs, bodies refused before any view, server errors and anonymous or
wrongly authenticated calls."""

import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import override_settings
from django.urls import reverse

from core.api import exceptions as api_errors
from patents.models import Patent

pytestmark = pytest.mark.django_db


# --- the API's error format for unknown URLs, refused bodies and anonymous calls -------------------------------


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

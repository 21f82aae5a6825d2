"""The page decorator and the DRF permission of accounts.access, and the declarations read back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts import access

pytestmark = pytest.mark.django_db


def _page(request):
    return HttpResponse("ok")


@pytest.mark.parametrize(
    ("role", "hidden", "expected"),
    [
        ("officer", False, 200),
        ("member", False, 403),
        ("member", True, 404),
        ("no_role", False, 403),
    ],
)
def test_require_access_lets_in_the_predicate_and_refuses_the_rest(rf, users, role, hidden, expected):
    # given
    view = access.require_access(access.is_officer, hidden=hidden)(_page)
    request = rf.get("/somewhere/")
    request.user = users[role]
    # when
    try:
        status = view(request).status_code
    except PermissionDenied:
        status = 403
    except Http404:
        status = 404
    # then
    assert status == expected
    assert access.access_rule_of(view) == access.AccessRule(access.is_officer, hidden)


def test_require_access_sends_anonymous_users_to_the_login_page(rf, users):
    # given
    view = access.require_access(access.is_officer)(_page)
    request = rf.get("/somewhere/")
    request.user = users["anonymous"]
    # when
    response = view(request)
    # then
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/somewhere/")


class _MemberWrites(APIView):
    permission_classes = [access.access_permission(access.is_enterprise_member)]

    def get(self, request):
        return Response({"ok": True})


class _HiddenFromOthers(APIView):
    permission_classes = [access.access_permission(access.is_enterprise_member, hidden=True)]

    def get(self, request):
        return Response({"ok": True})


@pytest.mark.parametrize(
    ("role", "view", "expected"),
    [
        ("member", _MemberWrites, (200, {"ok": True})),
        (
            "officer",
            _MemberWrites,
            (
                403,
                {
                    "error": {
                        "code": "permission_denied",
                        "message": "仅企业用户可以执行此操作 / Only enterprise members can do this",
                        "details": {},
                    }
                },
            ),
        ),
        (
            "officer",
            _HiddenFromOthers,
            (404, {"error": {"code": "not_found", "message": "未找到。", "details": {}}}),
        ),
    ],
)
def test_access_permission_answers_in_the_api_error_format(users, role, view, expected):
    # given
    request = APIRequestFactory().get("/api/v1/somewhere/")
    force_authenticate(request, user=users[role])
    # when
    response = view.as_view()(request)
    # then
    assert (response.status_code, response.data) == expected


def test_access_permission_for_some_actions_leaves_the_others_to_signed_in_users():
    # given
    permission = access.access_permission(access.is_enterprise_member, actions=("create",))
    viewset = type("_Viewset", (viewsets.ViewSet,), {"permission_classes": [permission]})
    callback = viewset.as_view({"get": "list", "post": "create"})
    # when
    rules = (access.access_rule_of(callback, "GET"), access.access_rule_of(callback, "POST"))
    # then
    assert rules == (access.AccessRule(access.is_signed_in), access.AccessRule(access.is_enterprise_member))

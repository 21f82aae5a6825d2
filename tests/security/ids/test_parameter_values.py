"""Every query parameter (GET) and form field (POST) a view reads, recorded while the views run, with each hostile
value, as each role: never a 5xx; and an id-like parameter (page numbers, `pk(s)`, and the name of every foreign
key to an integer-keyed model, as the models declare them) is refused: a 400 on the API naming the parameter, on
pages a 400, a form error on that field or an error message.

The walk fills the ids with 335 so the views get as far as reading them, then again with the id-like parameters it
found set to 335. Parameters a view reads only under conditions the walk does not meet are covered by the apps'
own tests and by test_id_cases.
"""

from collections.abc import Iterator

import pytest
from django.contrib.messages import ERROR, get_messages
from django.forms import BaseForm
from django.http import QueryDict
from django.test import Client
from django_filters import FilterSet

from tests.security.ids.helpers import (
    HOSTILE,
    HOSTILE_FOR_TEXT,
    ROLES,
    SIGN_OUT,
    VICTIM,
    Param,
    fill_ids,
    is_id_like,
    role_client,
    send_request,
    url_routes,
)

pytestmark = pytest.mark.django_db


# --- hostile values in every parameter a view reads -----------------------------------------------------


class _Reads:
    """The parameters read: (source, name), source "query" (request.GET, DRF's query_params) or "body" (request.POST,
    DRF's form bodies)."""

    params: set[Param] | None = None


def _note(source: str, key: object) -> None:
    if _Reads.params is not None and isinstance(key, str):
        _Reads.params.add((source, key))


class RecordingQueryDict(QueryDict):
    """A body's QueryDict that records the names read from it."""

    source = "body"

    def _note(self, key: object) -> None:
        _note(self.source, key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key) -> bool:
        self._note(key)
        return super().__contains__(key)

    def dict(self) -> dict:
        return _RecordingDict(self.source, super().dict())


class RecordingQueryString(RecordingQueryDict):
    """request.GET, recording the names read from it."""

    source = "query"


class _RecordingDict(dict):
    def __init__(self, source: str, data: dict) -> None:
        super().__init__(data)
        self.source = source

    def __getitem__(self, key):
        _note(self.source, key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _note(self.source, key)
        return super().get(key, default)

    def __contains__(self, key) -> bool:
        _note(self.source, key)
        return super().__contains__(key)


@pytest.fixture
def recording(monkeypatch):
    """Every QueryDict a request builds (GET, a form body; DRF's form parser) records the names read from it."""
    import django.core.handlers.wsgi
    import django.http.request
    import rest_framework.parsers
    import rest_framework.request

    monkeypatch.setattr(django.core.handlers.wsgi, "QueryDict", RecordingQueryString)  # request.GET
    for module in (django.http.request, rest_framework.parsers, rest_framework.request):
        monkeypatch.setattr(module, "QueryDict", RecordingQueryDict)


def _reads(client: Client, method: str, path: str, params: dict[Param, str]) -> set[Param]:
    _Reads.params = set()
    try:
        send_request(client, method, path, params)
        read = set(_Reads.params)
    finally:
        _Reads.params = None
    return read if method == "POST" else {param for param in read if param[0] == "query"}  # a GET has no body


def _hostile_values(param: str) -> list[str]:
    if not is_id_like(param):
        return HOSTILE_FOR_TEXT
    return [value for value in HOSTILE if not (param == "offset" and value == "0")]  # an offset may be 0


def _refused(response, param: str) -> bool:
    """An id-like parameter's hostile value refused: on the API a 400 naming it; on pages a 400, a form error on
    that field or an error message."""
    if response.status_code >= 500:
        return False
    if response.wsgi_request.path.startswith("/api/"):
        body = response.json() if response.get("Content-Type") == "application/json" else {}
        return response.status_code == 400 and param in body.get("error", {}).get("details", {})
    if response.status_code == 400:
        return True
    if any(message.level == ERROR for message in get_messages(response.wsgi_request)):
        return True
    for value in _context_values(response):
        form = value.form if isinstance(value, FilterSet) else value
        if isinstance(form, BaseForm) and form.is_bound and param in form.errors:
            return True
    return False


def _context_values(response) -> Iterator[object]:
    for context in response.context or []:
        for layer in context.dicts:
            yield from layer.values()


@pytest.mark.parametrize("role", ROLES)
def test_hostile_values_in_every_parameter_read_are_refused_never_a_500(role, victims, recording):
    # given
    client = role_client(role, victims)
    wrong = []
    walked: set[str] = set()
    # when
    for route, name, _ in url_routes():
        path = fill_ids(route, str(VICTIM))
        for method in ("GET", "POST"):
            if method == "POST" and name in SIGN_OUT:
                continue
            first = _reads(client, method, path, {})
            baseline = {param: str(VICTIM) for param in first if is_id_like(param[1])}
            found_later = _reads(client, method, path, baseline) - first if baseline else set()
            for param in sorted((first | found_later) - {("body", "_walk")}):
                source, param_name = param
                walked.add(param_name)
                others = {k: v for k, v in baseline.items() if k != param} if param in found_later else {}
                for value in _hostile_values(param_name):
                    response = send_request(client, method, path, {**others, param: value})
                    if response.status_code >= 500 or (is_id_like(param_name) and not _refused(response, param_name)):
                        wrong.append((method, path, source, param_name, value, response.status_code))
    # then
    assert wrong == []
    expected = {
        "anonymous": {"username", "password"},
        "officer": {"page", "page_size", "errors_page", "offset", "institution", "patent", "patents", "pks"}
        | {"enterprise", "enterprise_ids"},
        "enterprise_member": {"page", "page_size", "patent", "need", "institution", "q"},
        "bureau": {"page", "page_size", "institution", "enterprise", "enterprise_ids", "q"},
    }[role]
    assert expected <= walked

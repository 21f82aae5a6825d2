"""Ids and page numbers that are not plain ASCII digits: a 4xx, never a 500 and never another spelling of an id.

Issue 21 item 2. `str.isdigit()` accepts "²" (which `int()` then refuses: a 500) and `int()` reads "٣٣٥" as 335, so
`POST /api/v1/needs/٣٣٥/close/` closed need 335; 20 digits overflowed SQLite's integer. Two walks, as each role:

- every URL pattern (walked from the resolver, so a new one cannot be forgotten) with each hostile value in each of
  its id parameters, GET and POST: a 404 (the API's error format under /api/), and the objects numbered 335 — one of
  every kind a URL names — are left exactly as they were;
- every query parameter (GET) and form field (POST) a view reads, recorded while the views run (the walk fills the
  ids with 335 so the views get as far as reading them, then again with the id-like parameters it found set to 335),
  with each hostile value: never a 5xx; and an id-like parameter (page numbers, `pk(s)`, and the name of every
  foreign key to an integer-keyed model, as the models declare them) is refused: a 400 on the API naming the
  parameter, on pages a 400, a form error on that field or an error message.

Parameters a view reads only under conditions the walk does not meet are covered by the apps' own tests (and the
regression tests at the end of this module).
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.core.files.base import ContentFile
from django.db import models
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_filters import FilterSet

from accounts.models import Role
from common.numbers import ID_MESSAGE, PAGE_MESSAGE
from enterprises.forms import DockingCreateForm
from enterprises.models import DockingRequest, Enterprise, Notification, PatentFollow, PatentPush, TechNeed
from imports.models import ImportJob
from patents.models import Institution, Patent

pytestmark = pytest.mark.django_db

VICTIM = 335  # every object a URL can name has this pk; "٣٣٥" and "３３５" must never reach it
HOSTILE = [
    "²",  # str.isdigit() says yes, int() says no
    "٣٣٥",  # Arabic-Indic digits: int() reads 335
    "３３５",  # full-width digits: int() reads 335
    "１",
    "335.0",
    "+335",
    "0335",  # one spelling per id
    "-1",
    "0",
    "0x1",
    "1e3",
    " 1",
    "1 ",
    "9223372036854775808",  # 2**63: one past the largest 64-bit id
    "99999999999999999999",  # overflows SQLite's integer
]
# free-text parameters get the values that broke the platform before; ids and pages get every hostile value
HOSTILE_FOR_TEXT = ["²", "99999999999999999999"]
ROLES = ["anonymous", "officer", "enterprise_member", "bureau"]
SKIP_PREFIXES = ("admin/", "media/", "static/", "__debug__/")
FIXED_PARAMS = {"slug": "all", "file_format": "xlsx"}  # path parameters that are not ids
SIGN_OUT = {"logout", "api-logout"}  # a POST would end the walk's session (and they read no parameter)
SNAPSHOT = (Institution, Patent, Enterprise, TechNeed, PatentFollow, DockingRequest, Notification, ImportJob)


# --- the URL patterns ------------------------------------------------------------------------------------------------


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else ""


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _is_id(name: str) -> bool:
    return name == "pk" or name.endswith("_pk")


def _fill(route: str, id_value: str) -> str:
    """The route as a path: id parameters ← `id_value` (URL-quoted), the others their one fixed value."""

    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return quote(id_value, safe="") if _is_id(name) else FIXED_PARAMS[name]

    return "/" + _PARAM.sub(value, route).replace("^", "").replace("$", "")


def _routes() -> list[tuple[str, str, bool]]:
    """(route, URL name, has an id parameter) for every URL pattern but the admin's."""
    out = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        names = [m.group(1) or m.group(2) for m in _PARAM.finditer(route)]
        assert all(_is_id(n) or n in FIXED_PARAMS for n in names), f"unknown path parameter in {route}"
        out.append((route, name, any(_is_id(n) for n in names)))
    return out


def _id_like(name: str) -> bool:
    """Parameters holding an id or a page number: page numbers, pk(s), and every foreign key to an integer-keyed
    model (with its plural and its _id / _ids forms), as the models declare them."""
    if name in {"pk", "pks", "id", "ids", "page", "page_size", "offset"} or name.endswith(("_page", "_pk", "_id")):
        return True
    return name in _foreign_key_names()


_FK_NAMES: set[str] = set()


def _foreign_key_names() -> set[str]:
    if not _FK_NAMES:
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if field.is_relation and field.concrete and (field.many_to_one or field.one_to_one):
                    target = field.target_field  # type: ignore[union-attr]
                    if isinstance(target, models.IntegerField | models.AutoField):
                        _FK_NAMES.update({field.name, f"{field.name}s", f"{field.name}_id", f"{field.name}_ids"})
    return _FK_NAMES


# --- the objects numbered 335 and the roles --------------------------------------------------------------------------


@pytest.fixture
def victims(wuhan, make_user) -> dict[str, Any]:
    """One object of every kind a URL names, each with pk 335, all visible to the roles below (so that an alias of
    335 would act on them); users bound to them."""
    institution = Institution.objects.create(pk=VICTIM, name="华中科技大学", moe_code="4142010487", city=wuhan)
    enterprise = Enterprise.objects.create(
        pk=VICTIM,
        name="武汉瑞诚科技有限公司",
        uscc="914403001922038216",
        city=wuhan,
        verification=Enterprise.Verification.REVIEW,  # in the bureau's review queue
    )
    officer = make_user("officer", Role.OFFICER, institution=institution)
    member = make_user("member", Role.ENTERPRISE, enterprise=enterprise)
    bureau = make_user("bureau", Role.BUREAU_PROVINCE)
    patent = Patent.objects.create(
        pk=VICTIM,
        application_number="201910209152.5",
        title="一种锂电池正极材料的制备方法",
        patent_type="invention",
        institution=institution,
        inventory_status="pooled",
        transfer_modes=["licence"],
    )
    TechNeed.objects.create(pk=VICTIM, enterprise=enterprise, title="锂电池正极材料量产工艺")
    PatentFollow.objects.create(pk=VICTIM, enterprise=enterprise, patent=patent, created_by=member)
    now = timezone.now()
    docking = DockingRequest.objects.create(
        pk=VICTIM,
        enterprise=enterprise,
        institution=institution,
        patent=patent,
        created_by=member,
        message="希望洽谈该专利的许可",
        expires_at=now + timedelta(days=60),
        signed_amount=Decimal("1000.00"),
        contract_file=ContentFile(b"%PDF-1.4 victim", name="victim.pdf"),
    )
    Notification.objects.create(pk=VICTIM, recipient=member, kind="docking", title="对接请求", docking=docking)
    ImportJob.objects.create(
        pk=VICTIM,
        kind=ImportJob.Kind.PATENTS,
        status=ImportJob.Status.PREVIEWED,
        created_by=officer,
        institution=institution,
        original_name="inventory.csv",
        file=ContentFile(b"a,b\n", name="inventory.csv"),
        rejected_file=ContentFile(b"a,b\n", name="rejected.csv"),
    )
    return {"officer": officer, "enterprise_member": member, "bureau": bureau}


def _snapshot() -> dict[str, Any]:
    return {model.__name__: (model.objects.count(), model_to_dict(model.objects.get(pk=VICTIM))) for model in SNAPSHOT}


def _client(role: str, victims: dict[str, Any]) -> Client:
    client = Client()
    client.raise_request_exception = False  # a server error is a response to assert on, not an exception
    if role != "anonymous":
        client.force_login(victims[role])
    return client


Param = tuple[str, str]  # ("query" or "body", name)


def _send(client: Client, method: str, path: str, params: dict[Param, str]):
    query = {name: value for (source, name), value in params.items() if source == "query"}
    # never an empty body: without one the test client sends no Content-Type and DRF reads a plain dict
    body = {"_walk": "1", **{name: value for (source, name), value in params.items() if source == "body"}}
    url = f"{path}?{urlencode(query)}" if query else path
    if method == "GET":
        return client.get(url)
    return client.post(url, urlencode(body), content_type="application/x-www-form-urlencoded")


# --- walk 1: hostile ids in the path ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_hostile_id_in_any_path_is_a_404_and_touches_nothing(role, victims):
    # given
    client = _client(role, victims)
    before = _snapshot()
    wrong = []
    # when
    routes = [route for route, _, has_id in _routes() if has_id]
    for route in routes:
        for value in HOSTILE:
            path = _fill(route, value)
            for method in ("GET", "POST"):
                response = _send(client, method, path, {})
                api_error = path.startswith("/api/") and response.get("Content-Type") == "application/json"
                if response.status_code != 404 or (
                    path.startswith("/api/") and not (api_error and response.json()["error"]["code"] == "not_found")
                ):
                    wrong.append((method, path, response.status_code))
    # then
    assert wrong == []
    assert _snapshot() == before
    assert len(routes) > 30


# --- walk 2: hostile values in every parameter a view reads -----------------------------------------------------------


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
        _send(client, method, path, params)
        read = set(_Reads.params)
    finally:
        _Reads.params = None
    return read if method == "POST" else {param for param in read if param[0] == "query"}  # a GET has no body


def _hostile_values(param: str) -> list[str]:
    if not _id_like(param):
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
    client = _client(role, victims)
    wrong = []
    walked: set[str] = set()
    # when
    for route, name, _ in _routes():
        path = _fill(route, str(VICTIM))
        for method in ("GET", "POST"):
            if method == "POST" and name in SIGN_OUT:
                continue
            first = _reads(client, method, path, {})
            baseline = {param: str(VICTIM) for param in first if _id_like(param[1])}
            found_later = _reads(client, method, path, baseline) - first if baseline else set()
            for param in sorted((first | found_later) - {("body", "_walk")}):
                source, param_name = param
                walked.add(param_name)
                others = {k: v for k, v in baseline.items() if k != param} if param in found_later else {}
                for value in _hostile_values(param_name):
                    response = _send(client, method, path, {**others, param: value})
                    if response.status_code >= 500 or (_id_like(param_name) and not _refused(response, param_name)):
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


# --- the cases, one by one ------------------------------------------------------------------------------------


NOT_FOUND = {"error": {"code": "not_found", "message": "未找到。", "details": {}}}
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"  # Django's ModelChoiceField, in Chinese


def _invalid(**details: list[str]) -> dict:
    return {"error": {"code": "invalid", "message": "输入有误 / Invalid input", "details": details}}


@pytest.mark.parametrize("action", ["close", "reopen"])
@pytest.mark.parametrize("pk", ["%C2%B2", "%D9%A3%D9%A3%D9%A5", "%EF%BC%93%EF%BC%93%EF%BC%95", "99999999999999999999"])
def test_a_need_named_by_another_spelling_of_its_id_is_a_404_and_stays_as_it_was(victims, action, pk):
    # given: need 335, open (and one closed, for reopen)
    client = _client("enterprise_member", victims)
    if action == "reopen":
        TechNeed.objects.filter(pk=VICTIM).update(status=TechNeed.Status.CLOSED)
    before = model_to_dict(TechNeed.objects.get(pk=VICTIM))
    # when
    response = client.post(f"/api/v1/needs/{pk}/{action}/")
    # then
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert model_to_dict(TechNeed.objects.get(pk=VICTIM)) == before


def test_the_ascii_id_still_closes_the_need(victims):
    # given
    client = _client("enterprise_member", victims)
    # when
    response = client.post(f"/api/v1/needs/{VICTIM}/close/")
    # then
    assert response.status_code == 200
    assert TechNeed.objects.get(pk=VICTIM).status == TechNeed.Status.CLOSED


@pytest.mark.parametrize("pk", ["%C2%B2", "%D9%A3%D9%A3%D9%A5"])
def test_a_docking_transition_on_another_spelling_of_its_id_is_a_404(victims, pk):
    # given
    client = _client("officer", victims)
    # when
    response = client.post(f"/api/v1/docking/{pk}/transition/", {"action": "accept"})
    # then
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert DockingRequest.objects.get(pk=VICTIM).status == "submitted"


@pytest.mark.parametrize("param", ["institution", "page"])
@pytest.mark.parametrize("value", ["²", "٣٣٥", "99999999999999999999", "-1"])
def test_the_search_page_refuses_an_institution_or_page_that_is_not_a_number(victims, param, value):
    # given
    client = _client("bureau", victims)
    # when
    response = client.get("/matching/search/", {"q": "锂", param: value})
    # then
    assert response.status_code == 400


@pytest.mark.parametrize(("param", "value"), [("institution", "٣٣٥"), ("page", "٣"), ("institution", "1" * 20)])
def test_the_search_api_refuses_an_institution_or_page_that_is_not_a_number(victims, param, value):
    # given
    client = _client("bureau", victims)
    # when
    response = client.get("/api/v1/search/", {"q": "锂", param: value})
    # then
    assert response.status_code == 400
    assert response.json() == _invalid(**{param: [ID_MESSAGE if param == "institution" else PAGE_MESSAGE]})


@pytest.mark.parametrize("value", ["²", "٣٣٥", "99999999999999999999"])
def test_the_push_form_refuses_an_enterprise_that_is_not_an_id_and_pushes_nothing(victims, value):
    # given
    client = _client("officer", victims)
    # when
    response = client.post(f"/matching/patents/{VICTIM}/push/", {"enterprise": [str(VICTIM), value]})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/matching/patents/{VICTIM}/enterprises/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["所选企业有误，请重新选择。"]
    assert PatentPush.objects.count() == 0


@pytest.mark.parametrize("param", ["patent", "need"])
@pytest.mark.parametrize("value", ["²", "٣٣٥", "99999999999999999999"])
def test_the_docking_form_refuses_a_patent_or_need_that_is_not_an_id(victims, param, value):
    # given
    client = _client("enterprise_member", victims)
    # when
    opened = client.get("/enterprises/docking/new/", {param: value})
    posted = client.post("/enterprises/docking/new/", {param: value, "message": "希望合作"})
    # then
    assert (opened.status_code, posted.status_code) == (400, 400)
    assert DockingRequest.objects.count() == 1  # the victim only


def test_the_docking_form_refuses_an_institution_that_is_not_an_id(victims):
    # given
    needs = TechNeed.objects.filter(pk=VICTIM)
    # when
    form = DockingCreateForm({"need": str(VICTIM), "institution": "٣٣٥", "message": "希望合作"}, needs=needs)
    # then
    assert form.is_valid() is False
    assert form.errors == {"institution": [INVALID_CHOICE]}


@pytest.mark.parametrize(("param", "value"), [("page", "٣"), ("page", "²"), ("page_size", "²"), ("page_size", "0")])
def test_api_lists_refuse_a_page_or_page_size_that_is_not_a_number(victims, param, value):
    # given
    client = _client("bureau", victims)
    # when
    response = client.get("/api/v1/patents/", {param: value})
    # then
    assert response.status_code == 400
    assert response.json() == _invalid(**{param: [PAGE_MESSAGE]})


def test_api_lists_still_page_as_before(victims):
    # given
    client = _client("bureau", victims)
    # when
    capped = client.get("/api/v1/patents/", {"page_size": "1000"})
    last = client.get("/api/v1/patents/", {"page": "last"})
    beyond = client.get("/api/v1/patents/", {"page": "2"})
    # then
    assert (capped.status_code, capped.json()["count"], len(capped.json()["results"])) == (200, 1, 1)
    assert (last.status_code, [p["pk"] for p in last.json()["results"]]) == (200, [VICTIM])
    assert beyond.status_code == 404


@pytest.mark.parametrize("value", ["٣٣٥", "３３５", "99999999999999999999"])
def test_filters_on_a_foreign_key_refuse_another_spelling_of_its_id(victims, value):
    # given
    member, bureau = _client("enterprise_member", victims), _client("bureau", victims)
    # when
    follows = member.get("/api/v1/follows/", {"patent": value})
    patents = bureau.get("/api/v1/patents/", {"institution": value})
    page = bureau.get("/patents/", {"institution": value})
    # then
    choice = [INVALID_CHOICE]
    assert (follows.status_code, follows.json()) == (400, _invalid(patent=choice))
    assert (patents.status_code, patents.json()) == (400, _invalid(institution=choice))
    assert (page.status_code, page.context["filter"].errors) == (200, {"institution": choice})


def test_filters_on_a_foreign_key_still_filter_by_the_ascii_id(victims):
    # given
    member = _client("enterprise_member", victims)
    # when
    response = member.get("/api/v1/follows/", {"patent": str(VICTIM)})
    # then
    assert (response.status_code, [f["pk"] for f in response.json()["results"]]) == (200, [VICTIM])


@pytest.mark.parametrize("value", ["٣٣٥", "335.0", " 335"])
def test_api_bodies_refuse_an_id_that_is_not_ascii_digits(victims, value):
    # given
    officer, member = _client("officer", victims), _client("enterprise_member", victims)
    # when
    pooled = officer.post("/api/v1/patents/unpool/", {"pks": [value], "reason": "x"})
    docking = member.post("/api/v1/docking/", {"need": value, "message": "希望合作"})
    # then
    assert (pooled.status_code, pooled.json()) == (400, _invalid(pks={"0": [ID_MESSAGE]}))
    assert (docking.status_code, docking.json()) == (400, _invalid(need=[ID_MESSAGE]))
    assert Patent.objects.get(pk=VICTIM).inventory_status == "pooled"
    assert DockingRequest.objects.count() == 1


def test_the_bulk_form_refuses_a_patent_that_is_not_an_id(victims):
    # given
    client = _client("officer", victims)
    # when
    response = client.post("/patents/inventory/bulk/", {"action": "unpool", "patents": ["٣٣٥"], "reason": "x"})
    # then
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "所选专利不存在或不属于本单位 / a selected patent is not one of yours"
    ]
    assert Patent.objects.get(pk=VICTIM).inventory_status == "pooled"

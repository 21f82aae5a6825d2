"""What the hostile id tests share: the hostile values, the objects numbered 335 they must never reach, the URL
patterns walked from the resolver, the parameters that hold an id, a client per role and a request sender."""

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from enterprises.models import DockingRequest, Enterprise, Notification, PatentFollow, TechNeed
from imports.models import ImportJob
from patents.models import Institution, Patent

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
FIXED_PARAMS = {"slug": "all", "file_format": "xlsx", "token": "1:forged:token"}  # path parameters that are not ids
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


def fill_ids(route: str, id_value: str) -> str:
    """The route as a path: id parameters ← `id_value` (URL-quoted), the others their one fixed value."""

    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return quote(id_value, safe="") if _is_id(name) else FIXED_PARAMS[name]

    return "/" + _PARAM.sub(value, route).replace("^", "").replace("$", "")


def url_routes() -> list[tuple[str, str, bool]]:
    """(route, URL name, has an id parameter) for every URL pattern but the admin's."""
    out = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        names = [m.group(1) or m.group(2) for m in _PARAM.finditer(route)]
        assert all(_is_id(n) or n in FIXED_PARAMS for n in names), f"unknown path parameter in {route}"
        out.append((route, name, any(_is_id(n) for n in names)))
    return out


def is_id_like(name: str) -> bool:
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


def victims_snapshot() -> dict[str, Any]:
    return {model.__name__: (model.objects.count(), model_to_dict(model.objects.get(pk=VICTIM))) for model in SNAPSHOT}


def role_client(role: str, victims: dict[str, Any]) -> Client:
    client = Client()
    client.raise_request_exception = False  # a server error is a response to assert on, not an exception
    if role != "anonymous":
        client.force_login(victims[role])
    return client


Param = tuple[str, str]  # ("query" or "body", name)


def send_request(client: Client, method: str, path: str, params: dict[Param, str]):
    query = {name: value for (source, name), value in params.items() if source == "query"}
    # never an empty body: without one the test client sends no Content-Type and DRF reads a plain dict
    body = {"_walk": "1", **{name: value for (source, name), value in params.items() if source == "body"}}
    url = f"{path}?{urlencode(query)}" if query else path
    if method == "GET":
        return client.get(url)
    return client.post(url, urlencode(body), content_type="application/x-www-form-urlencoded")

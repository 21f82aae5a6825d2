"""Huge lists in API bodies: refused at once, in one message, and nothing changes.

A list of millions of ids (`enterprise_ids` of POST /api/v1/patents/{pk}/push/, /patents/unpool/) must not be
validated item by item before its length: a JSON body over API_JSON_MAX_BYTES is a 413 before it is parsed, and
every list the API accepts (core.api.fields.BoundedListField) checks its length before its items.
bench/api_list_refusal.py measures the time; these tests check the answers, not the time.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from enterprises.models import Notification, PatentPush
from patents.models import Patent, PatentStatusChange

pytestmark = pytest.mark.django_db

FOUR_MILLION = "[" + ",".join(["1"] * 4_000_000) + "]"


def _urls(patent_pk: int) -> dict[str, str]:
    return {
        "push": reverse("matching-api:patent-push", args=[patent_pk]),
        "pool": reverse("patents-api:patent-pool"),
        "unpool": reverse("patents-api:patent-unpool"),
        "modes": reverse("patents-api:patent-modes"),
    }


def _body(kind: str, ids: str) -> str:
    return {
        "push": '{"enterprise_ids": ' + ids + "}",
        "pool": '{"pks": ' + ids + "}",
        "unpool": '{"reason": "测试", "pks": ' + ids + "}",
        "modes": '{"transfer_modes": ["licence"], "pks": ' + ids + "}",
    }[kind]


def _state() -> list[tuple]:
    return list(Patent.objects.order_by("pk").values_list("pk", "inventory_status", "transfer_modes", "updated_at"))


@pytest.mark.parametrize("kind", ["push", "pool", "unpool", "modes"])
def test_a_four_million_item_list_is_a_413_and_changes_nothing(client_for, officer, pooled_patents, kind):
    # given: 8 MB of ids, under DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB) but over API_JSON_MAX_BYTES (1 MB)
    client = client_for(officer)
    before = _state()
    # when
    response = client.post(
        _urls(pooled_patents[0].pk)[kind], data=_body(kind, FOUR_MILLION), content_type="application/json"
    )
    # then
    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "request_too_large",
            "message": "JSON 请求体过大（最多 1,048,576 字节）/ JSON body too large (at most 1,048,576 bytes)",
            "details": {},
        }
    }
    assert _state() == before
    assert not PatentPush.objects.exists()
    assert not PatentStatusChange.objects.exists()
    assert not Notification.objects.exists()


@override_settings(API_JSON_MAX_BYTES=20 * 1024 * 1024)
def test_a_four_million_item_list_under_the_body_cap_is_refused_by_its_length(client_for, officer, pooled_patents):
    # given: the body cap lifted, so the list reaches the serializer
    client = client_for(officer)
    before = _state()
    # when
    response = client.post(
        _urls(pooled_patents[0].pk)["push"], data=_body("push", FOUR_MILLION), content_type="application/json"
    )
    # then: one message for the list, none per item
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "enterprise_ids": ["最多 200 项，收到 4000000 项 / At most 200 items, got 4000000"]
    }
    assert _state() == before
    assert not PatentPush.objects.exists()


@pytest.mark.parametrize(
    ("kind", "field", "cap"),
    [("push", "enterprise_ids", 200), ("pool", "pks", 5000), ("unpool", "pks", 5000), ("modes", "pks", 5000)],
)
def test_a_list_over_its_cap_is_refused_before_its_items_are_looked_at(
    client_for, officer, pooled_patents, kind, field, cap
):
    # given: one item too many, every one of them invalid
    client = client_for(officer)
    before = _state()
    ids = "[" + ",".join(['"x"'] * (cap + 1)) + "]"
    # when
    response = client.post(_urls(pooled_patents[0].pk)[kind], data=_body(kind, ids), content_type="application/json")
    # then: the length is the only error (item errors would be keyed by position)
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        field: [f"最多 {cap} 项，收到 {cap + 1} 项 / At most {cap} items, got {cap + 1}"]
    }
    assert _state() == before
    assert not PatentPush.objects.exists()


def test_a_list_at_its_cap_still_reaches_the_items(client_for, officer, pooled_patents):
    # given: exactly 200 ids, one of them malformed
    client = client_for(officer)
    ids = [pooled_patents[0].pk] * 199 + ["x"]
    # when
    response = client.post(_urls(pooled_patents[0].pk)["push"], {"enterprise_ids": ids}, format="json")
    # then: the item's own error, by position
    assert response.status_code == 400
    assert list(response.json()["error"]["details"]["enterprise_ids"]) == ["199"]
    assert not PatentPush.objects.exists()


def test_transfer_modes_lists_are_capped_too(client_for, officer, pooled_patents):
    # given: more modes than there are
    client = client_for(officer)
    before = _state()
    modes = ["licence"] * 100_000
    # when
    bulk = client.post(
        _urls(pooled_patents[0].pk)["modes"],
        {"pks": [pooled_patents[0].pk], "transfer_modes": modes},
        format="json",
    )
    terms = client.put(
        reverse("patents-api:patent-terms", args=[pooled_patents[0].pk]), {"transfer_modes": modes}, format="json"
    )
    # then
    assert bulk.status_code == 400
    assert bulk.json()["error"]["details"] == {
        "transfer_modes": ["最多 4 项，收到 100000 项 / At most 4 items, got 100000"]
    }
    assert terms.status_code == 400
    assert terms.json()["error"]["details"] == {
        "transfer_modes": ["最多 4 种转化方式，收到 100000 项 / At most 4 transfer modes, got 100000"]
    }
    assert _state() == before


def test_every_list_the_api_accepts_has_a_documented_cap(client_for, platform_admin):
    # given
    schema = client_for(platform_admin).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    # when: every array property of every operation's request body
    caps = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                body = components[content["schema"]["$ref"].rsplit("/", 1)[-1]]
                for field, prop in body.get("properties", {}).items():
                    if prop.get("type") == "array":
                        caps[f"{method.upper()} {path} {field}"] = prop.get("maxItems")
    # then
    assert caps == {
        "POST /api/v1/patents/{id}/push/ enterprise_ids": 200,
        "POST /api/v1/needs/{id}/recommend/ patent_ids": 10,
        "PUT /api/v1/patents/{id}/terms/ transfer_modes": 4,
        "POST /api/v1/patents/modes/ pks": 5000,
        "POST /api/v1/patents/modes/ transfer_modes": 4,
        "POST /api/v1/patents/pool/ pks": 5000,
        "POST /api/v1/patents/unpool/ pks": 5000,
    }

"""Every URL pattern (walked from the resolver, so a new one cannot be forgotten), with each hostile value in each of
its id parameters, GET and POST, as each role: a 404 (the API's error format under /api/), and the objects
numbered 335 — one of every kind a URL names — are left exactly as they were.

An id is ASCII digits: `str.isdigit()` accepts "²" (which `int()` refuses) and `int()` reads "٣٣٥" and "３３５" as
335, so neither may decide whether a value is an id.
"""

import pytest

from tests.security.ids.helpers import HOSTILE, ROLES, fill_ids, role_client, send_request, url_routes, victims_snapshot

pytestmark = pytest.mark.django_db


# --- hostile ids in the path ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_hostile_id_in_any_path_is_a_404_and_touches_nothing(role, victims):
    # given
    client = role_client(role, victims)
    before = victims_snapshot()
    wrong = []
    # when
    routes = [route for route, _, has_id in url_routes() if has_id]
    for route in routes:
        for value in HOSTILE:
            path = fill_ids(route, value)
            for method in ("GET", "POST"):
                response = send_request(client, method, path, {})
                api_error = path.startswith("/api/") and response.get("Content-Type") == "application/json"
                if response.status_code != 404 or (
                    path.startswith("/api/") and not (api_error and response.json()["error"]["code"] == "not_found")
                ):
                    wrong.append((method, path, response.status_code))
    # then
    assert wrong == []
    assert victims_snapshot() == before
    assert len(routes) > 30

"""How long the API takes to refuse a huge id list (issue 21 item 7): 4,000,000 ids in one JSON body.

Each list endpoint gets a body of 4M ids (`[1,1,…]`, 8 MB, under DATA_UPLOAD_MAX_MEMORY_SIZE) from a signed-in
officer, in-process through DRF's test client (after one untimed request) on an in-memory SQLite database (test
settings). Measured per endpoint: the status and error code of the answer and the seconds from the request to it;
nothing may have changed. `PLATFORM_API_JSON_MAX_BYTES=20000000` lifts the body cap to time the list caps alone.

Usage: python bench/api_list_refusal.py [--items N]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the project, on sys.path
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=4_000_000)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "patent_platform.settings.test"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from accounts.models import Role
    from accounts.services import roles_ensure, user_create
    from core.models import City
    from core.services import regions_ensure
    from enterprises.models import PatentPush
    from patents.models import Institution, Patent

    regions_ensure()
    roles_ensure()
    wuhan = City.objects.get(code="4201")
    institution = Institution.objects.create(name="华中科技大学", moe_code="4142010487", city=wuhan)
    officer = user_create(
        username="bench_officer", password="Bench-pass-2026", role=Role.OFFICER, institution=institution
    )
    patent = Patent.objects.create(
        application_number="202010100001.0",
        title="一种测试专利",
        patent_type="invention",
        institution=institution,
        inventory_status="pooled",
        legal_status="valid",
        transfer_modes=["licence"],
    )
    client = APIClient()
    client.force_authenticate(officer)
    client.get("/api/v1/patents/")  # the first request of a process loads the URL conf and the views: not timed
    ids = "[" + ",".join(["1"] * args.items) + "]"
    bodies = {
        f"/api/v1/patents/{patent.pk}/push/": '{"enterprise_ids": ' + ids + "}",
        "/api/v1/patents/unpool/": '{"reason": "x", "pks": ' + ids + "}",
        "/api/v1/patents/pool/": '{"pks": ' + ids + "}",
        "/api/v1/patents/modes/": '{"transfer_modes": ["licence"], "pks": ' + ids + "}",
    }
    rows = []
    for url, body in bodies.items():
        start = time.perf_counter()
        response = client.post(url, data=body, content_type="application/json")
        seconds = time.perf_counter() - start
        code = response.json().get("error", {}).get("code") if response.status_code >= 400 else ""
        rows.append({"url": url, "status": response.status_code, "code": code, "seconds": round(seconds, 3)})
    patent.refresh_from_db()
    unchanged = patent.inventory_status == "pooled" and not PatentPush.objects.exists()
    print(f"{args.items:,} ids, body {len(bodies['/api/v1/patents/pool/']) / 1e6:.1f} MB")
    print(f"{'endpoint':40} {'status':>6} {'code':>20} {'seconds':>8}")
    for row in rows:
        print(f"{row['url']:40} {row['status']:>6} {row['code']:>20} {row['seconds']:>8.3f}")
    print(f"nothing changed: {unchanged}")
    print(json.dumps({"items": args.items, "results": rows, "unchanged": unchanged}))


if __name__ == "__main__":
    main()

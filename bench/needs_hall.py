"""The needs hall (需求大厅): the best three of an officer's pooled patents for a page of 20 open needs.

Workload: the demo (`load_demo` + `match_all --if-stale`, prepared here when the database has no run; `load_demo
--scale full` gives 45,000 pooled patents and 26,000 enterprises), the demo officer of 华中科技大学 (or the
institution with the most pooled patents) and the province bureau (whose pool is every pooled patent). The page is
the 20 newest open needs; "every need" is all the open needs (what ordering by best match ranks).

Baselines, in the same process:

* per need, as the recommendations page ranks one need today (matching.reading.needs.need_recommendations: the
  whole live index, the best MATCHING_TOP_K, explained, then the pool kept): 20 rankings of the whole index, and
  a need whose best patents lie beyond the top k gets fewer than three of the institution's (counted);
* per need, masked: rank_one over the whole index with the pool as a mask (the same top three as the hall), then
  the explanation — 20 rankings of the whole index.

The hall (matching.reading.needs_hall): the pool's rows of the live index as an index of their own and the page's
needs ranked in one batch (hall_matches), cold (need tokens not yet cached in the process) and warm; ordering every
open need by best match (hall_order_by_best), cold and warm (warm: the scores kept per pool and live version); the
page itself (GET /matching/needs/hall/ through the test client, templates included). Times are the best of
`--repeat` (default 5) in ms of wall time.

Usage: [DATABASE_URL=...] python bench/needs_hall.py [--repeat N]
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import _common as C  # also puts the project root on sys.path

PAGE = 20


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "False")
    import django

    django.setup()


def _officer():
    from django.db.models import Count, Q

    from accounts.models import Role, User
    from accounts.services import user_create
    from patents.models import Institution

    demo = User.objects.filter(username="officer", role=Role.OFFICER).first()
    if demo is not None:
        return demo
    top = Institution.objects.annotate(n=Count("patents", filter=Q(patents__inventory_status="pooled"))).order_by("-n")
    return User.objects.filter(username="bench_hall_officer").first() or user_create(
        username="bench_hall_officer", password="Bench-pass-2026", role=Role.OFFICER, institution=top.first()
    )


def _bureau():
    from accounts.models import Role, User
    from accounts.services import user_create

    return User.objects.filter(username="bench_hall_bureau").first() or user_create(
        username="bench_hall_bureau", password="Bench-pass-2026", role=Role.BUREAU_PROVINCE
    )


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _per_need_topk(user, needs, pool_ids: set[int]) -> list[int]:
    """Baseline 1: each need ranked over the whole index as need_recommendations ranks it, the pool kept."""
    from django.conf import settings

    from matching.engine import enterprise_query_tokens, explain_many, rank_one
    from matching.live.index import live_index
    from matching.runs.current import current_run
    from matching.runs.rules import need_feedback

    index = live_index(current_run())
    found = []
    for need in needs:
        query = index.transform_query(enterprise_query_tokens(needs=f"{need.title} {need.keywords} {need.description}"))
        top = rank_one(index=index, query=query, k=settings.MATCHING_TOP_K, feedback=need_feedback())
        explain_many(index=index, queries=query, patent_rows=top.indices, n_terms=settings.MATCHING_TERMS_SHOWN)
        kept = [int(index.patent_ids[r]) for r, _ in top.row(0) if int(index.patent_ids[r]) in pool_ids]
        found.append(len(kept[:3]))
    return found


def _per_need_masked(user, needs, pool_ids: set[int]) -> None:
    """Baseline 2: each need ranked over the whole index with the pool as a mask, then explained."""
    from django.conf import settings

    from matching.engine import enterprise_query_tokens, explain_many, mask_from_ids, rank_one
    from matching.live.index import live_index
    from matching.runs.current import current_run
    from matching.runs.rules import need_feedback

    index = live_index(current_run())
    mask = mask_from_ids(index=index, allowed_ids=[str(pk) for pk in pool_ids])
    for need in needs:
        query = index.transform_query(enterprise_query_tokens(needs=f"{need.title} {need.keywords} {need.description}"))
        top = rank_one(index=index, query=query, k=3, patent_mask=mask, feedback=need_feedback())
        explain_many(index=index, queries=query, patent_rows=top.indices, n_terms=settings.MATCHING_TERMS_SHOWN)


def _measure(user, repeat: int) -> dict[str, float | int]:
    from django.test import Client

    from matching.reading.needs_hall import hall_forget, hall_matches, hall_needs, hall_order_by_best
    from patents.selectors import patents_pooled_visible_to

    needs_qs = hall_needs(user=user)
    every = list(needs_qs)
    page = every[:PAGE]
    pool_ids = set(patents_pooled_visible_to(user=user).values_list("pk", flat=True))
    out: dict[str, float | int] = {"open_needs": len(every), "pool": len(pool_ids), "page_needs": len(page)}
    found = _per_need_topk(user, page, pool_ids)  # warm-up: index load, tokenizer dictionary
    out["baseline_topk_needs_short_of_3"] = sum(1 for n in found if n < 3)
    out["baseline_topk_ms"] = _ms(C.best_of(lambda: _per_need_topk(user, page, pool_ids), repeat=repeat))
    out["baseline_masked_ms"] = _ms(C.best_of(lambda: _per_need_masked(user, page, pool_ids), repeat=repeat))

    def cold_page() -> None:
        hall_forget()
        hall_matches(user=user, needs=page)

    out["hall_page_cold_ms"] = _ms(C.best_of(cold_page, repeat=repeat))
    hall_matches(user=user, needs=page)
    out["hall_page_warm_ms"] = _ms(C.best_of(lambda: hall_matches(user=user, needs=page), repeat=repeat))
    rows = hall_matches(user=user, needs=page)
    out["hall_page_needs_with_3"] = sum(1 for r in rows if len(r.matches) == 3)

    hall_forget()
    start = time.perf_counter()
    hall_order_by_best(user=user, needs=needs_qs)
    out["order_all_cold_ms"] = _ms(time.perf_counter() - start)
    out["order_all_warm_ms"] = _ms(C.best_of(lambda: hall_order_by_best(user=user, needs=needs_qs), repeat=repeat))

    client = Client()
    client.force_login(user)
    for ordering in ("-created_at", "-best_match"):
        assert client.get("/matching/needs/hall/", {"ordering": ordering}).status_code == 200
        out[f"page_request{ordering.replace('-', '_')}_ms"] = _ms(
            C.best_of(lambda o=ordering: client.get("/matching/needs/hall/", {"ordering": o}), repeat=repeat)
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from matching.models import MatchRun

    call_command("migrate", verbosity=0)
    if not MatchRun.objects.filter(is_current=True, status=MatchRun.Status.DONE).exists():
        call_command("load_demo", verbosity=0)
        call_command("match_all", "--if-stale", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(C.load_note())
    results = {"officer": _measure(_officer(), args.repeat), "province": _measure(_bureau(), args.repeat)}
    rows = [
        (
            "open needs / pool / page",
            *(f"{r['open_needs']} / {r['pool']} / {r['page_needs']}" for r in results.values()),
        ),
        ("baseline: per need, whole index top k, pool kept", *(r["baseline_topk_ms"] for r in results.values())),
        ("  needs of the page short of 3 matches", *(r["baseline_topk_needs_short_of_3"] for r in results.values())),
        ("baseline: per need, whole index masked", *(r["baseline_masked_ms"] for r in results.values())),
        ("hall: page of 20, tokens cold", *(r["hall_page_cold_ms"] for r in results.values())),
        ("hall: page of 20, tokens warm", *(r["hall_page_warm_ms"] for r in results.values())),
        ("  needs of the page with 3 matches", *(r["hall_page_needs_with_3"] for r in results.values())),
        ("hall: order every open need by best, cold", *(r["order_all_cold_ms"] for r in results.values())),
        ("hall: order every open need by best, warm", *(r["order_all_warm_ms"] for r in results.values())),
        ("page request, newest first", *(r["page_request_created_at_ms"] for r in results.values())),
        ("page request, best match first", *(r["page_request_best_match_ms"] for r in results.values())),
    ]
    C.print_table(headers=[f"ms (best of {args.repeat})", "officer", "province bureau"], rows=rows)
    print(json.dumps({"repeat": args.repeat, "page": PAGE, **results}, ensure_ascii=False))


if __name__ == "__main__":
    main()

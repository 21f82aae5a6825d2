"""Benchmark of the bureau dashboard on PostgreSQL at Hubei scale (45,000 patents, 26,000 enterprises).

    DATABASE_URL=postgres://patent:patent@127.0.0.1:5432/patent_dash_bench python bench/dashboard.py

Builds the rows with bulk_create from real texts in ../shared/data (override with DASHBOARD_BENCH_DATA; falls back
to demo_data/): patent titles with their real IPC subclasses (cn-patent-ipc), Hubei universities (MOE list) and
Hubei enterprise names (CC BY-NC-SA, bench use only). Which institution owns which patent, numbers, dates, statuses,
follows and docking requests are recombined at random (seeded): every row is SYNTHETIC and flagged is_demo, and all
of them are deleted at the end. Measures the dashboard's server time with a cold cache (selectors, and the whole
view through the test client), the warm (cached) time, and a baseline that counts naively in Python over every row.
Prints a table, then ONE line of JSON: the timings and every figure.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/dashboard.py` puts bench/, not the project, on sys.path
    sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("DASHBOARD_BENCH_DATA", ROOT.parent / "shared" / "data"))
INSTITUTIONS, PATENTS, ENTERPRISES, FOLLOWS, DOCKINGS, NEEDS = 86, 45_000, 26_000, 15_000, 4_000, 6_000
REPEAT = 5
TAG = "SYN"  # prefix of every synthetic application number / USCC / institution code

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("set DATABASE_URL=postgres://patent:patent@127.0.0.1:5432/patent_dash_bench (a database of your own)")

import django  # noqa: E402

django.setup()

from dashboard_supply import supply_cases, supply_rows_build  # noqa: E402 - bench/, beside this file
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role  # noqa: E402
from core.models import City  # noqa: E402
from dashboards.selectors import (  # noqa: E402
    DashboardFilters,
    DashboardScope,
    dashboard_figures,
    dashboard_figures_cached,
)
from enterprises.models import DeclineReason, DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed  # noqa: E402
from patents.models import Institution, InventoryStatus, Patent, PatentType  # noqa: E402


def _rows(*candidates: Path) -> list[dict[str, str]]:
    for path in candidates:
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return list(csv.DictReader(handle))
    raise SystemExit(f"none of {', '.join(map(str, candidates))} exists")


def _source_texts() -> tuple[list[tuple[str, list[str]]], list[dict[str, str]], list[str]]:
    demo = ROOT / "demo_data"
    titles = [
        (r["title"], [s for s in r["ipc_subclasses"].split("|") if s])
        for r in _rows(DATA / "cn-patent-ipc" / "titles_ipc.csv", demo / "cn-patent-ipc" / "titles_ipc.csv")
    ]
    universities = [
        r
        for r in _rows(DATA / "cn-universities" / "universities.csv", demo / "cn-universities" / "universities.csv")
        if r["code"].startswith("4142")
    ][:INSTITUTIONS]
    names = [
        r["企业名称"].replace("\x00", "")
        for r in _rows(
            DATA / "hubei-enterprises" / "enterprises.csv",
            demo / "hubei-enterprises-sample" / "enterprises.csv",
        )
        if r["企业名称"].strip()
    ]
    return titles, universities, names


def build(rng: random.Random) -> dict[str, int]:
    """Create the synthetic rows; return how many of each were made."""
    titles, universities, names = _source_texts()
    cities = {c.name: c for c in City.objects.filter(province_id="42")}
    city_list = list(cities.values())
    institutions = Institution.objects.bulk_create(
        Institution(
            name=f"{u['cn_name']}（合成）", moe_code=f"{TAG}{i:04d}", city=cities.get(u["location"], city_list[0])
        )
        for i, u in enumerate(universities)
    )
    weights = [1 / (i + 1) ** 0.7 for i in range(len(institutions))]  # a few big universities, a long tail
    types = [PatentType.INVENTION] * 6 + [PatentType.UTILITY_MODEL] * 3 + [PatentType.DESIGN]
    patents = []
    for i in range(PATENTS):
        title, codes = titles[i % len(titles)]
        applied = date(2012, 1, 1) + timedelta(days=rng.randrange(4700))
        patents.append(
            Patent(
                application_number=f"{TAG}{i:09d}",
                title=f"{title}（合成样本）" if i >= len(titles) else title,
                ipc_main=codes[0] if codes else "",
                ipc_codes=codes,
                ipc_section=codes[0][:1] if codes else "",
                patent_type=rng.choice(types),
                application_date=applied,
                institution=rng.choices(institutions, weights)[0],
                inventory_status=InventoryStatus.POOLED if rng.random() < 0.7 else InventoryStatus.INVENTORIED,
                is_demo=True,
            )
        )
    patents = Patent.objects.bulk_create(patents, batch_size=2000)
    with connection.cursor() as cursor:  # spread "created" over two years (auto_now_add set them all to now)
        cursor.execute(
            "UPDATE patents_patent SET created_at = now() - (id %% 730) * interval '1 day'"
            " WHERE application_number LIKE %s",
            [f"{TAG}%"],
        )
    enterprises = Enterprise.objects.bulk_create(
        (
            Enterprise(
                name=names[i % len(names)],
                uscc=f"{TAG}{i:015d}",
                city=rng.choice(city_list) if rng.random() < 0.5 else cities["武汉市"],
                is_demo=True,
            )
            for i in range(ENTERPRISES)
        ),
        batch_size=2000,
    )
    needs = TechNeed.objects.bulk_create(
        (TechNeed(enterprise=rng.choice(enterprises), title=f"合成需求{i}") for i in range(NEEDS)), batch_size=2000
    )
    pooled = [p for p in patents if p.inventory_status == InventoryStatus.POOLED]
    pairs = {(rng.randrange(len(enterprises)), rng.randrange(len(pooled))) for _ in range(FOLLOWS)}
    follows = PatentFollow.objects.bulk_create(
        (PatentFollow(enterprise=enterprises[e], patent=pooled[p]) for e, p in pairs), batch_size=2000
    )
    now = timezone.now()
    states = [
        DockingStatus.SUBMITTED,
        DockingStatus.ACCEPTED,
        DockingStatus.NEGOTIATING,
        DockingStatus.DECLINED,
        DockingStatus.SIGNED,
        DockingStatus.WITHDRAWN,
        DockingStatus.EXPIRED,
    ]
    dockings = []
    for i, (e, p) in enumerate(list(pairs)[:DOCKINGS]):
        status = states[i % len(states)]
        submitted = now - timedelta(days=rng.randrange(700), hours=rng.randrange(24))
        answered = status not in (DockingStatus.SUBMITTED, DockingStatus.WITHDRAWN, DockingStatus.EXPIRED)
        signed_on = min(submitted + timedelta(days=20 + i % 90), now) if status == DockingStatus.SIGNED else None
        dockings.append(
            DockingRequest(
                enterprise=enterprises[e],
                patent=pooled[p],
                institution_id=pooled[p].institution_id,
                status=status,
                submitted_at=submitted,
                responded_at=submitted + timedelta(hours=rng.expovariate(1 / 60)) if answered else None,
                expires_at=submitted + timedelta(days=60),
                decline_reason=rng.choice(DeclineReason.values) if status == DockingStatus.DECLINED else "",
                signed_amount=Decimal(rng.randrange(50, 5000) * 1000) if status == DockingStatus.SIGNED else None,
                signed_date=timezone.localdate(signed_on) if signed_on else None,
                closed_at=signed_on,
            )
        )
    dockings = DockingRequest.objects.bulk_create(dockings, batch_size=2000)
    return {
        "institutions": len(institutions),
        "patents": len(patents),
        "enterprises": len(enterprises),
        "needs": len(needs),
        "follows": len(follows),
        "dockings": len(dockings),
    }


def clean_up() -> None:
    """Delete every synthetic row, children first (found by the tag, so a crashed run is cleaned up too)."""
    get_user_model().objects.filter(username="bench_bureau").delete()
    tagged_patent = {"patent__application_number__startswith": TAG}
    tagged_enterprise = {"enterprise__uscc__startswith": TAG}
    DockingRequest.objects.filter(**tagged_patent).delete()
    DockingRequest.objects.filter(**tagged_enterprise).delete()
    PatentFollow.objects.filter(**tagged_patent).delete()
    PatentFollow.objects.filter(**tagged_enterprise).delete()
    TechNeed.objects.filter(**tagged_enterprise).delete()
    Patent.objects.filter(application_number__startswith=TAG).delete()
    Enterprise.objects.filter(uscc__startswith=TAG).delete()
    Institution.objects.filter(moe_code__startswith=TAG).delete()


def naive_baseline() -> dict[str, Any]:
    """The obvious way: load every row and count in Python (what the SQL aggregation replaces)."""
    patents = list(
        Patent.objects.values(
            "pk", "institution_id", "institution__city_id", "inventory_status", "patent_type", "ipc_main"
        )
    )
    follows = {f["patent_id"] for f in PatentFollow.objects.values("patent_id")}
    dockings = list(DockingRequest.objects.values("patent_id", "status", "signed_amount", "institution_id"))
    enterprises = list(Enterprise.objects.values("pk", "city_id"))
    return {
        "inventoried": len(patents),
        "pooled": sum(p["inventory_status"] == "pooled" for p in patents),
        "by_city": Counter(p["institution__city_id"] for p in patents),
        "by_institution": Counter(p["institution_id"] for p in patents).most_common(15),
        "by_type": Counter(p["patent_type"] for p in patents),
        "followed": sum(p["pk"] in follows for p in patents),
        "signed": sum(d["status"] == "signed" for d in dockings),
        "amount": sum(d["signed_amount"] or 0 for d in dockings),
        "enterprises": len(enterprises),
    }


def timed(fn: Callable[[], Any], *, cold: bool) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(REPEAT):
        if cold:
            cache.clear()
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def breakdown(scope: DashboardScope) -> dict[str, float]:
    """Median time of each part of `dashboard_figures` (the helpers it calls, in its order)."""
    from dashboards import figures, measures, responses
    from enterprises.selectors.docking import institution_response_times

    filters = DashboardFilters()
    patents = measures.patents_inventoried(scope=scope, filters=filters)
    dockings = measures.docking_requests(scope=scope, filters=filters)
    signed = measures.docking_requests_signed(scope=scope, filters=filters)
    groups = figures.patent_groups(patents)
    rows = institution_response_times(requests=dockings)
    kpis = figures.kpis(scope=scope, filters=filters, groups=groups, response_rows=rows)
    parts = {
        "patent groups (one scan)": lambda: figures.patent_groups(patents),
        "response times per institution": lambda: institution_response_times(requests=dockings),
        "kpis": lambda: figures.kpis(scope=scope, filters=filters, groups=groups, response_rows=rows),
        "funnel": lambda: figures.funnel(scope=scope, filters=filters, kpi=kpis),
        "cities": lambda: figures.by_city(groups=groups, filters=filters),
        "institutions": lambda: figures.top_institutions(groups=groups, signed=signed, filters=filters),
        "types": lambda: figures.by_type(groups=groups, filters=filters),
        "industries": lambda: figures.by_industry(patents=patents, filters=filters),
        "trends": lambda: figures.trends(
            patents=patents,
            follows=measures.patent_follows(scope=scope, filters=filters),
            dockings=dockings,
            signed=signed,
            filters=filters,
        ),
        "response_times": lambda: responses.response_distribution(dockings=dockings, filters=filters),
        "decline_reasons": lambda: responses.decline_reasons(dockings=dockings, filters=filters),
    }
    return {name: round(statistics.median(timed(fn, cold=True)[0]), 1) for name, fn in parts.items()}


def main() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(20260520)
    clean_up()
    try:
        start = time.perf_counter()
        created = build(rng)
        created.update(supply_rows_build(rng, tag=TAG))
        build_s = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        user = get_user_model().objects.create_user(
            username="bench_bureau", password="x-bench-2026", role=Role.BUREAU_PROVINCE
        )
        client = Client()
        client.force_login(user)
        province = DashboardScope(level="province", label="全省")
        wuhan = DashboardScope(level="city", label="武汉市", city_code="4201")
        filtered = DashboardFilters(date_from=date(2018, 1, 1), date_to=date(2022, 12, 31))
        today = timezone.localdate()
        recent = DashboardFilters(date_from=today - timedelta(days=182), date_to=today, date_field="created")
        cases = {
            "baseline: naive Python counting (province)": (naive_baseline, True),
            "selectors, cold cache (province)": (
                lambda: dashboard_figures(scope=province, filters=DashboardFilters()),
                True,
            ),
            "selectors, cold cache (武汉市 scope)": (
                lambda: dashboard_figures(scope=wuhan, filters=DashboardFilters()),
                True,
            ),
            "selectors, cold cache (province, 2018–2022)": (
                lambda: dashboard_figures(scope=province, filters=filtered),
                True,
            ),
            "selectors, cold cache (province, last 6 months, created)": (
                lambda: dashboard_figures(scope=province, filters=recent),
                True,
            ),
            "whole view /dashboards/, cold cache": (lambda: client.get("/dashboards/"), True),
            "whole view /dashboards/, warm cache": (lambda: client.get("/dashboards/"), False),
            "cached selector, warm": (
                lambda: dashboard_figures_cached(scope=province, filters=DashboardFilters()),
                False,
            ),
            **supply_cases(client, province),  # bench/dashboard_supply.py
        }
        client.get("/dashboards/")  # import templates and URLconfs once, outside the timings
        results = {}
        counts = ", ".join(f"{n} {name}" for name, n in created.items())
        print(f"SYNTHETIC rows (recombined real texts, is_demo=True) built in {build_s:.1f} s: {counts}")
        print(f"{'case':<56} {'median ms':>10} {'min ms':>10} {'max ms':>10}")
        for name, (fn, cold) in cases.items():
            times, _ = timed(fn, cold=cold)
            results[name] = round(statistics.median(times), 1)
            print(f"{name:<56} {statistics.median(times):>10.1f} {min(times):>10.1f} {max(times):>10.1f}")
        print(f"{'breakdown of the province figures (cold)':<48} {'median ms':>10}")
        for name, ms in breakdown(province).items():
            print(f"  {name:<46} {ms:>10.1f}")
        cache.clear()
        figures = dashboard_figures(scope=province, filters=DashboardFilters())
        cold = results["selectors, cold cache (province)"]
        print(f"goal ≤ 300 ms cold on PostgreSQL: {'met' if cold <= 300 else 'NOT met'} ({cold} ms)")
        supply = results["whole view /dashboards/supply/, cold"]
        print(f"supply view goal ≤ 300 ms cold: {'met' if supply <= 300 else 'NOT met'} ({supply} ms)")
        print(json.dumps({"timings_ms": results, "figures": figures}, ensure_ascii=False, default=str))
    finally:
        clean_up()


if __name__ == "__main__":
    main()

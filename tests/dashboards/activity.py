"""A seeded, denser data set over the dashboard demo for the date-range property test: patents applied for since
2015 and reaching the platform from 2025, enterprises (one in a city without universities) registering over two
years, needs, follows and docking requests (about patents and about needs) from 2021 to 2026 in every state — deals
signed weeks or months after they were submitted, one without a signing date — plus `World`, the same rows as plain
values, from which the test recomputes every figure by hand."""

import random
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import City
from enterprises.models import DeclineReason, DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from patents.models import InventoryStatus, Patent, PatentType
from tests.dashboards.demo import TZ, Demo

SEED = 20261205
LAST_DAY = date(2026, 11, 30)  # nothing happens after it (the signing service refuses future dates)
OPEN = (DockingStatus.SUBMITTED, DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING)
ANSWERED = (DockingStatus.ACCEPTED, DockingStatus.NEGOTIATING, DockingStatus.DECLINED, DockingStatus.SIGNED)


def _moment(rng: random.Random, first: date, last: date) -> datetime:
    """A random moment between two days (local time; near midnight now and then, where UTC days differ)."""
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    clock = time(rng.choice([0, 1, 7, 12, 18, 23]), rng.randrange(60))
    return datetime.combine(day, clock, tzinfo=TZ)


def activity_build(demo: Demo, *, seed: int = SEED) -> None:
    """Add the seeded rows to the demo's (deterministic for a seed)."""
    rng = random.Random(seed)
    institutions = list(demo.institutions.values())
    kinds = [PatentType.INVENTION, PatentType.INVENTION, PatentType.UTILITY_MODEL, PatentType.DESIGN]
    for index in range(36):
        patent = Patent.objects.create(
            application_number=f"2019{index:07d}.X",
            title=f"区间测试专利{index}",
            patent_type=rng.choice(kinds),
            ipc_main=rng.choice(["G06F", "H01M", "B25J", "C07K", ""]),
            institution=rng.choice(institutions),
            inventory_status=InventoryStatus.POOLED if rng.random() < 0.7 else InventoryStatus.INVENTORIED,
            application_date=None if index % 17 == 0 else date(2015, 1, 1) + timedelta(days=rng.randrange(4300)),
        )
        created = _moment(rng, date(2025, 1, 1), LAST_DAY)
        Patent.objects.filter(pk=patent.pk).update(created_at=created)
    cities = {c.code: c for c in City.objects.filter(code__in=["4201", "4205", "4206", "4203"])}
    for index in range(8):
        Enterprise.objects.create(
            name=f"区间测试企业{index}", uscc=f"91420000MA4R{index:06d}", city=cities[rng.choice(list(cities))]
        )
    enterprises = list(Enterprise.objects.order_by("pk"))
    for enterprise in enterprises:
        registered = _moment(rng, date(2024, 6, 1), date(2026, 10, 31))
        Enterprise.objects.filter(pk=enterprise.pk).update(created_at=registered)
    for index in range(14):
        need = TechNeed.objects.create(enterprise=rng.choice(enterprises), title=f"区间测试需求{index}")
        TechNeed.objects.filter(pk=need.pk).update(created_at=_moment(rng, date(2024, 6, 1), LAST_DAY))
    patents = list(Patent.objects.order_by("pk"))
    _follows_build(rng, enterprises, patents)
    _requests_build(rng, enterprises, patents, list(TechNeed.objects.order_by("pk")))


def _follows_build(rng: random.Random, enterprises: list[Enterprise], patents: list[Patent]) -> None:
    followed = set(PatentFollow.objects.values_list("enterprise_id", "patent_id"))
    for _ in range(45):
        enterprise, patent = rng.choice(enterprises), rng.choice(patents)
        if (enterprise.pk, patent.pk) in followed:
            continue
        followed.add((enterprise.pk, patent.pk))
        first = date(2021, 1, 1) if rng.random() < 0.1 else date(2025, 3, 1)
        PatentFollow.objects.create(enterprise=enterprise, patent=patent, created_at=_moment(rng, first, LAST_DAY))


def _requests_build(
    rng: random.Random, enterprises: list[Enterprise], patents: list[Patent], needs: list[TechNeed]
) -> None:
    institutions = list({p.institution for p in patents})
    open_pairs = set(DockingRequest.objects.filter(status__in=OPEN).values_list("enterprise_id", "patent_id"))
    open_needs: set[tuple[int, int]] = set()
    statuses = [*DockingStatus.values, DockingStatus.SIGNED, DockingStatus.SIGNED, DockingStatus.DECLINED]
    for index in range(60):
        status = rng.choice(statuses)
        first = date(2021, 1, 1) if rng.random() < 0.1 else date(2025, 1, 1)
        submitted = _moment(rng, first, LAST_DAY - timedelta(days=3))
        subject: dict = {}
        if rng.random() < 0.2:
            need = rng.choice(needs)
            institution = rng.choice(institutions)
            if status in OPEN:
                if (need.pk, institution.pk) in open_needs:
                    continue
                open_needs.add((need.pk, institution.pk))
            subject = {"kind": DockingRequest.Kind.NEED, "need": need, "enterprise": need.enterprise}
        else:
            enterprise, patent = rng.choice(enterprises), rng.choice(patents)
            if status in OPEN:
                if (enterprise.pk, patent.pk) in open_pairs:
                    continue
                open_pairs.add((enterprise.pk, patent.pk))
            institution = patent.institution
            subject = {"patent": patent, "enterprise": enterprise}
        responded = submitted + timedelta(hours=rng.expovariate(1 / 90)) if status in ANSWERED else None
        closed = None
        extra: dict = {}
        if status == DockingStatus.SIGNED:
            closed = min(submitted + timedelta(days=rng.randrange(1, 150)), datetime.combine(LAST_DAY, time(12), TZ))
            closed = max(closed, responded or closed)
            extra = {
                "signed_amount": Decimal(rng.randrange(1, 500) * 1000),
                "signed_date": None if index % 23 == 0 else timezone.localtime(closed).date(),
                "signed_mode": "licence",
            }
        elif status == DockingStatus.DECLINED:
            extra = {"decline_reason": rng.choice(DeclineReason.values)}
        DockingRequest.objects.create(
            institution=institution,
            status=status,
            submitted_at=submitted,
            responded_at=responded,
            closed_at=closed,
            expires_at=submitted + timedelta(days=60),
            **subject,
            **extra,
        )


# --- the same rows as plain values, and the figures recomputed from them by the documented rules -----------------


@dataclass(frozen=True)
class World:
    """Every counted row as plain values (local dates), read once after the build."""

    institution_city: dict[int, str]
    patents: list[dict]
    follows: list[dict]
    requests: list[dict]
    enterprises: dict[int, dict]
    needs: list[dict]


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def world_read() -> World:
    """The rows of the database as plain values."""
    from patents.models import Institution

    return World(
        institution_city=dict(Institution.objects.values_list("pk", "city_id")),
        patents=[
            {
                "pk": p.pk,
                "institution": p.institution_id,
                "pooled": p.inventory_status == InventoryStatus.POOLED,
                "type": p.patent_type,
                "application": p.application_date,
                "created": _day(p.created_at),
            }
            for p in Patent.objects.all()
        ],
        follows=[
            {"patent": f.patent_id, "enterprise": f.enterprise_id, "day": _day(f.created_at)}
            for f in PatentFollow.objects.all()
        ],
        requests=[
            {
                "pk": d.pk,
                "patent": d.patent_id,
                "institution": d.institution_id,
                "enterprise": d.enterprise_id,
                "status": d.status,
                "submitted": _day(d.submitted_at),
                "signed": (d.signed_date or _day(d.closed_at) or _day(d.submitted_at))
                if d.status == DockingStatus.SIGNED
                else None,
                "hours": (d.responded_at - d.submitted_at).total_seconds() / 3600 if d.responded_at else None,
                "amount": d.signed_amount,
            }
            for d in DockingRequest.objects.all()
        ],
        enterprises={e.pk: {"city": e.city_id, "registered": _day(e.created_at)} for e in Enterprise.objects.all()},
        needs=[{"enterprise": n.enterprise_id, "day": _day(n.created_at)} for n in TechNeed.objects.all()],
    )


def expected_figures(
    world: World,
    *,
    institution_pks: list[int],
    city_codes: list[str],
    date_field: str,
    date_from: date | None,
    date_to: date | None,
) -> dict:
    """The cards and funnel by the rules the page states: what happened in the range, each row on its own date,
    patents, follows and requests where their university is, enterprises (registered, needs) by their own city."""

    def in_range(day: date | None) -> bool:
        if date_from is None and date_to is None:
            return True
        return day is not None and (date_from is None or day >= date_from) and (date_to is None or day <= date_to)

    def university(institution: int) -> bool:
        return all(institution == pk for pk in institution_pks) and all(
            world.institution_city[institution] == code for code in city_codes
        )

    patent_by_pk = {p["pk"]: p for p in world.patents}
    inventoried = [p for p in world.patents if university(p["institution"]) and in_range(p[date_field])]
    follows = [f for f in world.follows if university(patent_by_pk[f["patent"]]["institution"]) and in_range(f["day"])]
    requests = [r for r in world.requests if university(r["institution"]) and in_range(r["submitted"])]
    signed = [r for r in world.requests if university(r["institution"]) and r["signed"] and in_range(r["signed"])]

    def engaged(institution: int, *, dated: bool) -> set[int]:
        return {
            f["enterprise"]
            for f in world.follows
            if patent_by_pk[f["patent"]]["institution"] == institution and (not dated or in_range(f["day"]))
        } | {
            r["enterprise"]
            for r in world.requests
            if r["institution"] == institution and (not dated or in_range(r["submitted"]))
        }

    own_city = {pk for pk, e in world.enterprises.items() if all(e["city"] == code for code in city_codes)}
    if institution_pks:
        registered = set(own_city)
        for pk in institution_pks:
            registered &= engaged(pk, dated=True)
    else:
        registered = {pk for pk in own_city if in_range(world.enterprises[pk]["registered"])}
    circle = set(own_city)
    for pk in institution_pks:
        circle &= engaged(pk, dated=False)
    with_needs = {n["enterprise"] for n in world.needs if n["enterprise"] in circle and in_range(n["day"])}
    hours: dict[int, list[float]] = {}
    for r in requests:
        if r["hours"] is not None:
            hours.setdefault(r["institution"], []).append(r["hours"])
    medians = [round(statistics.median(h), 2) for h in hours.values()]
    return {
        "kpis": {
            "institutions": len({p["institution"] for p in inventoried}),
            "inventoried": len(inventoried),
            "pooled": sum(p["pooled"] for p in inventoried),
            "inventions": sum(p["type"] == PatentType.INVENTION for p in inventoried),
            "enterprises": len(registered),
            "following": len({f["enterprise"] for f in follows}),
            "with_needs": len(with_needs),
            "docking_requests": len(requests),
            "docking_patents": len({r["patent"] for r in requests if r["patent"]}),
            "signed": len(signed),
            "signed_amount": sum((r["amount"] for r in signed), Decimal("0")),
            "signed_patents": len({r["patent"] for r in signed if r["patent"]}),
            "median_response_hours": round(statistics.median(medians), 1) if medians else None,
        },
        "funnel": {
            "inventoried": len(inventoried),
            "pooled": sum(p["pooled"] for p in inventoried),
            "followed": len({f["patent"] for f in follows}),
            "docking": len({r["patent"] for r in requests if r["patent"]}),
            "signed": len({r["patent"] for r in signed if r["patent"]}),
        },
        "patent_requests": sum(1 for r in requests if r["patent"]),
        "follows": len(follows),
    }

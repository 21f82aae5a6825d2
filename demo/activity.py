"""The demo's activity: follows and docking requests of demo enterprises, with their history (load_demo's last step)."""

from datetime import datetime, timedelta
from decimal import Decimal

from demo.stable import stable_hash
from enterprises.docking import FIRST_RESPONSE_ACTIONS, TERMINAL_STATUSES, TRANSITIONS, DockingAction
from enterprises.models import DeclineReason, DockingEvent, DockingRequest, Enterprise, PatentFollow
from matching.engine import Need, match_records
from matching.engine import Patent as EnginePatent
from patents.models import InventoryStatus, Patent, TransferMode

# What demo docking requests became, by weight (a hash of the pair picks one): a believable funnel and response times.
DOCKING_OUTCOMES = [
    ("submitted", 10),
    ("accepted", 8),
    ("negotiating", 12),
    ("signed", 14),
    ("declined", 18),
    ("withdrawn", 5),
    ("expired", 5),
]
DOCKING_PATHS = {  # the actions that lead there (enterprises/docking.py's TRANSITIONS say where each one goes)
    "submitted": [],
    "accepted": ["accept"],
    "negotiating": ["accept", "negotiate"],
    "signed": ["accept", "negotiate", "sign"],
    "declined": ["decline"],
    "withdrawn": ["withdraw"],
    "expired": ["expire"],
}


def _pick(key: str, weighted: list[tuple[str, int]]) -> str:
    point = stable_hash(key) % sum(w for _, w in weighted)
    for value, weight in weighted:
        if point < weight:
            return value
        point -= weight
    return weighted[-1][0]


def _docking_history(docking, *, uscc: str, outcome: str, patent: Patent) -> list:
    """The events that took `docking` from submitted to `outcome`, setting its response, closing and deal fields."""
    at = docking.submitted_at
    events = [DockingEvent(docking=docking, action="submit", to_status="submitted", at=at)]
    status = "submitted"
    for step, action in enumerate(DOCKING_PATHS[outcome]):
        at = at + timedelta(
            days=1 + stable_hash(f"{uscc}{step}") % (4 if step else 12), hours=stable_hash(f"{uscc}h{step}") % 9
        )
        new = TRANSITIONS[DockingAction(action)].target
        if action == "expire":
            at = docking.expires_at
        events.append(DockingEvent(docking=docking, action=action, from_status=status, to_status=new, at=at))
        if action in FIRST_RESPONSE_ACTIONS and docking.responded_at is None:
            docking.responded_at = at
        status = new
    if outcome == "declined":
        docking.decline_reason = DeclineReason.values[stable_hash(uscc + "r") % len(DeclineReason.values)]
    if outcome == "signed":
        modes = [m for m in patent.transfer_modes if m != TransferMode.EQUITY] or [TransferMode.LICENCE]
        docking.signed_mode = modes[stable_hash(uscc + "m") % len(modes)]
        docking.signed_amount = Decimal(50_000 + (stable_hash(uscc + "a") % 60) * 50_000)
        docking.signed_date = at.date()
    if outcome in TERMINAL_STATUSES:
        docking.closed_at = at
    return events


def activity_load(*, now: datetime, showcase: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Follows and docking requests of demo enterprises over the last nine months, so the funnel, trends, response
    times and the officers' inboxes have something to show. The patents are those the matching engine ranks best
    for each enterprise's need (or, for one enterprise in five without one, its business scope); what became of
    each request is derived from a hash; the `showcase` enterprises (USCCs: the demo accounts') always follow three
    and dock. Written directly (no notifications or e-mails), once: skipped when any demo enterprise already follows
    or docks."""
    if (
        PatentFollow.objects.filter(enterprise__is_demo=True).exists()
        or DockingRequest.objects.filter(enterprise__is_demo=True).exists()
    ):
        return 0, 0
    pooled = {
        p.pk: p
        for p in Patent.objects.filter(inventory_status=InventoryStatus.POOLED, is_demo=True).only(
            "pk", "title", "abstract", "institution_id", "transfer_modes"
        )
    }
    askers: dict[str, Enterprise] = {}
    needs: list[Need] = []
    for enterprise in Enterprise.objects.filter(is_demo=True).prefetch_related("needs").order_by("uscc"):
        text = " ".join(f"{n.title} {n.keywords} {n.description}" for n in enterprise.needs.all())
        if not text and stable_hash(enterprise.uscc + "scope") % 5 == 0:
            text = enterprise.business_scope
        if text:
            askers[enterprise.uscc] = enterprise
            needs.append(Need(enterprise.uscc, text))
    if not pooled or not needs:
        return 0, 0
    patents = [EnginePatent(str(pk), p.title, p.abstract) for pk, p in pooled.items()]
    best: dict[str, list[int]] = {}
    for row in match_records(patents=patents, needs=needs, top=3, n_terms=1):
        best.setdefault(row.need_id, []).append(int(row.patent_id))
    follows, requests, events = [], [], []
    for uscc, patent_ids in best.items():
        enterprise = askers[uscc]
        start = now - timedelta(days=30 + stable_hash(uscc) % 250, hours=stable_hash(uscc + "h") % 24)
        docks = uscc in showcase or stable_hash(uscc + "dock") % 100 < 45
        outcome = _pick(uscc, DOCKING_OUTCOMES)
        # every step happens in the past and open requests have not expired: waiting ones are recent (a few past
        # the answer deadline: the overdue flag), open ones a few weeks old, expired ones over 60 days old
        submitted = {
            "submitted": now - timedelta(days=stable_hash(uscc + "w") % 12, hours=3),
            "accepted": now - timedelta(days=20 + stable_hash(uscc + "o") % 35),
            "negotiating": now - timedelta(days=20 + stable_hash(uscc + "o") % 35),
            "expired": now - timedelta(days=61 + stable_hash(uscc + "x") % 120),
        }.get(outcome, start + timedelta(days=1 + stable_hash(uscc + "s") % 5))
        first_follow = min(start, submitted - timedelta(days=1)) if docks else start
        for i, pk in enumerate(patent_ids[: 3 if uscc in showcase else 1 + stable_hash(uscc + "n") % 3]):
            follows.append(
                PatentFollow(enterprise=enterprise, patent_id=pk, created_at=first_follow + timedelta(hours=i))
            )
        if not docks:
            continue
        patent = pooled[patent_ids[0]]
        docking = DockingRequest(
            enterprise=enterprise,
            institution_id=patent.institution_id,
            patent_id=patent.pk,
            message="我司对该专利技术有转化意向，希望进一步了解许可/转让条件。",
            status=outcome,
            submitted_at=submitted,
            expires_at=submitted + timedelta(days=60),
        )
        events += _docking_history(docking, uscc=uscc, outcome=outcome, patent=patent)
        requests.append(docking)
    PatentFollow.objects.bulk_create(follows, batch_size=1000, ignore_conflicts=True)
    DockingRequest.objects.bulk_create(requests, batch_size=500)  # sets their pks: the events below point at them
    DockingEvent.objects.bulk_create(events, batch_size=1000)
    return len(follows), len(requests)


# How far back the demo's patents and enterprises reached the platform: spread over the nine months of activity.
ARRIVAL_DAYS = 270


def arrival_dates_spread(*, now: datetime, patent_ids: list[int], enterprise_ids: list[int]) -> None:
    """Give the demo's new patents and enterprises the date they reached the platform — a day within the last nine
    months from a hash of the record, and always before the first follow or docking request that involves it — so
    the dashboard's monthly trends show the months of the demo instead of one spike on the day it was loaded.
    `created_at` is auto_now_add (set by the insert), hence a grouped update afterwards; `updated_at` is untouched."""
    follows = PatentFollow.objects.values_list("patent_id", "enterprise_id", "created_at")
    dockings = DockingRequest.objects.values_list("patent_id", "enterprise_id", "submitted_at")
    first: dict[tuple[str, int | None], datetime] = {}
    for patent_id, enterprise_id, at in [*follows, *dockings]:
        for key in (("patent", patent_id), ("enterprise", enterprise_id)):
            if key not in first or at < first[key]:
                first[key] = at
    for kind, model, ids in (("patent", Patent, patent_ids), ("enterprise", Enterprise, enterprise_ids)):
        by_day: dict[datetime, list[int]] = {}
        for pk in ids:
            arrived = now - timedelta(days=1 + stable_hash(f"{kind}{pk}") % ARRIVAL_DAYS)
            if (kind, pk) in first:
                arrived = min(arrived, first[(kind, pk)] - timedelta(days=1))
            day = arrived.replace(hour=9, minute=0, second=0, microsecond=0)
            by_day.setdefault(day, []).append(pk)
        for day, pks in by_day.items():
            for start in range(0, len(pks), 500):  # SQLite's bound-parameter limit
                model.objects.filter(pk__in=pks[start : start + 500]).update(created_at=day)

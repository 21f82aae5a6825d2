"""The demo's activity: follows and docking requests of demo enterprises, with their history (load_demo's last step)."""

from collections.abc import Collection
from datetime import datetime, timedelta
from decimal import Decimal

from demo.stable import stable_hash
from enterprises.docking import FIRST_RESPONSE_ACTIONS, TERMINAL_STATUSES, TRANSITIONS, DockingAction
from enterprises.models import DeclineReason, DockingEvent, DockingRequest, Enterprise, PatentFollow
from enterprises.services.docking_contact import docking_contact_check
from matching.engine import Need, match_records
from matching.engine import Patent as EnginePatent
from patents.models import InventoryStatus, Patent, TransferMode

# What demo docking requests became, by weight (a hash of the pair picks one): a believable funnel and response times.
DOCKING_OUTCOMES = [
    ("submitted", 8),
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


# The dashboard's trend shows the last 24 months (699 days back at least): the demo's history stays inside them.
HISTORY_DAYS = 680
FOLLOWS_FROM, FOLLOWS_TO = 30, 650  # days before loading when an enterprise started following
OPEN_DEADLINE_DAYS = 180  # the deadline an enterprise gave a request still open after the default 60 days
GROWTH = 1.25  # > 1: more activity in recent months than in early ones, as on a platform that is catching on


def _days_ago(key: str, low: float, high: float) -> timedelta:
    """A time between `low` and `high` days back from a hash of `key`, recent times likelier (`GROWTH`)."""
    share = stable_hash(key) / 2**64
    return timedelta(days=low + (high - low) * share**GROWTH, hours=stable_hash(key + "h") % 24)


def activity_load(
    *, now: datetime, enterprise_ids: Collection[int], showcase: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """Follows and docking requests of the demo enterprises `enterprise_ids` (those this load created) over the last
    two years, so the funnel, trends, response times and the officers' inboxes have something to show. The patents
    are those the matching engine ranks best for each enterprise's need (or, for one enterprise in five without one,
    its business scope); what became of each request is derived from a hash; the `showcase` enterprises (USCCs: the
    demo accounts') always follow three and dock. A request carries its enterprise's contact, checked as the docking
    form's. Written directly (no notifications or e-mails)."""
    wanted = set(enterprise_ids)
    pooled = {
        p.pk: p
        # by number, not pk or the database's whim: equal scores rank by position, and a second load gives new pks
        for p in Patent.objects.filter(inventory_status=InventoryStatus.POOLED, is_demo=True)
        .only("pk", "title", "abstract", "institution_id", "transfer_modes")
        .order_by("application_number")
    }
    askers: dict[str, Enterprise] = {}
    needs: list[Need] = []
    for enterprise in Enterprise.objects.filter(is_demo=True).prefetch_related("needs").order_by("uscc"):
        if enterprise.pk not in wanted:
            continue
        ordered = sorted(enterprise.needs.all(), key=lambda n: (n.title, n.keywords, n.description))  # not by pk
        text = " ".join(f"{n.title} {n.keywords} {n.description}" for n in ordered)
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
        start = now - _days_ago(uscc, FOLLOWS_FROM, FOLLOWS_TO)
        docks = uscc in showcase or stable_hash(uscc + "dock") % 100 < 45
        outcome = _pick(uscc, DOCKING_OUTCOMES)
        # every step happens in the past and open requests have not expired: waiting ones are recent (some past the
        # answer deadline: the overdue flag), open ones weeks or months old (those older than the default 60 days
        # with the half-year deadline their enterprise gave), expired ones over 60 days old
        submitted = {
            "submitted": now - timedelta(days=stable_hash(uscc + "w") % 16, hours=3),
            "accepted": now - timedelta(days=20 + stable_hash(uscc + "o") % 140),
            "negotiating": now - timedelta(days=20 + stable_hash(uscc + "o") % 140),
            "expired": now - timedelta(days=61) - _days_ago(uscc + "x", 0, FOLLOWS_TO - 90),
        }.get(outcome, start + timedelta(days=1 + stable_hash(uscc + "s") % 5))
        expires = submitted + timedelta(days=60)
        if outcome in ("accepted", "negotiating") and expires < now + timedelta(days=1):
            expires = submitted + timedelta(days=OPEN_DEADLINE_DAYS)
        first_follow = min(start, submitted - timedelta(days=1)) if docks else start
        for i, pk in enumerate(patent_ids[: 3 if uscc in showcase else 1 + stable_hash(uscc + "n") % 3]):
            follows.append(
                PatentFollow(enterprise=enterprise, patent_id=pk, created_at=first_follow + timedelta(hours=i))
            )
        if not docks:
            continue
        patent = pooled[patent_ids[0]]
        contact = docking_contact_check(
            values={
                "contact_name": enterprise.contact_name,
                "contact_phone": enterprise.contact_phone,
                "contact_email": enterprise.contact_email,
            }
        )
        docking = DockingRequest(
            enterprise=enterprise,
            institution_id=patent.institution_id,
            patent_id=patent.pk,
            message="我司对该专利技术有转化意向，希望进一步了解许可/转让条件。",
            status=outcome,
            submitted_at=submitted,
            expires_at=expires,
            **contact,
        )
        events += _docking_history(docking, uscc=uscc, outcome=outcome, patent=patent)
        requests.append(docking)
    PatentFollow.objects.bulk_create(follows, batch_size=1000, ignore_conflicts=True)
    DockingRequest.objects.bulk_create(requests, batch_size=500)  # sets their pks: the events below point at them
    DockingEvent.objects.bulk_create(events, batch_size=1000)
    return len(follows), len(requests)


def _first_activity() -> dict[tuple[str, int | None], datetime]:
    """The first follow or docking request of every patent and enterprise that has one."""
    follows = PatentFollow.objects.values_list("patent_id", "enterprise_id", "created_at")
    dockings = DockingRequest.objects.values_list("patent_id", "enterprise_id", "submitted_at")
    first: dict[tuple[str, int | None], datetime] = {}
    for patent_id, enterprise_id, at in [*follows, *dockings]:
        for key in (("patent", patent_id), ("enterprise", enterprise_id)):
            if key not in first or at < first[key]:
                first[key] = at
    return first


def arrival_dates_spread(*, now: datetime, patent_ids: list[int], enterprise_ids: list[int]) -> None:
    """Give the demo's new patents and enterprises the date they reached the platform — a day within the last
    `HISTORY_DAYS` from a hash of the record, and always before the first follow or docking request that involves it —
    so the dashboard's monthly trends show the demo's two years instead of one spike on the day it was loaded. A
    record loaded earlier that this load's activity now involves moves back before it when needed (`load_demo
    --scale full` on the default demo). `created_at` is auto_now_add (set by the insert), hence a grouped update
    afterwards; `updated_at` is untouched."""
    first = _first_activity()
    kinds: tuple[tuple[str, type[Patent] | type[Enterprise], list[int], str], ...] = (
        ("patent", Patent, patent_ids, "application_number"),
        ("enterprise", Enterprise, enterprise_ids, "uscc"),
    )
    for kind, model, ids, natural_key in kinds:
        by_day: dict[datetime, list[int]] = {}
        new = set(ids)
        keys = {pk: key for pk, key in model.objects.filter(is_demo=True).values_list("pk", natural_key) if pk in new}
        for pk in ids:
            # from the record's own key, never its pk: the same record arrives the same day whatever the database
            arrived = now - timedelta(days=1 + stable_hash(f"{kind}{keys[pk]}") % HISTORY_DAYS)
            if (kind, pk) in first:
                arrived = min(arrived, first[(kind, pk)] - timedelta(days=1))
            by_day.setdefault(arrived.replace(hour=9, minute=0, second=0, microsecond=0), []).append(pk)
        involved = [pk for (k, pk) in first if k == kind and pk is not None and pk not in new]
        for start in range(0, len(involved), 500):
            earlier = model.objects.filter(pk__in=involved[start : start + 500], is_demo=True)  # never a real record
            for pk, created in earlier.values_list("pk", "created_at"):
                if created >= first[(kind, pk)]:
                    day = (first[(kind, pk)] - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
                    by_day.setdefault(day, []).append(pk)
        for day, pks in by_day.items():
            for start in range(0, len(pks), 500):  # SQLite's bound-parameter limit
                model.objects.filter(pk__in=pks[start : start + 500]).update(created_at=day)

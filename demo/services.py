"""Build the Hubei demo from the real data in demo_data/, deterministically and idempotently.

What the sources do not say (owner, application number, dates, legal and inventory status, terms, contacts) is
derived from a hash of each record's key, so every run produces the same demo. `scale="full"` adds the synthetic
records of demo.synthetic, up to Hubei's size.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import roles_ensure, user_create
from common.validators import compute_check_digit
from core.models import City
from core.selectors import city_for_region
from core.services import regions_ensure
from demo.activity import activity_load, arrival_dates_spread
from demo.alerts import alerts_demo_load
from demo.colleges import colleges_load, holdings_load
from demo.contacts import demo_phone, enterprise_contact
from demo.districts import districts_load
from demo.patentpage import patent_page_load
from demo.review import review_load
from demo.sources import UNIVERSITIES, EnterpriseRow, PatentRow, read_csv, real_enterprise_rows, real_patent_rows
from demo.stable import stable_hash
from demo.synthetic import (
    synthetic_enterprise_count,
    synthetic_enterprises,
    synthetic_patent_counts,
    synthetic_patents,
)
from demo.terms import demo_terms
from demo.titles import title_is_junk
from enterprises.models import Enterprise, TechNeed
from patents.models import Institution, InventoryStatus, LegalStatus, Patent, PatentType

DEMO_PROVINCE = "42"
SCALES = ("demo", "full")
LAPSED = "专利已失效"
NOT_POOLED_REASONS = [LAPSED, "已许可他人独占实施", "发明人暂不同意转化", "权属存在争议待核实"]
# a real office pools no bare title: the patents the sources give no abstract stay inventoried, saying why
MISSING_ABSTRACT = "缺少摘要，补充摘要后方可入库"


@dataclass
class DemoSummary:
    """What load_demo created on this run (zeros on a second run)."""

    institutions: int = 0
    patents: int = 0
    enterprises: int = 0
    needs: int = 0
    follows: int = 0
    docking_requests: int = 0
    synthetic_patents: int = 0
    synthetic_enterprises: int = 0
    colleges: int = 0
    holdings: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)


def application_number_make(*, year: int, type_digit: int, serial: int) -> str:
    """A 12-digit application number with its check character (weights 2..9, sum mod 11, 10 → X)."""
    body = f"{year:04d}{type_digit}{serial:07d}"
    return f"{body}.{compute_check_digit(body)}"


def _city_for(name: str, cities: dict[str, City]) -> City:
    # the importers' rule (仙桃/潜江/天门/神农架 → 省直辖); the sources always name a place, Wuhan when they do not
    return city_for_region(name, list(cities.values())) or cities.get("武汉市") or next(iter(cities.values()))


def institutions_load(*, cities: dict[str, City]) -> list[str]:
    """Hubei's undergraduate universities from the MOE list (学校标识码 digits 3-4 = 42)."""
    created = []
    for row in read_csv(UNIVERSITIES):
        if not row["code"].startswith("41" + DEMO_PROVINCE) or row["level"] != "本科":
            continue
        _, was_created = Institution.objects.get_or_create(
            moe_code=row["code"],
            defaults={
                "name": row["cn_name"],
                "english_name": row["en_name"],
                "city": _city_for(row["location"], cities),
                "authority": row["authority"],
            },
        )
        if was_created:
            created.append(row["cn_name"])
    return created


def _status(*, row: PatentRow, h: int, pooled: bool | None) -> tuple[str, str]:
    """Inventory status and not-pooled reason: a patent without an abstract is never pooled; of the others 85 % are
    (a synthetic one as its plan says: `pooled`), 8 % await a decision and 7 % were not pooled, with a reason."""
    if not row.abstract:
        return InventoryStatus.INVENTORIED, MISSING_ABSTRACT
    bucket = (h >> 40) % 100
    waiting = bucket < 93 if pooled is None else bucket < 50  # a synthetic patent not pooled waits one time in two
    if pooled is None:
        pooled = bucket < 85
    if pooled:
        return InventoryStatus.POOLED, ""
    if waiting:
        return InventoryStatus.INVENTORIED, ""
    return InventoryStatus.NOT_POOLED, NOT_POOLED_REASONS[h % len(NOT_POOLED_REASONS)]


def _patent_make(
    row: PatentRow,
    *,
    institutions: list[Institution],
    serials: set[str],
    pooled: bool | None = None,
    origin: str = "",
) -> Patent:
    h = stable_hash(row.key)
    kind = row.publication_number[-1:] if row.publication_number else "A"
    patent_type = PatentType.UTILITY_MODEL if kind in "UY" else PatentType.INVENTION
    year = 2013 + h % 11
    serial = (h >> 8) % 10_000_000
    number = application_number_make(
        year=year, type_digit=2 if patent_type == PatentType.UTILITY_MODEL else 1, serial=serial
    )
    while number in serials:  # keep generated numbers unique without changing the others
        serial = (serial + 1) % 10_000_000
        number = application_number_make(year=year, type_digit=int(number[4]), serial=serial)
    serials.add(number)
    application_date = date(year, 1, 1) + timedelta(days=(h >> 16) % 360)
    granted = kind in "BCUY" or (h >> 20) % 3 == 0
    grant_date = application_date + timedelta(days=180 + (h >> 24) % 900) if granted else None
    if grant_date and grant_date > date(2025, 12, 31):
        grant_date = date(2025, 12, 31)
    # Zipf-like ownership: the big research universities hold most patents, as in the real inventory.
    owner = institutions[min(int(len(institutions) * ((h >> 28) % 10_000 / 10_000) ** 2.2), len(institutions) - 1)]
    status, reason = _status(row=row, h=h, pooled=pooled)
    legal = LegalStatus.VALID if granted else LegalStatus.PENDING
    if reason == LAPSED:
        legal = LegalStatus.INVALID
    terms: dict[str, Any] = {}
    if status == InventoryStatus.POOLED:
        terms = demo_terms(
            h=h,
            contact=f"{owner.name}技术转移中心",
            contact_phone=demo_phone(key=owner.moe_code or owner.name, place=owner.city.name),
        )
    return Patent(
        application_number=number,
        publication_number=row.publication_number,
        title=row.title[:300],
        abstract=row.abstract,
        claims=row.claims,
        ipc_main=row.ipc[0] if row.ipc else "",
        ipc_codes=list(row.ipc),
        ipc_section=row.ipc[0][0] if row.ipc else "",
        patent_type=patent_type,
        application_date=application_date,
        grant_date=grant_date,
        legal_status=legal,
        institution=owner,
        applicant=owner.name,
        inventory_status=status,
        not_pooled_reason=reason,
        value_grade="ABCD"[(h >> 56) % 4],
        internal_notes=origin,
        is_demo=True,
        **terms,
    )


def patents_load(*, institutions: list[Institution], scale: str, scale_factor: float) -> tuple[int, int]:
    """Create the demo patents that do not exist yet (keyed by generated application number): the real ones, and at
    the full scale the synthetic ones. Returns (created, synthetic among them)."""
    existing = set(Patent.objects.filter(is_demo=True).values_list("application_number", flat=True))
    serials: set[str] = set()  # numbers depend only on the rows, never on what the database holds
    batch = [_patent_make(row, institutions=institutions, serials=serials) for row in real_patent_rows()]
    synthetic = []
    if scale == "full":
        real_pooled = sum(1 for p in batch if p.inventory_status == InventoryStatus.POOLED)
        count, pooled = synthetic_patent_counts(real_patents=len(batch), real_pooled=real_pooled, factor=scale_factor)
        base = [row for row in real_patent_rows() if row.abstract]
        synthetic = [
            _patent_make(made.row, institutions=institutions, serials=serials, pooled=i < pooled, origin=made.origin)
            for i, made in enumerate(synthetic_patents(base=base, count=count))
        ]
    new = [p for p in [*batch, *synthetic] if p.application_number not in existing]
    Patent.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new), len([p for p in synthetic if p.application_number not in existing])


_SCOPE_SPLIT = re.compile(r"[；;、，,。]")


def _scope_items(scope: str) -> list[str]:
    items = [s.strip(" 。.·*#+") for s in _SCOPE_SPLIT.split(scope)]
    # an item of four characters at least: "生产" or "建设" alone says nothing an enterprise needs
    return [s for s in items if 4 <= len(s) <= 30 and not re.search(r"许可|经营|[：:（）()]", s)]


def enterprises_load(*, cities: dict[str, City], scale: str, scale_factor: float) -> tuple[int, int, int]:
    """Demo enterprises (the CC BY-NC-SA sample, and at the full scale the synthetic ones; all marked demo), each
    with a contact, and a technology need for one in eight. Returns (created, needs, synthetic among them)."""
    rows: list[EnterpriseRow] = real_enterprise_rows()
    real = len(rows)
    if scale == "full":
        count = synthetic_enterprise_count(real_enterprises=real, factor=scale_factor)
        rows = [*rows, *synthetic_enterprises(base=rows, count=count)]
    existing = set(Enterprise.objects.values_list("uscc", flat=True))
    new = []
    synthetic = 0
    for index, row in enumerate(rows):
        if row.uscc in existing:
            continue
        synthetic += index >= real
        new.append(
            Enterprise(
                name=row.name[:200],
                uscc=row.uscc,
                city=_city_for(row.region, cities),
                business_scope=row.business_scope,
                registered_date=row.registered if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.registered) else None,
                is_demo=True,
                size=["micro", "small", "small", "medium"][stable_hash(row.uscc) % 4],
                **enterprise_contact(uscc=row.uscc, place=row.region),
            )
        )
    Enterprise.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    needs = []
    created = {e.uscc for e in new}
    for enterprise in Enterprise.objects.filter(is_demo=True, needs__isnull=True).iterator(chunk_size=2000):
        if enterprise.uscc not in created:
            continue
        items = _scope_items(enterprise.business_scope)
        title = f"{items[0]}相关技术需求"[:200] if items else ""
        if not items or stable_hash(enterprise.uscc) % 8 or title_is_junk(title):
            continue
        needs.append(
            TechNeed(
                enterprise=enterprise,
                title=title,
                description=f"寻求与{'、'.join(items[:4])}相关的专利技术，用于产品升级和工艺改进。",
                keywords="、".join(items[:5])[:300],
            )
        )
    TechNeed.objects.bulk_create(needs, batch_size=1000)
    return len(new), len(needs), synthetic


def _demo_user(username: str, role: str, password: str, summary: DemoSummary, label: str, **binding) -> None:
    if not User.objects.filter(username=username).exists():
        user_create(username=username, password=password, role=role, first_name=label, **binding)
    summary.users.append((username, password, label))


def users_load(*, password: str, summary: DemoSummary) -> None:
    """One demo account per role (and a second officer, to show institutions cannot see each other)."""
    hust = Institution.objects.filter(name="华中科技大学").first() or Institution.objects.first()
    whu = Institution.objects.filter(name="武汉大学").first() or Institution.objects.last()
    enterprise = (
        Enterprise.objects.filter(is_demo=True, needs__isnull=False, city__code="4201").order_by("uscc").first()
    )
    enterprise = enterprise or Enterprise.objects.order_by("uscc").first()
    wuhan = City.objects.get(code="4201")
    if hust is None or whu is None or enterprise is None:
        raise RuntimeError("load the demo institutions and enterprises before the demo users")
    _demo_user("officer", Role.OFFICER, password, summary, f"技术转移人员（{hust.name}）", institution=hust)
    _demo_user("officer_whu", Role.OFFICER, password, summary, f"技术转移人员（{whu.name}）", institution=whu)
    _demo_user(
        "enterprise", Role.ENTERPRISE, password, summary, f"企业用户（{enterprise.name}）", enterprise=enterprise
    )
    _demo_user("bureau", Role.BUREAU_PROVINCE, password, summary, "湖北省知识产权局")
    _demo_user("bureau_wuhan", Role.BUREAU_CITY, password, summary, "武汉市知识产权局", city=wuhan)
    _demo_user("admin", Role.ADMIN, password, summary, "平台管理员")


@transaction.atomic
def demo_load(*, password: str = "Demo-2026!", scale: str = "demo", scale_factor: float = 1.0) -> DemoSummary:
    """Load the whole demo; a second call creates nothing and returns zero counts. `scale="full"` builds Hubei's
    size (demo.synthetic); `scale_factor` builds that fraction of its synthetic records (for tests)."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    if not 0 < scale_factor <= 1:
        raise ValueError("scale_factor must be in (0, 1]")
    loaded = timezone.now()  # what this call creates has created_at after it (spread below)
    regions_ensure()
    roles_ensure()
    cities = {c.name: c for c in City.objects.filter(province_id=DEMO_PROVINCE)}
    summary = DemoSummary()
    summary.institutions = len(institutions_load(cities=cities))
    institutions = list(
        Institution.objects.filter(city__province_id=DEMO_PROVINCE).select_related("city").order_by("moe_code")
    )
    summary.patents, summary.synthetic_patents = patents_load(
        institutions=institutions, scale=scale, scale_factor=scale_factor
    )
    summary.enterprises, summary.needs, summary.synthetic_enterprises = enterprises_load(
        cities=cities, scale=scale, scale_factor=scale_factor
    )
    users_load(password=password, summary=summary)
    alerts_demo_load()  # the demo enterprise user's saved search and need marked 提醒我 (docs/alerts.md)
    showcase = frozenset(User.objects.filter(enterprise__isnull=False).values_list("enterprise__uscc", flat=True))
    # the demo's history is spread back from the start of today (local time), not from this instant: its dates are
    # whole days before "today" whenever it is loaded — a load that straddled the hour (or two loads a minute apart)
    # moved records whose spread lands near midnight to the neighbouring day
    now = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    new_enterprises = list(Enterprise.objects.filter(is_demo=True, created_at__gte=loaded).values_list("pk", flat=True))
    summary.follows, summary.docking_requests = activity_load(
        now=now, showcase=showcase, enterprise_ids=new_enterprises
    )
    arrival_dates_spread(
        now=now,
        patent_ids=list(Patent.objects.filter(is_demo=True, created_at__gte=loaded).values_list("pk", flat=True)),
        enterprise_ids=new_enterprises,
    )
    summary.colleges = colleges_load()
    summary.holdings = holdings_load(today=timezone.localdate(now))
    patent_page_load(now=now)  # assessments (grade, inventor consent) and legal histories of the pooled patents
    districts_load()
    summary.users.extend(review_load(password=password))
    return summary

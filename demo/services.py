"""Build the Hubei demo from the real data in demo_data/, deterministically and idempotently.

What the sources do not say (owner, application number, dates, legal and inventory status, terms) is
derived from a hash of each patent's publication number, so every run produces the same demo.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import roles_ensure, user_create
from common.validators import compute_check_digit
from core.models import City
from core.selectors import city_for_region
from core.services import regions_ensure
from demo.activity import activity_load, arrival_dates_spread
from demo.stable import stable_hash
from enterprises.models import Enterprise, TechNeed
from patents.models import Institution, InventoryStatus, LegalStatus, Patent, PatentType, TransferMode

DEMO_DIR = Path(settings.BASE_DIR) / "demo_data"
DEMO_PROVINCE = "42"
NOT_POOLED_REASONS = ["专利已失效", "已许可他人独占实施", "发明人暂不同意转化", "权属存在争议待核实"]
TERMS_MODES = [
    [TransferMode.ASSIGNMENT, TransferMode.LICENCE],
    [TransferMode.LICENCE],
    [TransferMode.OPEN_LICENCE],
    [TransferMode.ASSIGNMENT],
    [TransferMode.LICENCE, TransferMode.EQUITY],
]
ABSTRACT_LEADS = re.compile(r"^(本发明|本申请|本实用新型|本公开|本发明实施例)(公开了|涉及|提供了|提供|公开)?(一种)?")


@dataclass
class DemoSummary:
    """What load_demo created on this run (zeros on a second run)."""

    institutions: int = 0
    patents: int = 0
    enterprises: int = 0
    needs: int = 0
    follows: int = 0
    docking_requests: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)


def application_number_make(*, year: int, type_digit: int, serial: int) -> str:
    """A 12-digit application number with its check character (weights 2..9, sum mod 11, 10 → X)."""
    body = f"{year:04d}{type_digit}{serial:07d}"
    return f"{body}.{compute_check_digit(body)}"


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def _city_for(name: str, cities: dict[str, City]) -> City:
    # the importers' rule (仙桃/潜江/天门/神农架 → 省直辖); the sources always name a place, Wuhan when they do not
    return city_for_region(name, list(cities.values())) or cities.get("武汉市") or next(iter(cities.values()))


def institutions_load(*, cities: dict[str, City]) -> list[str]:
    """Hubei's undergraduate universities from the MOE list (学校标识码 digits 3-4 = 42)."""
    created = []
    for row in _read_csv(DEMO_DIR / "cn-universities" / "universities.csv"):
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


def _patent_rows() -> Iterator[dict[str, str]]:
    """Real texts: 696 full patents, 3,024 abstracts, 9,740 titles with IPC subclasses."""
    for row in _read_csv(DEMO_DIR / "kppatent-zh" / "patents_full.csv"):
        yield {
            "key": row["publication_number"],
            "publication_number": row["publication_number"],
            "title": row["title"],
            "abstract": row["abstract"],
            "claims": row["claims"],
            "ipc": "",
        }
    for index, row in enumerate(_read_csv(DEMO_DIR / "kppatent-zh" / "patents_abstracts.csv")):
        lead = re.split(r"[，。；,;：:]", ABSTRACT_LEADS.sub("", row["abstract"]), maxsplit=1)[0]
        yield {
            "key": f"abstract-{index}",
            "publication_number": "",
            "title": ("一种" + lead)[:80],
            "abstract": row["abstract"],
            "claims": "",
            "ipc": "",
        }
    for row in _read_csv(DEMO_DIR / "cn-patent-ipc" / "titles_ipc.csv"):
        yield {
            "key": row["publication_number"],
            "publication_number": row["publication_number"],
            "title": row["title"],
            "abstract": "",
            "claims": "",
            "ipc": row["ipc_subclasses"],
        }


def _patent_make(row: dict[str, str], institutions: list[Institution], serials: set[str]) -> Patent:
    h = stable_hash(row["key"])
    kind = row["publication_number"][-1:] if row["publication_number"] else "A"
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
    bucket = (h >> 40) % 100
    status = (
        InventoryStatus.POOLED
        if bucket < 70
        else InventoryStatus.INVENTORIED
        if bucket < 90
        else InventoryStatus.NOT_POOLED
    )
    ipc = [code for code in row["ipc"].split("|") if code]
    pooled = status == InventoryStatus.POOLED
    price = Decimal(5 + (h >> 48) % 96) * 10_000
    return Patent(
        application_number=number,
        publication_number=row["publication_number"],
        title=row["title"][:300],
        abstract=row["abstract"],
        claims=row["claims"],
        ipc_main=ipc[0] if ipc else "",
        ipc_codes=ipc,
        ipc_section=ipc[0][0] if ipc else "",
        patent_type=patent_type,
        application_date=application_date,
        grant_date=grant_date,
        legal_status=LegalStatus.VALID if granted else LegalStatus.PENDING,
        institution=owner,
        applicant=owner.name,
        inventory_status=status,
        not_pooled_reason=NOT_POOLED_REASONS[h % 4] if status == InventoryStatus.NOT_POOLED else "",
        transfer_modes=[str(m) for m in TERMS_MODES[(h >> 52) % 5]] if pooled else [],
        price_min=price if pooled else None,
        price_max=price * 2 if pooled else None,
        value_grade="ABCD"[(h >> 56) % 4],
        contact=f"{owner.name}技术转移中心" if pooled else "",
        is_demo=True,
    )


def patents_load(*, institutions: list[Institution]) -> int:
    """Create the demo patents that do not exist yet (keyed by generated application number)."""
    existing = set(Patent.objects.filter(is_demo=True).values_list("application_number", flat=True))
    serials: set[str] = set()  # numbers depend only on the rows, never on what the database holds
    batch = [_patent_make(row, institutions, serials) for row in _patent_rows()]
    new = [p for p in batch if p.application_number not in existing]
    Patent.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def _scope_items(scope: str) -> list[str]:
    items = [s.strip(" 。.") for s in re.split(r"[；;、，,。]", scope)]
    return [s for s in items if 2 <= len(s) <= 30 and "许可" not in s and "经营" not in s]


def enterprises_load(*, cities: dict[str, City]) -> tuple[int, int]:
    """Demo enterprises (CC BY-NC-SA sample, marked demo) and a technology need for one in eight."""
    existing = set(Enterprise.objects.values_list("uscc", flat=True))
    new = []
    for row in _read_csv(DEMO_DIR / "hubei-enterprises-sample" / "enterprises_sample.csv"):
        if row["统一社会信用代码"] in existing:
            continue
        registered = row["注册日期"] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["注册日期"]) else None
        new.append(
            Enterprise(
                name=row["企业名称"][:200],
                uscc=row["统一社会信用代码"],
                city=_city_for(row["地区"], cities),
                business_scope=row["经营范围"].strip("；; "),
                registered_date=registered,
                is_demo=True,
                size=["micro", "small", "small", "medium"][stable_hash(row["统一社会信用代码"]) % 4],
            )
        )
    Enterprise.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    needs = []
    for enterprise in Enterprise.objects.filter(uscc__in=[e.uscc for e in new]):
        items = _scope_items(enterprise.business_scope)
        if not items or stable_hash(enterprise.uscc) % 8:
            continue
        needs.append(
            TechNeed(
                enterprise=enterprise,
                title=f"{items[0]}相关技术需求"[:200],
                description=f"寻求与{'、'.join(items[:4])}相关的专利技术，用于产品升级和工艺改进。",
                keywords="、".join(items[:5])[:300],
            )
        )
    TechNeed.objects.bulk_create(needs, batch_size=1000)
    return len(new), len(needs)


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
def demo_load(*, password: str = "Demo-2026!") -> DemoSummary:
    """Load the whole demo; a second call creates nothing and returns zero counts."""
    loaded = timezone.now()  # what this call creates has created_at after it (spread below)
    regions_ensure()
    roles_ensure()
    cities = {c.name: c for c in City.objects.filter(province_id=DEMO_PROVINCE)}
    summary = DemoSummary()
    summary.institutions = len(institutions_load(cities=cities))
    institutions = list(Institution.objects.filter(city__province_id=DEMO_PROVINCE).order_by("moe_code"))
    summary.patents = patents_load(institutions=institutions)
    summary.enterprises, summary.needs = enterprises_load(cities=cities)
    users_load(password=password, summary=summary)
    showcase = frozenset(User.objects.filter(enterprise__isnull=False).values_list("enterprise__uscc", flat=True))
    now = timezone.now()
    summary.follows, summary.docking_requests = activity_load(now=now, showcase=showcase)
    arrival_dates_spread(
        now=now,
        patent_ids=list(Patent.objects.filter(is_demo=True, created_at__gte=loaded).values_list("pk", flat=True)),
        enterprise_ids=list(
            Enterprise.objects.filter(is_demo=True, created_at__gte=loaded).values_list("pk", flat=True)
        ),
    )
    return summary

"""A small demo-like data set for the dashboard tests: 4 institutions in 3 cities, patents of every type,
follows, needs and docking requests in several states (also used by the browser test for the screenshot)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.models import City
from enterprises.models import DeclineReason, DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from patents.models import Institution, InventoryStatus, Patent, PatentType

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 20, 10, 0, tzinfo=TZ)

# (title, type, IPC main, ipc_codes, pooled?, application date)
PATENTS = {
    "华中科技大学": [
        (
            "一种基于深度学习的图像识别方法",
            PatentType.INVENTION,
            "G06F 16/35",
            ["G06F", "G06N"],
            True,
            date(2021, 3, 2),
        ),
        ("一种工业机器人关节减速器", PatentType.INVENTION, "B25J", ["B25J", "F16H"], True, date(2022, 6, 9)),
        ("一种钙钛矿太阳能电池及其制备方法", PatentType.INVENTION, "H01L31/0224", [], True, date(2023, 1, 16)),
        ("一种高镍三元正极材料", PatentType.INVENTION, "H01M", ["H01M", "C01G"], True, date(2023, 8, 30)),
        ("一种数控机床夹具", PatentType.UTILITY_MODEL, "B23Q", ["B23Q"], False, date(2024, 2, 1)),
        ("智能手环", PatentType.DESIGN, "", [], False, date(2024, 5, 5)),
    ],
    "武汉大学": [
        ("一种遥感影像变化检测方法", PatentType.INVENTION, "G06T", ["G06T"], True, date(2020, 11, 11)),
        ("一种污水深度处理装置", PatentType.UTILITY_MODEL, "C02F", ["C02F", "B01D"], True, date(2022, 4, 18)),
        ("一种靶向抗肿瘤多肽", PatentType.INVENTION, "C07K", ["C07K", "A61K"], True, date(2023, 9, 1)),
        ("一种风电叶片监测系统", PatentType.INVENTION, "", ["F03D", "G01M"], False, date(2021, 7, 7)),
    ],
    "三峡大学": [
        ("一种水轮机调速方法", PatentType.INVENTION, "F03B", ["F03B"], True, date(2022, 10, 10)),
        ("一种智能电网故障定位方法", PatentType.INVENTION, "H02J", ["H02J"], True, date(2023, 3, 3)),
        ("一种混凝土裂缝修补材料", PatentType.UTILITY_MODEL, "C04B", ["C04B"], False, date(2023, 12, 12)),
    ],
    "湖北文理学院": [
        ("一种新能源汽车电池包散热结构", PatentType.UTILITY_MODEL, "B60L", ["B60L", "H01M"], True, date(2024, 1, 20)),
        ("一种汽车座椅", PatentType.DESIGN, "", [], False, date(2024, 3, 8)),
    ],
}
INSTITUTION_CITIES = {"华中科技大学": "4201", "武汉大学": "4201", "三峡大学": "4205", "湖北文理学院": "4206"}
ENTERPRISES = [  # name, USCC (format only), city code
    ("武汉光谷智能装备有限公司", "91420100MA4K000011", "4201"),
    ("武汉江城新材料科技有限公司", "91420100MA4K000022", "4201"),
    ("武汉东湖生物医药有限公司", "91420100MA4K000033", "4201"),
    ("宜昌三峡水电设备有限公司", "91420500MA4K000044", "4205"),
    ("宜昌清源环保科技有限公司", "91420500MA4K000055", "4205"),
    ("襄阳汽车零部件有限公司", "91420600MA4K000066", "4206"),
]


@dataclass
class Demo:
    """What `demo_build` created, by name."""

    institutions: dict[str, Institution]
    patents: dict[str, Patent]
    enterprises: dict[str, Enterprise]


def _docking(enterprise: Enterprise, patent: Patent, status: str, *, submitted: datetime, hours: float | None, **extra):
    return DockingRequest.objects.create(
        enterprise=enterprise,
        institution=patent.institution,
        patent=patent,
        status=status,
        submitted_at=submitted,
        responded_at=submitted + timedelta(hours=hours) if hours is not None else None,
        expires_at=submitted + timedelta(days=60),
        **extra,
    )


def demo_build() -> Demo:
    """Create the data set (regions must exist: the tests' autouse fixture ensures them)."""
    cities = {c.code: c for c in City.objects.filter(code__in=set(INSTITUTION_CITIES.values()))}
    institutions, patents = {}, {}
    for number, (name, rows) in enumerate(PATENTS.items()):
        institution = Institution.objects.create(name=name, city=cities[INSTITUTION_CITIES[name]])
        institutions[name] = institution
        for index, (title, kind, ipc_main, codes, pooled, applied) in enumerate(rows):
            patents[title] = Patent.objects.create(
                application_number=f"20{21 + number}1{index:07d}.X",
                title=title,
                patent_type=kind,
                ipc_main=ipc_main,
                ipc_codes=codes,
                institution=institution,
                inventory_status=InventoryStatus.POOLED if pooled else InventoryStatus.INVENTORIED,
                application_date=applied,
            )
    # Patents reached the platform over the last months (for the monthly trend).
    for index, patent in enumerate(patents.values()):
        Patent.objects.filter(pk=patent.pk).update(created_at=NOW - timedelta(days=30 * (index % 6)))
    enterprises = {
        name: Enterprise.objects.create(name=name, uscc=uscc, city=cities[city]) for name, uscc, city in ENTERPRISES
    }
    e = list(enterprises.values())
    p = patents
    TechNeed.objects.create(enterprise=e[0], title="工业视觉检测算法")
    TechNeed.objects.create(enterprise=e[0], title="机器人精密减速器")
    TechNeed.objects.create(enterprise=e[3], title="水电机组智能运维")
    for enterprise, title in [
        (e[0], "一种基于深度学习的图像识别方法"),
        (e[0], "一种工业机器人关节减速器"),
        (e[1], "一种高镍三元正极材料"),
        (e[2], "一种靶向抗肿瘤多肽"),
        (e[3], "一种水轮机调速方法"),
        (e[3], "一种智能电网故障定位方法"),
        (e[5], "一种新能源汽车电池包散热结构"),
        (e[1], "一种钙钛矿太阳能电池及其制备方法"),
    ]:
        PatentFollow.objects.create(enterprise=enterprise, patent=p[title], created_at=NOW - timedelta(days=10))
    month = timedelta(days=30)
    _docking(
        e[0],
        p["一种基于深度学习的图像识别方法"],
        DockingStatus.SIGNED,
        submitted=NOW - 3 * month,
        hours=5,
        signed_amount=Decimal("800000.00"),
        signed_date=(NOW - month).date(),
        signed_mode="licence",
    )
    _docking(e[0], p["一种工业机器人关节减速器"], DockingStatus.NEGOTIATING, submitted=NOW - 2 * month, hours=30)
    _docking(
        e[1],
        p["一种高镍三元正极材料"],
        DockingStatus.DECLINED,
        submitted=NOW - 2 * month,
        hours=50,
        decline_reason=DeclineReason.PRICE,
    )
    _docking(
        e[2],
        p["一种靶向抗肿瘤多肽"],
        DockingStatus.DECLINED,
        submitted=NOW - month,
        hours=200,
        decline_reason=DeclineReason.MATURITY,
    )
    _docking(
        e[3],
        p["一种水轮机调速方法"],
        DockingStatus.SIGNED,
        submitted=NOW - 4 * month,
        hours=100,
        signed_amount=Decimal("1200000.00"),
        signed_date=(NOW - 2 * month).date(),
        signed_mode="assignment",
    )
    _docking(e[3], p["一种智能电网故障定位方法"], DockingStatus.ACCEPTED, submitted=NOW - month, hours=400)
    _docking(
        e[5], p["一种新能源汽车电池包散热结构"], DockingStatus.SUBMITTED, submitted=NOW - timedelta(days=2), hours=None
    )
    _docking(
        e[1],
        p["一种钙钛矿太阳能电池及其制备方法"],
        DockingStatus.DECLINED,
        submitted=NOW - month,
        hours=20,
        decline_reason=DeclineReason.PRICE,
    )
    return Demo(institutions=institutions, patents=patents, enterprises=enterprises)

"""The demo's colleges and holdings, so the 盘点率 page and the colleges' drill-down are not empty.

The two universities the demo officers belong to get some of their real schools (学院, public on their websites);
a demo patent joins the school of its IPC section — a derivation, as the demo's owners are. Each institution
reports a holding of valid patents that puts its 盘点率 between 40 % and 98 % (from a hash of its 学校标识码; one in
seven reports nothing, to show 未填报). Both are demo data: the institutions are real, these figures are not.
"""

from __future__ import annotations

import math
from datetime import date

from django.db.models import Count

from demo.stable import stable_hash
from patents.models import College, Institution, Patent
from patents.selectors import RATE_LEGAL_STATUSES

# 学校标识码 → IPC section → the school its patents join
DEMO_COLLEGES: dict[str, dict[str, str]] = {
    "4142010487": {  # 华中科技大学
        "A": "生命科学与技术学院",
        "B": "机械科学与工程学院",
        "C": "化学与化工学院",
        "D": "材料科学与工程学院",
        "E": "土木与水利工程学院",
        "F": "能源与动力工程学院",
        "G": "计算机科学与技术学院",
        "H": "电气与电子工程学院",
    },
    "4142010486": {  # 武汉大学
        "A": "生命科学学院",
        "B": "动力与机械学院",
        "C": "化学与分子科学学院",
        "D": "化学与分子科学学院",
        "E": "土木建筑工程学院",
        "F": "动力与机械学院",
        "G": "计算机学院",
        "H": "电气与自动化学院",
    },
}


def colleges_load() -> int:
    """The demo schools and their patents (only patents without a college); the number of colleges created."""
    created = 0
    for moe_code, by_section in DEMO_COLLEGES.items():
        institution = Institution.objects.filter(moe_code=moe_code).first()
        if institution is None:
            continue
        for section, name in by_section.items():
            college, was_created = College.objects.get_or_create(institution=institution, name=name)
            created += was_created
            Patent.objects.filter(
                institution=institution, is_demo=True, college__isnull=True, ipc_section=section
            ).update(college=college)
    return created


def holdings_load(*, today: date) -> int:
    """A holding for each demo institution that has none yet; the number of institutions given one."""
    counted = dict(
        Patent.objects.filter(is_demo=True, legal_status__in=RATE_LEGAL_STATUSES)
        .values_list("institution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    given = 0
    for institution in Institution.objects.filter(patents_held__isnull=True, moe_code__isnull=False):
        inventoried = counted.get(institution.pk, 0)
        key = stable_hash(f"holding:{institution.moe_code}")
        if not inventoried or key % 7 == 0:
            continue
        rate = 0.40 + 0.58 * (key % 1000) / 1000
        institution.patents_held = math.ceil(inventoried / rate)
        institution.patents_held_on = today.replace(day=1)
        institution.save(update_fields=["patents_held", "patents_held_on"])
        given += 1
    return given

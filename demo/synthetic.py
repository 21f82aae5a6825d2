"""`load_demo --scale full`: the demo at Hubei's size, recombined from the real records the repository ships.

Hubei inventoried 65,000 patents, pooled 45,000 and has 26,000 SMEs; the real records of demo_data/ are about a fifth
of that. The rest is synthetic, every record made from two real ones and said so:

- a synthetic patent takes a real abstract-bearing patent A (its title, IPC subclasses and the first sentence of its
  abstract, which says what the invention is) and continues the abstract with the sentences after the first of a
  real patent B among the five the matching engine ranks nearest to A (title and abstract);
  its internal note (内部备注, seen by its institution only) names A and B. It has no claims and no publication
  number, and its title is A's: each real title heads about thirteen synthetic records;
- a synthetic enterprise takes a real enterprise A (its region, line of business, legal form, registration date and
  the first half of its business-scope items), the trade name (字号) of a real enterprise C, and the second half of
  the scope items of a real enterprise B in A's line of business; its 统一社会信用代码 is generated (valid GB 11714
  and GB 32100 check characters, A's division code). Only the 636 sample names that read as region + trade name +
  line of business + legal form take part.

Both are marked is_demo like every demo record. Which real records are combined comes from a hash of the synthetic
record's key, so every load builds the same records.
"""

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from common.validators.uscc import gb32100_check_character, organisation_code_check_character
from demo.sources import EnterpriseRow, PatentRow
from demo.stable import stable_hash
from matching.engine import Need, match_records
from matching.engine import Patent as EnginePatent

HUBEI_PATENTS = 65_000
HUBEI_POOLED = 45_000
HUBEI_ENTERPRISES = 26_000


def _gap(target: int, real: int, factor: float) -> int:
    return max(0, round((target - real) * factor))


def synthetic_patent_counts(*, real_patents: int, real_pooled: int, factor: float = 1.0) -> tuple[int, int]:
    """(patents, pooled among them): the synthetic patents that bring the real ones to Hubei's 65,000 inventoried and
    45,000 pooled; `factor` < 1 builds that fraction of them (the tests build a small one)."""
    patents = _gap(HUBEI_PATENTS, real_patents, factor)
    return patents, min(patents, _gap(HUBEI_POOLED, real_pooled, factor))


def synthetic_enterprise_count(*, real_enterprises: int, factor: float = 1.0) -> int:
    """The synthetic enterprises that bring the real ones to Hubei's 26,000 (`factor` as above)."""
    return _gap(HUBEI_ENTERPRISES, real_enterprises, factor)


_SENTENCE = re.compile(r"[^。]+(?:。|$)")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text.strip()) if s.strip()]


def source_label(row: PatentRow) -> str:
    """How a synthetic record names a real patent it was made from."""
    if row.publication_number:
        return row.publication_number
    part, _, index = row.key.rpartition("-")
    return f"KPPatent-ZH {'摘要' if part == 'abstract' else '全文'}第 {int(index) + 1} 条"


@dataclass(frozen=True)
class SyntheticPatent:
    row: PatentRow
    origin: str  # the internal note naming the two real patents


PARTNERS = 5  # B is one of A's five nearest real patents


def _partners(base: Sequence[PatentRow]) -> list[list[int]]:
    """For each patent of `base`, the `PARTNERS` others whose title and abstract the matching engine ranks nearest
    to its own (itself left out; itself alone when nothing is near)."""
    rows = match_records(
        patents=[EnginePatent(str(i), row.title, row.abstract) for i, row in enumerate(base)],
        needs=[Need(str(i), f"{row.title} {row.abstract}") for i, row in enumerate(base)],
        top=PARTNERS + 1,
        n_terms=1,
    )
    partners: list[list[int]] = [[] for _ in base]
    for row in rows:
        if row.patent_id != row.need_id:
            partners[int(row.need_id)].append(int(row.patent_id))
    return [found[:PARTNERS] or [index] for index, found in enumerate(partners)]


def synthetic_patents(*, base: Sequence[PatentRow], count: int) -> list[SyntheticPatent]:
    """`count` synthetic patents recombined from `base` (real patents with an abstract), as the module says."""
    partners = _partners(base)
    made = []
    for k in range(count):
        key = f"synthetic-{k}"
        h = stable_hash(key)
        a_index = h % len(base)
        a = base[a_index]
        b = base[partners[a_index][(h >> 24) % len(partners[a_index])]]
        head, tail = sentences(a.abstract)[:1], sentences(b.abstract)[1:] or sentences(a.abstract)[1:]
        made.append(
            SyntheticPatent(
                row=PatentRow(key, "", a.title, "".join(head + tail), "", a.ipc, a.ipc_inferred),
                origin=(
                    f"演示数据（合成）：名称、IPC 与摘要首句取自 {source_label(a)}，摘要其余取自 {source_label(b)}"
                    f" / synthetic demo record: title, IPC and first sentence from {a.key}, the rest from {b.key}"
                ),
            )
        )
    return made


# a registered name: region, trade name (字号), line of business (行业) ending in a known word, legal form
_TRADES = (
    "科技|技术|工程|建设|建筑|建材|贸易|商贸|实业|机械|机电|设备|电子|电器|电气|化工|材料|食品|农业|农牧|医药|药业|生物|"
    "环保|能源|汽车|物流|运输|投资|置业|地产|服饰|纺织|信息|网络|软件|传媒|文化|广告|咨询|管理|服务|装饰|矿业|钢铁|制造|"
    "电力|照明|光电|水泥|陶瓷|塑料|包装|印刷|家具|茶业|酒业|米业|油脂|养殖|种业|粮油|发展|集团|五金|器械|仪器|仪表|"
    "汽配|机床|铸造|模具|钢构|木业|纸业|物资|商务|旅游|酒店|餐饮|资产|担保|劳务|安装|装备|电缆|线缆|通信|智能|"
    "自动化|节能|新能源|光伏|水务|燃气|石化|石油|服装|鞋业|家居|建工|交通|市政|园林|景观|规划|设计|测绘|检测|教育|"
    "培训|健康|养老|卫生|物业|开发|商业|百货|超市|连锁"
)
_NAME = re.compile(
    r"^(?P<region>湖北省|湖北|[\u4e00-\u9fff]{2}[市县])(?P<brand>[\u4e00-\u9fff]{2,4}?)"
    rf"(?P<trade>[\u4e00-\u9fff]{{0,6}}?(?P<line>{_TRADES}))(?P<form>有限责任公司|股份有限公司|有限公司)$"
)
_SCOPE_ITEM = re.compile(r"[；;]")


def _scope_items(scope: str) -> list[str]:
    return [item.strip(" 。.·") for item in _SCOPE_ITEM.split(scope) if item.strip(" 。.·")]


def _uscc(*, key: str, division: str, taken: set[str]) -> str:
    """A 统一社会信用代码 of an enterprise (91: 工商, 企业) with valid GB 11714 and GB 32100 check characters."""
    h = stable_hash(key)
    while True:
        body = f"{h % 10**8:08d}"
        first17 = "91" + division + body + organisation_code_check_character(body)
        code = first17 + gb32100_check_character(first17)
        if code not in taken:
            taken.add(code)
            return code
        h = stable_hash(f"{key}:{h}")


def synthetic_enterprises(*, base: Sequence[EnterpriseRow], count: int) -> list[EnterpriseRow]:
    """`count` synthetic enterprises recombined from `base` (the real sample), as the module says; names and codes
    are unique among themselves and the real ones."""
    parsed = [(row, match) for row in base if (match := _NAME.match(row.name))]
    by_line: dict[str, list[int]] = defaultdict(list)
    for index, (_, match) in enumerate(parsed):
        by_line[match["line"]].append(index)
    names = {row.name for row in base}
    codes = {row.uscc for row in base}
    made: list[EnterpriseRow] = []
    k = 0
    while len(made) < count:
        key = f"synthetic-enterprise-{k}"
        k += 1
        h = stable_hash(key)
        a, a_name = parsed[h % len(parsed)]
        group = by_line[a_name["line"]]
        b, _ = parsed[group[(h >> 24) % len(group)]]
        brand = parsed[(h >> 44) % len(parsed)][1]["brand"]
        name = a_name["region"] + brand + a_name["trade"] + a_name["form"]
        if brand == a_name["brand"] or name in names:
            continue  # a real name, or one made already: the next key makes another
        names.add(name)
        a_items, b_items = _scope_items(a.business_scope), _scope_items(b.business_scope)
        items = list(dict.fromkeys(a_items[: math.ceil(len(a_items) / 2)] + b_items[len(b_items) // 2 :]))
        division = a.uscc[2:8] if a.uscc[2:8].isdigit() else "420100"
        made.append(
            EnterpriseRow(
                name=name,
                uscc=_uscc(key=key, division=division, taken=codes),
                registered=a.registered,
                region=a.region,
                business_scope="；".join(items),
            )
        )
    return made

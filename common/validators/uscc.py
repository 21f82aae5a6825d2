"""统一社会信用代码 — Unified Social Credit Code (GB 32100-2015).

Layout of the 18 characters::

    1      registration authority (登记管理部门代码)
    2      category within that authority (机构类别代码)
    3-8    administrative division of the registering office (GB/T 2260)
    9-17   subject code = the old organisation code (GB 11714) incl. its own check character
    18     GB 32100 check character

Checks run in that order and the first failure names the result's ``failed_check``.
The GB 11714 check of positions 9-17 only tells a Fujian pilot code (``review``)
from a typo (``invalid``) once the GB 32100 check has failed; it never rejects a
code that passes GB 32100, because real codes with a bad embedded organisation
code exist (19 of the 39,994 valid Hubei codes).

Lower-case input
----------------
Decision: the strict default treats lower-case letters as **malformed**
(verdict ``invalid``, failed check ``charset``). The standard's character set
is upper-case only, and the registration data this platform imports reports
such rows as malformed (the Hubei file: 39,994 pass, 72 malformed — mostly a
lower-case ``x`` — and 8 fail the check). Callers that want the usual fix pass
``normalize_case=True``: the code is upper-cased, validated, and a
``lower_case`` warning is attached so the correction stays visible.

Early Fujian pilot codes
------------------------
Codes issued in the Fujian pilot (2014-2015, before the standard was final)
fail the GB 32100 check although they are real. When the division code is
Fujian's (35) and the embedded organisation code passes GB 11714, the verdict
is ``review`` (accept into a manual review queue) instead of ``invalid``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from common.validators._text import nfkc
from common.validators.issues import Issue, error, warning

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I O S V Z; value = index
_VALUES = {char: index for index, char in enumerate(CHARSET)}
_GB32100_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 3^(i-1) mod 31 for i = 1..17
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714
_ORG_VALUES = {char: int(char, 36) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}  # A=10 ... Z=35

# GB 32100-2015 Annex A (registration authority -> category codes), with the categories that the
# code-assignment centre added later (e.g. 9-9, 5-4/5-5, G, J, Q). Accepting a real but rare pair
# matters more than rejecting an unusual one: the check characters still guard against typos.
REGISTRATION_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "6": "商事调解组织",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": (
        "民政",
        {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "4": "村民委员会", "5": "居民委员会", "9": "其他"},
    ),
    "6": (
        "旅游",
        {"1": "外国政府旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "2": "非法人工会组织", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社", "9": "其他"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "G": ("公安", {"1": "境外非政府组织代表机构", "9": "其他"}),
    "J": ("住房和城乡建设", {"1": "业主大会", "9": "其他"}),
    "N": ("农业农村", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Q": ("侨联", {"1": "区县级侨联组织", "2": "乡镇级侨联组织", "3": "村级侨联组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

# First two digits of GB/T 2260 division codes; "10" is the national level (central authorities: 100000).
PROVINCE_CODES: dict[str, str] = {
    "10": "全国（中央）",
    "11": "北京",
    "12": "天津",
    "13": "河北",
    "14": "山西",
    "15": "内蒙古",
    "21": "辽宁",
    "22": "吉林",
    "23": "黑龙江",
    "31": "上海",
    "32": "江苏",
    "33": "浙江",
    "34": "安徽",
    "35": "福建",
    "36": "江西",
    "37": "山东",
    "41": "河南",
    "42": "湖北",
    "43": "湖南",
    "44": "广东",
    "45": "广西",
    "46": "海南",
    "50": "重庆",
    "51": "四川",
    "52": "贵州",
    "53": "云南",
    "54": "西藏",
    "61": "陕西",
    "62": "甘肃",
    "63": "青海",
    "64": "宁夏",
    "65": "新疆",
    "71": "台湾",
    "81": "香港",
    "82": "澳门",
}

PILOT_PROVINCES = frozenset({"35"})  # Fujian: early pilot codes use another check algorithm


class UsccVerdict(StrEnum):
    """Verdict vocabulary of the test-vector file uscc.csv."""

    VALID = "valid"
    REVIEW = "review"
    INVALID = "invalid"


class UsccCheck(StrEnum):
    """Names of the checks, in the order they run."""

    EMPTY = "empty"
    LENGTH = "length"
    CHARSET = "charset"
    REGISTRATION_AUTHORITY = "registration_authority"
    CATEGORY = "category"
    DIVISION = "division"
    CHECK_CHARACTER = "check_character"


# Failures of these checks mean the string is not shaped like a code at all.
MALFORMED_CHECKS = frozenset(
    {
        UsccCheck.EMPTY,
        UsccCheck.LENGTH,
        UsccCheck.CHARSET,
        UsccCheck.REGISTRATION_AUTHORITY,
        UsccCheck.CATEGORY,
        UsccCheck.DIVISION,
    }
)


@dataclass(frozen=True, slots=True)
class UsccResult:
    """Outcome of validating one code. ``normalized`` is set for verdicts valid and review."""

    raw: str
    verdict: UsccVerdict
    normalized: str | None = None
    failed_check: UsccCheck | None = None
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True only for a fully valid code."""
        return self.verdict is UsccVerdict.VALID

    @property
    def malformed(self) -> bool:
        """True when the string does not have the shape of a code (as opposed to a failed checksum)."""
        return self.failed_check in MALFORMED_CHECKS

    @property
    def message(self) -> str | None:
        """Bilingual message of the first issue (the failing check), if any."""
        return self.issues[0].message if self.issues else None


def gb32100_check_character(first17: str) -> str:
    """GB 32100 check character for 17 characters of the code set."""
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, _GB32100_WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def organisation_code_check_character(first8: str) -> str:
    """GB 11714 check character for the 8-character organisation code body: 11 − r, 10 → X, 11 → 0."""
    total = sum(_ORG_VALUES[char] * weight for char, weight in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def validate_uscc(raw: str | None, *, normalize_case: bool = False) -> UsccResult:
    """Validate a 统一社会信用代码.

    Surrounding whitespace is always stripped and full-width characters are
    folded (NFKC); lower-case letters are malformed unless
    ``normalize_case=True`` (see the module docstring for the reasoning).
    """
    original = "" if raw is None else str(raw)
    code = nfkc(original).strip()
    notes: list[Issue] = []
    if not code:
        return _fail(original, UsccCheck.EMPTY, "统一社会信用代码为空", "the unified social credit code is empty")
    if normalize_case and code != code.upper():
        code = code.upper()
        notes.append(
            warning("lower_case", "小写字母已改为大写", "lower-case letters were upper-cased (please fix the source)")
        )
    if len(code) != 18:
        return _fail(
            original,
            UsccCheck.LENGTH,
            f"长度应为 18 位，实际为 {len(code)} 位",
            f"must be 18 characters long, got {len(code)}",
            tuple(notes),
        )
    bad = [char for char in code if char not in _VALUES]
    if bad:
        shown = "、".join(dict.fromkeys(bad))
        return _fail(
            original,
            UsccCheck.CHARSET,
            f"含有不允许的字符 {shown}（只允许数字和大写字母，不含 I、O、S、V、Z）",
            f"contains characters not allowed: {', '.join(dict.fromkeys(bad))} "
            "(digits and upper-case letters only, no I, O, S, V, Z)",
            tuple(notes),
        )
    authority = REGISTRATION_AUTHORITIES.get(code[0])
    if authority is None:
        return _fail(
            original,
            UsccCheck.REGISTRATION_AUTHORITY,
            f"第 1 位登记管理部门代码 {code[0]} 不存在",
            f"registration authority code {code[0]} (position 1) does not exist",
            tuple(notes),
        )
    if code[1] not in authority[1]:
        return _fail(
            original,
            UsccCheck.CATEGORY,
            f"第 2 位机构类别代码 {code[1]} 不属于登记管理部门“{authority[0]}”",
            f"category code {code[1]} (position 2) does not exist for registration authority {code[0]}",
            tuple(notes),
        )
    if code[2:4] not in PROVINCE_CODES or not code[2:8].isdigit():
        return _fail(
            original,
            UsccCheck.DIVISION,
            f"第 3-8 位行政区划码 {code[2:8]} 不是有效的省级区划",
            f"division code {code[2:8]} (positions 3-8) does not start with a valid province code",
            tuple(notes),
        )
    if gb32100_check_character(code[:17]) == code[17]:
        # The GB 32100 check is authoritative: real codes exist whose embedded organisation code fails
        # GB 11714 (19 in the Hubei file, carried over from old certificates), so that check never
        # rejects a code that passes here.
        return UsccResult(original, UsccVerdict.VALID, normalized=code, issues=tuple(notes))
    org_ok = organisation_code_check_character(code[8:16]) == code[16]
    if org_ok and code[2:4] in PILOT_PROVINCES:
        pilot = warning(
            "pilot_code_review",
            "未通过 GB 32100 校验，但组织机构代码校验通过，可能是福建早期试点代码，需人工复核",
            "fails the GB 32100 check but its organisation code is valid: possibly an early Fujian pilot "
            "code, needs manual review",
        )
        return UsccResult(
            original,
            UsccVerdict.REVIEW,
            normalized=code,
            failed_check=UsccCheck.CHECK_CHARACTER,
            issues=(pilot, *notes),
        )
    return _fail(
        original,
        UsccCheck.CHECK_CHARACTER,
        f"第 18 位校验码错误，应为 {gb32100_check_character(code[:17])}",
        f"wrong check character (position 18), expected {gb32100_check_character(code[:17])}",
        tuple(notes),
    )


def _fail(
    original: str, check: UsccCheck, message_zh: str, message_en: str, notes: tuple[Issue, ...] = ()
) -> UsccResult:
    issue = error(f"uscc_{check.value}", message_zh, message_en)
    return UsccResult(original, UsccVerdict.INVALID, failed_check=check, issues=(issue, *notes))

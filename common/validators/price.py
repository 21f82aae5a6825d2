"""Asking price (价格 / 转让价格 / 意向价格) → a range in yuan, or "negotiable" (面议).

Accepted: "面议", "10-20万", "10万-20万元", "10~20万", "50万元", "1.5亿", "100000", "¥100,000",
"50万以上" (open upper bound), "20万以内" (upper bound only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from common.validators._text import clean, excerpt
from common.validators.issues import FieldResult, Issue, error, warning


@dataclass(frozen=True, slots=True)
class PriceRange:
    """Price in whole yuan; both bounds None and ``negotiable`` True for 面议."""

    min_yuan: int | None
    max_yuan: int | None
    negotiable: bool = False


_UNITS: dict[str, Decimal] = {"": Decimal(1), "元": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_NEGOTIABLE = {"面议", "议价", "价格面议", "协商", "面谈", "可议", "议定", "双方协商", "negotiable", "tbd"}
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_UNIT = r"(?:万|亿)?元?"
_RANGE = re.compile(
    rf"(?P<low>{_NUMBER})(?P<low_unit>{_UNIT})(?:-|~|至|到|—|–)(?P<high>{_NUMBER})(?P<high_unit>{_UNIT})"
)
_SINGLE = re.compile(rf"(?P<amount>{_NUMBER})(?P<unit>{_UNIT})(?P<bound>以上|起|以下|以内)?")
# Decorations that carry no information; thousands separators only between digits.
_NOISE = re.compile(r"\s+|¥|\$|RMB|CNY|人民币|(?<=[0-9]),(?=[0-9]{3})", re.IGNORECASE)
SMALL_AMOUNT_YUAN = 1_000  # below this, a bare number was probably meant in 万元
MAX_YUAN = Decimal(10) ** 12  # 1万亿: beyond any patent deal, and keeps values inside a 64-bit column


class _TooLarge(Exception):
    """Internal: an amount above MAX_YUAN."""


def parse_price(raw: str | None, *, default_unit: str = "元") -> FieldResult[PriceRange]:
    """Parse an asking price.

    ``default_unit`` ("元", "万" or "亿") applies to numbers written without a unit,
    for columns titled e.g. 价格（万元）. An empty cell gives ``value=None``
    without issues.
    """
    if default_unit not in _UNITS or not default_unit:
        raise ValueError("default_unit must be '元', '万' or '亿'")
    text = clean(raw)
    if not text:
        return FieldResult(None)
    compact = _NOISE.sub("", text)
    if compact.casefold() in _NEGOTIABLE:
        return FieldResult(PriceRange(None, None, negotiable=True))
    try:
        return _parse_amounts(text, compact, default_unit)
    except _TooLarge:
        return FieldResult(
            None,
            (
                error(
                    "price_too_large",
                    f"价格“{excerpt(text)}”大得不合理",
                    f"the price '{excerpt(text)}' is implausibly large",
                ),
            ),
        )


def _parse_amounts(text: str, compact: str, default_unit: str) -> FieldResult[PriceRange]:
    issues: list[Issue] = []
    match = _RANGE.fullmatch(compact)
    if match:
        # "10-20万": a unit written only after the upper bound applies to both bounds.
        high_unit = _unit(match["high_unit"], default_unit)
        low_unit = _unit(match["low_unit"], default_unit) if match["low_unit"] else high_unit
        low = _yuan(match["low"], low_unit, issues)
        high = _yuan(match["high"], high_unit, issues)
        if low > high:
            return FieldResult(None, (_reversed(text),))
        return _finish(PriceRange(low, high), issues, bare=not match["high_unit"])
    match = _SINGLE.fullmatch(compact)
    if not match:
        return FieldResult(None, (_unreadable(text),))
    amount = _yuan(match["amount"], _unit(match["unit"], default_unit), issues)
    bound = match["bound"]
    if bound in ("以上", "起"):
        price = PriceRange(amount, None)
    elif bound in ("以下", "以内"):
        price = PriceRange(None, amount)
    else:
        price = PriceRange(amount, amount)
    return _finish(price, issues, bare=not match["unit"])


def _unit(unit: str, default_unit: str) -> Decimal:
    return _UNITS[unit.removesuffix("元") if unit else default_unit]


def _yuan(number: str, unit: Decimal, issues: list[Issue]) -> int:
    exact = Decimal(number) * unit
    if exact > MAX_YUAN:
        raise _TooLarge
    whole = exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if whole != exact:
        shown = format(exact.normalize(), "f")
        issues.append(
            warning(
                "price_rounded", f"金额 {shown} 元已四舍五入到 {whole} 元", f"amount {shown} rounded to {whole} yuan"
            )
        )
    return int(whole)


def _finish(price: PriceRange, issues: list[Issue], *, bare: bool) -> FieldResult[PriceRange]:
    top = price.max_yuan if price.max_yuan is not None else price.min_yuan
    if bare and top is not None and 0 < top < SMALL_AMOUNT_YUAN:
        issues.append(
            warning(
                "price_small",
                f"金额只有 {top} 元，单位是否应为万元？",
                f"the amount is only {top} yuan; was it meant in 10,000 yuan (万元)?",
            )
        )
    return FieldResult(price, tuple(issues))


def _reversed(text: str) -> Issue:
    return error(
        "price_range_reversed",
        f"价格区间“{excerpt(text)}”下限高于上限",
        f"price range '{excerpt(text)}': the minimum exceeds the maximum",
    )


def _unreadable(text: str) -> Issue:
    return error(
        "price_format",
        f"无法识别的价格“{excerpt(text)}”，应类似 10-20万、50万元、100000 或 面议",
        f"unrecognised price '{excerpt(text)}', expected e.g. 10-20万, 50万元, 100000 or 面议 (negotiable)",
    )

"""Transfer modes (转化方式 / 交易方式): which kinds of deal a patent owner offers."""

from __future__ import annotations

import re
from enum import StrEnum

from common.validators._text import clean, excerpt
from common.validators.issues import FieldResult, Issue, error


class TransferMode(StrEnum):
    """Closed set of deal types."""

    ASSIGNMENT = "assignment"  # 转让: ownership moves
    LICENCE = "licence"  # 许可: right to use, ownership stays
    OPEN_LICENCE = "open_licence"  # 开放许可: CNIPA open-licence scheme (Patent Law 2021, art. 50)
    EQUITY = "equity"  # 作价入股: patent contributed as capital


# Keys compared after clean() + casefold() + removing spaces, "_" and "-".
_LABELS: dict[str, TransferMode] = {
    "转让": TransferMode.ASSIGNMENT,
    "专利转让": TransferMode.ASSIGNMENT,
    "专利权转让": TransferMode.ASSIGNMENT,
    "assignment": TransferMode.ASSIGNMENT,
    "transfer": TransferMode.ASSIGNMENT,
    "sale": TransferMode.ASSIGNMENT,
    "许可": TransferMode.LICENCE,
    "专利许可": TransferMode.LICENCE,
    "实施许可": TransferMode.LICENCE,
    "普通许可": TransferMode.LICENCE,
    "排他许可": TransferMode.LICENCE,
    "独占许可": TransferMode.LICENCE,
    "licence": TransferMode.LICENCE,
    "license": TransferMode.LICENCE,
    "licensing": TransferMode.LICENCE,
    "开放许可": TransferMode.OPEN_LICENCE,
    "openlicence": TransferMode.OPEN_LICENCE,
    "openlicense": TransferMode.OPEN_LICENCE,
    "openlicensing": TransferMode.OPEN_LICENCE,
    "作价入股": TransferMode.EQUITY,
    "入股": TransferMode.EQUITY,
    "作价投资": TransferMode.EQUITY,
    "技术入股": TransferMode.EQUITY,
    "equity": TransferMode.EQUITY,
    "equityinvestment": TransferMode.EQUITY,
    "equitycontribution": TransferMode.EQUITY,
}
# "、" and the full-width forms (folded by NFKC) are the usual Chinese separators; English lists use "and"/"or".
_SEPARATORS = re.compile(r"[、;,/|\n]+|\s+(?:and|or|&)\s+|[和或及]", re.IGNORECASE)
_IGNORED = re.compile(r"[\s_\-]+")
_LABELS_HELP_ZH = "转让、许可、开放许可、作价入股"
_LABELS_HELP_EN = "assignment, licence, open licence, equity"


def parse_transfer_modes(raw: str | None) -> FieldResult[list[TransferMode]]:
    """Parse "转让、许可" / "assignment; open licence" ... into a de-duplicated list (input order).

    An empty cell gives an empty list without issues; each unknown item adds an error
    and is left out of the list.
    """
    modes: list[TransferMode] = []
    issues: list[Issue] = []
    for item in _SEPARATORS.split(clean(raw)):
        item = item.strip()
        if not item:
            continue
        mode = _LABELS.get(_IGNORED.sub("", item.casefold()))
        if mode is None:
            issues.append(
                error(
                    "unknown_transfer_mode",
                    f"无法识别的转化方式“{excerpt(item)}”，可选：{_LABELS_HELP_ZH}",
                    f"unknown transfer mode '{excerpt(item)}', expected one of: {_LABELS_HELP_EN}",
                )
            )
        elif mode not in modes:
            modes.append(mode)
    return FieldResult(modes, tuple(issues))

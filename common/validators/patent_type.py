"""Patent type (专利类型) from a closed list of labels."""

from __future__ import annotations

import re
from enum import StrEnum

from common.validators._text import clean, excerpt
from common.validators.issues import FieldResult, error


class PatentType(StrEnum):
    """The three Chinese patent types."""

    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


# Chinese labels for messages.
PATENT_TYPE_LABELS_ZH: dict[PatentType, str] = {
    PatentType.INVENTION: "发明",
    PatentType.UTILITY_MODEL: "实用新型",
    PatentType.DESIGN: "外观设计",
}

# Keys are compared after clean() + casefold() + removing spaces, "_" and "-".
# "发明公开"/"发明授权" are how CNIPA search exports split inventions by publication stage.
_LABELS: dict[str, PatentType] = {
    "发明": PatentType.INVENTION,
    "发明专利": PatentType.INVENTION,
    "发明申请": PatentType.INVENTION,
    "发明公开": PatentType.INVENTION,
    "发明授权": PatentType.INVENTION,
    "发明专利申请": PatentType.INVENTION,
    "invention": PatentType.INVENTION,
    "inventionpatent": PatentType.INVENTION,
    "实用新型": PatentType.UTILITY_MODEL,
    "实用新型专利": PatentType.UTILITY_MODEL,
    "新型": PatentType.UTILITY_MODEL,
    "utilitymodel": PatentType.UTILITY_MODEL,
    "utilitymodelpatent": PatentType.UTILITY_MODEL,
    "外观设计": PatentType.DESIGN,
    "外观设计专利": PatentType.DESIGN,
    "外观": PatentType.DESIGN,
    "外观专利": PatentType.DESIGN,
    "design": PatentType.DESIGN,
    "designpatent": PatentType.DESIGN,
    "industrialdesign": PatentType.DESIGN,
}
_IGNORED = re.compile(r"[\s_\-]+")
_SEPARATORS = re.compile(r"[;,|/、]")


def parse_patent_type(raw: str | None) -> FieldResult[PatentType]:
    """Map a patent-type label (发明 / 实用新型 / 外观设计 / invention / utility model / design ...) to PatentType.

    An empty cell gives ``value=None`` without issues (requiredness is the importer's call).
    Several labels of the same type separated by ; , | / 、 are accepted ("发明公开;发明授权").

    Anything outside the closed list is an error: guessing from substrings
    would silently file a design as an invention.
    """
    text = clean(raw)
    if not text:
        return FieldResult(None)
    # CNIPA exports list every publication stage of one patent: "发明公开;发明授权".
    parts = [part for part in _SEPARATORS.split(text) if part.strip()]
    found = {_LABELS.get(_IGNORED.sub("", part.casefold())) for part in parts}
    if None not in found and len(found) == 1:
        return FieldResult(found.pop())
    if None not in found:
        return FieldResult(
            None,
            (
                error(
                    "conflicting_patent_types",
                    f"专利类型“{excerpt(text)}”同时含有不同的类型",
                    f"the patent type '{excerpt(text)}' names different types at once",
                ),
            ),
        )
    return FieldResult(
        None,
        (
            error(
                "unknown_patent_type",
                f"无法识别的专利类型“{excerpt(text)}”，应为 发明 / 实用新型 / 外观设计",
                f"unknown patent type '{excerpt(text)}', expected invention / utility model / design",
            ),
        ),
    )

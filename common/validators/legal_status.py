"""Legal status (法律状态) normalised to a small closed set.

Exports write the status in many ways: 有权 / 有效 / 授权, 审中 / 实质审查 / 公开,
失效 / 无效 / 驳回 / 视为撤回 ..., and compound values such as "有权-审定授权" or
"失效-未缴年费专利权终止" (simple status, a dash, then the latest event).
"""

from __future__ import annotations

import re
from enum import StrEnum

from common.validators._text import clean, excerpt
from common.validators.issues import FieldResult, error


class LegalStatus(StrEnum):
    """Whether the patent right can be transferred or licensed."""

    IN_FORCE = "in_force"  # granted and maintained
    PENDING = "pending"  # filed / published / under examination
    NOT_IN_FORCE = "not_in_force"  # lapsed, expired, rejected, withdrawn, invalidated


# Space-separated label lists; keys are compared after casefold() and removing spaces and "_".
_IN_FORCE = "有权 有效 授权 已授权 授权有效 专利权维持 维持 审定授权 granted inforce valid active alive"
_PENDING = (
    "审中 在审 审查中 实质审查 实审 实质审查的生效 公开 已公开 受理 初审 待审 "
    "pending published underexamination examination"
)
_NOT_IN_FORCE = (
    "失效 无效 无权 已失效 驳回 撤回 视为撤回 放弃 视为放弃 届满 期限届满 专利权期满终止 终止 未缴年费 "
    "未缴年费专利权终止 专利权终止 全部无效 无效宣告 "
    "lapsed expired invalid invalidated rejected withdrawn abandoned dead inactive"
)
_LABELS: dict[str, LegalStatus] = {
    **dict.fromkeys(_IN_FORCE.split(), LegalStatus.IN_FORCE),
    **dict.fromkeys(_PENDING.split(), LegalStatus.PENDING),
    **dict.fromkeys(_NOT_IN_FORCE.split(), LegalStatus.NOT_IN_FORCE),
}
_PARTS = re.compile(r"\s*[-—–~/|:]\s*")
_IGNORED = re.compile(r"[\s_]+")


def parse_legal_status(raw: str | None) -> FieldResult[LegalStatus]:
    """Map a legal-status label to LegalStatus.

    The part before the first dash decides ("有权-审定授权" → in_force); when it is
    unknown the later parts are tried in order. Unknown labels are errors, not guesses.
    """
    text = clean(raw)
    if not text:
        return FieldResult(None)
    for part in _PARTS.split(text):
        status = _LABELS.get(_IGNORED.sub("", part.casefold()))
        if status is not None:
            return FieldResult(status)
    return FieldResult(
        None,
        (
            error(
                "unknown_legal_status",
                f"无法识别的法律状态“{excerpt(text)}”，应为 有权 / 审中 / 失效 之类",
                f"unknown legal status '{excerpt(text)}', expected something like in force / pending / lapsed",
            ),
        ),
    )

"""What a notification says, in the reader's language: a registry of kinds → gettext templates with named placeholders.

A notification stores its kind (`Notification.message_kind`) and its parameters (`Notification.params`, JSON: names,
titles, codes and the user's own words); its text is made from them when it is read — the page and the API in the
active language, an e-mail in the recipient's. Its stored `title` and `body` hold the same text in Chinese, written
when it was created: rows made before kinds existed (and a kind this code no longer knows) show those as they are.

The users' own words (a docking request's message, a transition's note, a push's 附言) are parameters, never
translated; codes (a docking status) are shown by their label in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

from core.formatting import bilingual
from enterprises.models import DockingStatus, Notification


def _status_label(code: str) -> str:
    return str(DockingStatus(code).label) if code in DockingStatus.values else code


def _sender(name: str) -> str:
    return name or gettext("专利盘活对接平台")


@dataclass(frozen=True)
class NotificationKind:
    """The gettext templates of one kind: title, body (may be empty) and the line added under the body when the
    `note` parameter is set (empty: the kind has no such line); `labels` turn parameters into what the reader reads."""

    title: str
    body: str = ""
    note: str = "%(note)s"
    labels: Mapping[str, Callable[[str], str]] = field(default_factory=dict)


DOCKING_SUBMITTED = "docking.submitted"
DOCKING_STATUS = "docking.status"  # any other state a request moved to: its label in the title
PUSH = "push"
NEED_PUSH = "push.need"  # a patent recommended for one of the enterprise's needs (the needs hall)
REVIEW_PENDING = "review.pending"
REVIEW_APPROVED = "review.approved"
REVIEW_REJECTED = "review.rejected"
PATENT_SUBMITTED = "patent.submitted"
PATENT_APPROVED = "patent.approved"
PATENT_RETURNED = "patent.returned"
PATENT_REJECTED = "patent.rejected"
PATENT_POOLED = "patent.pooled"
CLAIM_PENDING = "claim.pending"
CLAIM_APPROVED = "claim.approved"
CLAIM_REJECTED = "claim.rejected"
ALERT = "alert"

KINDS: dict[str, NotificationKind] = {
    DOCKING_SUBMITTED: NotificationKind(title=gettext_noop("新的对接请求：%(enterprise)s · %(subject)s")),
    "docking.accepted": NotificationKind(title=gettext_noop("对接请求已受理：%(subject)s")),
    "docking.declined": NotificationKind(title=gettext_noop("对接请求已婉拒：%(subject)s")),
    "docking.negotiating": NotificationKind(title=gettext_noop("对接请求洽谈中：%(subject)s")),
    "docking.signed": NotificationKind(title=gettext_noop("对接请求已签约：%(subject)s")),
    "docking.withdrawn": NotificationKind(title=gettext_noop("对接请求已撤回：%(subject)s")),
    "docking.expired": NotificationKind(title=gettext_noop("对接请求已过期：%(subject)s")),
    DOCKING_STATUS: NotificationKind(
        title=gettext_noop("对接请求%(status)s：%(subject)s"), labels={"status": _status_label}
    ),
    PUSH: NotificationKind(
        title=gettext_noop("专利推送：%(title)s"),
        body=gettext_noop("%(sender)s 向贵企业推送了专利「%(title)s」（%(number)s）。"),
        note=gettext_noop("附言：%(note)s"),
        labels={"sender": _sender},
    ),
    NEED_PUSH: NotificationKind(
        title=gettext_noop("专利推荐：%(title)s"),
        body=gettext_noop("%(sender)s 针对贵企业的技术需求「%(need)s」推荐了专利「%(title)s」（%(number)s）。"),
        note=gettext_noop("附言：%(note)s"),
        labels={"sender": _sender},
    ),
    REVIEW_PENDING: NotificationKind(
        title=gettext_noop("企业注册待审核：%(enterprise)s"),
        body=gettext_noop("统一社会信用代码 %(uscc)s：%(note)s"),
        note="",
        labels={"note": bilingual},  # the platform's own "中文 / English" verification note
    ),
    REVIEW_APPROVED: NotificationKind(title=gettext_noop("企业注册审核已通过：%(enterprise)s")),
    REVIEW_REJECTED: NotificationKind(title=gettext_noop("企业注册审核未通过：%(enterprise)s")),
    PATENT_SUBMITTED: NotificationKind(title=gettext_noop("专利待审核：%(title)s（%(number)s）")),
    PATENT_APPROVED: NotificationKind(title=gettext_noop("专利审核已通过本环节：%(title)s（%(number)s）")),
    PATENT_RETURNED: NotificationKind(
        title=gettext_noop("专利被退回：%(title)s（%(number)s）"), note=gettext_noop("退回意见：%(note)s")
    ),
    PATENT_REJECTED: NotificationKind(
        title=gettext_noop("专利不予入库：%(title)s（%(number)s）"), note=gettext_noop("原因：%(note)s")
    ),
    PATENT_POOLED: NotificationKind(title=gettext_noop("专利已入库：%(title)s（%(number)s）")),
    CLAIM_PENDING: NotificationKind(
        title=gettext_noop("企业认领待审核：%(enterprise)s"),
        body=gettext_noop("统一社会信用代码 %(uscc)s，认领人 %(claimant)s"),
        note="",
    ),
    CLAIM_APPROVED: NotificationKind(
        title=gettext_noop("企业认领已通过：%(enterprise)s"),
        body=gettext_noop("您的账号已绑定该企业，登录用户名为 %(username)s，企业联系人已更新为您填写的联系人。"),
        note=gettext_noop("审核意见：%(note)s"),
        labels={"note": bilingual},  # the reviewer's words, or the platform's "中文 / English" claim-code note
    ),
    CLAIM_REJECTED: NotificationKind(
        title=gettext_noop("企业认领未通过：%(enterprise)s"),
        note=gettext_noop("原因：%(note)s"),
        labels={"note": bilingual},  # the reviewer's reason, or the platform's "中文 / English" note
    ),
    ALERT: NotificationKind(
        title=gettext_noop("订阅提醒：「%(name)s」有 %(count)s 件新入库专利"),
        body=gettext_noop("新入库的匹配专利：%(titles)s"),
        note="",
    ),
}


def docking_status_kind(status: str) -> str:
    """The kind of a notification that a docking request moved to `status`."""
    kind = f"docking.{status}"
    return kind if kind in KINDS and kind != DOCKING_SUBMITTED else DOCKING_STATUS


def notification_text(
    *, message_kind: str, params: Mapping[str, Any], title: str = "", body: str = ""
) -> tuple[str, str]:
    """(title, body) of a notification in the active language; `title` and `body` (the stored text) when the kind is
    unknown or empty, or its parameters do not fit its templates."""
    kind = KINDS.get(message_kind)
    if kind is None:
        return title, body
    values = {name: "" if value is None else str(value) for name, value in params.items()}
    for name, label in kind.labels.items():
        values[name] = label(values.get(name, ""))
    try:
        rendered_title = gettext(kind.title) % values
        lines = [gettext(kind.body) % values] if kind.body else []
        if kind.note and values.get("note"):
            lines.append(gettext(kind.note) % values)
    except (KeyError, TypeError, ValueError):
        return title, body
    return rendered_title, "\n".join(lines)


@dataclass(frozen=True)
class RenderedNotification:
    """A notification with its title and body in the reader's language (the page lists these)."""

    notification: Notification
    title: str
    body: str


def notification_rendered(notification: Notification) -> RenderedNotification:
    """`notification` as the reader reads it (the active language)."""
    title, body = notification_text(
        message_kind=notification.message_kind,
        params=notification.params or {},
        title=notification.title,
        body=notification.body,
    )
    return RenderedNotification(notification, title, body)

"""The review chain (审核流程): a patent's way into the pool.

draft → submitted (by an inventor, the college or the institution) → college-approved (the college admin) →
university-approved (an officer) → pooled (an officer; at once when the institution says so). At any step before the
pool a reviewer may return the patent to draft with a comment (shown to the submitter), or mark it not to pool with a
reason (未入库). An institution without the college step sends submissions straight to its officers. The pool itself
stays `inventory_status` (what search and recommendations read); an officer's direct pool (patents.services) is the
shortest chain.

Every write is atomic, checks who may act at the step (patents.review_rules), is audit-logged and tells the next actor
or the submitter (a notification queued after commit through patents.hooks.review_moved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from accounts.models import User
from core.cache_generation import dashboard_cache_invalidate
from core.errors import ApplicationError
from core.services import audit_log_record
from patents.hooks import review_moved
from patents.models import InventoryStatus, LegalStatus, Patent, ReviewStatus, TransferMode
from patents.review_rules import REVIEW_STEPS, may_describe, may_review, may_submit, review_step
from patents.services import patents_pool, status_change_record

COMMENT_MAX = 500

# events the notification task reads (enterprises.services.review_notices)
SUBMITTED, APPROVED, RETURNED, REJECTED, POOLED = "submitted", "approved", "returned", "rejected", "pooled"

_FORBIDDEN = ("您不能在此环节审核该专利", "you may not review this patent at this step")


class ReviewError(ApplicationError):
    """A review action refused; `rows` holds one "申请号：中文 / number: English" line per refused patent."""

    def __init__(self, rows: list[str]) -> None:
        summary = f"{len(rows)} 件专利未能处理 / {len(rows)} patents refused"
        super().__init__("；".join(rows) if len(rows) < 4 else summary)
        self.rows = rows
        self.extra = {"errors": rows}


def _row(patent: Patent, zh: str, en: str) -> str:
    return f"{patent.application_number}：{zh} / {patent.application_number}: {en}"


def _notify(patent: Patent, event: str, user: User, comment: str = "") -> None:
    review_moved.send(patent.pk, event, user.pk, comment, critical=False)


def _locked(patents: Iterable[Patent]) -> list[Patent]:
    """The patents re-read under a row lock, in the given order (a concurrent reviewer waits, then sees the step)."""
    wanted = [p.pk for p in patents]
    rows = Patent.objects.select_for_update().select_related("institution").in_bulk(wanted)
    return [rows[pk] for pk in wanted if pk in rows]


def _comment(comment: str, *, zh: str, en: str) -> str:
    comment = comment.strip()
    if not comment:
        raise ReviewError([f"请填写{zh} / give the {en}"])
    if len(comment) > COMMENT_MAX:
        raise ReviewError([f"{zh}不超过 {COMMENT_MAX} 字 / the {en} is at most {COMMENT_MAX} characters"])
    return comment


def _all_or_nothing(patents: list[Patent], check: Callable[[Patent], tuple[str, str] | None]) -> None:
    errors = [_row(p, *problem) for p in patents if (problem := check(p)) is not None]
    if errors:
        raise ReviewError(errors)


# --- submit --------------------------------------------------------------------------------------------------------


def _submit_problem(user: User, patent: Patent) -> tuple[str, str] | None:
    if not may_submit(user, patent):
        return ("您不能提交该专利", "you may not submit this patent")
    if review_step(patent) != ReviewStatus.DRAFT:
        return ("只有草稿可以提交（已提交、已入库或已标记不入库）", "only a draft can be submitted")
    return None


@transaction.atomic
def patents_submit(*, patents: Iterable[Patent], user: User) -> int:
    """Submit drafts for review: to the college admin, or straight to the officers when the institution has no college
    step or the patent no college. All or none."""
    locked = _locked(patents)
    _all_or_nothing(locked, lambda p: _submit_problem(user, p))
    for patent in locked:
        college_step = patent.institution.review_college_step and patent.college_id is not None
        patent.review_status = ReviewStatus.SUBMITTED if college_step else ReviewStatus.COLLEGE_APPROVED
        patent.review_comment = ""
        patent.review_submitted_by = user
        patent.save(update_fields=["review_status", "review_comment", "review_submitted_by", "updated_at"])
        audit_log_record(actor=user, action="patent.review_submit", target=patent, detail={"to": patent.review_status})
        _notify(patent, SUBMITTED, user)
    return len(locked)


# --- approve -------------------------------------------------------------------------------------------------------


def _approve_problem(user: User, patent: Patent) -> tuple[str, str] | None:
    step = review_step(patent)
    if step not in REVIEW_STEPS:
        return ("该专利不在审核中", "this patent is not under review")
    if not may_review(user, patent, step):
        return _FORBIDDEN
    pools = step == ReviewStatus.UNIVERSITY_APPROVED or (
        step == ReviewStatus.COLLEGE_APPROVED and patent.institution.review_pools_on_approval
    )
    if pools and not patent.transfer_modes:
        return ("尚未设置转化方式，请先设置许可条件", "set transfer terms before pooling")
    if pools and patent.legal_status == LegalStatus.INVALID:
        return ("已失效，不能入库", "a lapsed patent cannot be pooled")
    return None


@transaction.atomic
def patents_approve(*, patents: Iterable[Patent], user: User) -> int:
    """Approve each patent at its step: the college's approval sends it to the officers, the university's approves it
    (and pools it when the institution pools on approval), approving a university-approved patent pools it. All or
    none: a refused row refuses the batch."""
    locked = _locked(patents)
    _all_or_nothing(locked, lambda p: _approve_problem(user, p))
    for patent in locked:
        step = review_step(patent)
        if step == ReviewStatus.SUBMITTED:
            patent.review_status = ReviewStatus.COLLEGE_APPROVED
        else:
            patent.review_status = ReviewStatus.UNIVERSITY_APPROVED
        patent.save(update_fields=["review_status", "updated_at"])
        audit_log_record(actor=user, action="patent.review_approve", target=patent, detail={"from": step})
        pools = step == ReviewStatus.UNIVERSITY_APPROVED or (
            step == ReviewStatus.COLLEGE_APPROVED and patent.institution.review_pools_on_approval
        )
        if pools:
            patents_pool(patents=[patent], user=user)
        _notify(patent, POOLED if pools else APPROVED, user)
    return len(locked)


# --- return and reject ---------------------------------------------------------------------------------------------


def _review_problem(user: User, patent: Patent) -> tuple[str, str] | None:
    step = review_step(patent)
    if step not in REVIEW_STEPS:
        return ("该专利不在审核中", "this patent is not under review")
    return None if may_review(user, patent, step) else _FORBIDDEN


@transaction.atomic
def patents_return(*, patents: Iterable[Patent], user: User, comment: str) -> int:
    """Send patents under review back to draft with a comment the submitter sees. All or none."""
    comment = _comment(comment, zh="退回意见", en="comment")
    locked = _locked(patents)
    _all_or_nothing(locked, lambda p: _review_problem(user, p))
    for patent in locked:
        step = review_step(patent)
        patent.review_status = ReviewStatus.DRAFT
        patent.review_comment = comment
        patent.save(update_fields=["review_status", "review_comment", "updated_at"])
        audit_log_record(
            actor=user, action="patent.review_return", target=patent, detail={"from": step, "comment": comment}
        )
        _notify(patent, RETURNED, user, comment)
    return len(locked)


@transaction.atomic
def patents_reject(*, patents: Iterable[Patent], user: User, reason: str) -> int:
    """Mark patents under review not to pool (未入库) with a reason: the officers at any step, the college admin at
    theirs. All or none."""
    reason = _comment(reason, zh="不入库原因", en="reason")
    locked = _locked(patents)
    _all_or_nothing(locked, lambda p: _review_problem(user, p))
    for patent in locked:
        step = review_step(patent)
        patent.review_status = ReviewStatus.DRAFT
        patent.review_comment = reason
        patent.save(update_fields=["review_status", "review_comment", "updated_at"])
        status_change_record(patent=patent, to_status=InventoryStatus.NOT_POOLED, user=user, reason=reason)
        patent.not_pooled_reason = reason[:300]
        patent.save(update_fields=["inventory_status", "not_pooled_reason", "updated_at"])
        audit_log_record(
            actor=user, action="patent.review_reject", target=patent, detail={"from": step, "reason": reason}
        )
        _notify(patent, REJECTED, user, reason)
    dashboard_cache_invalidate()
    return len(locked)


# one patent at a time (the pages' single buttons)


def patent_submit(*, patent: Patent, user: User) -> None:
    patents_submit(patents=[patent], user=user)


def patent_approve(*, patent: Patent, user: User) -> None:
    patents_approve(patents=[patent], user=user)


def patent_return(*, patent: Patent, user: User, comment: str) -> None:
    patents_return(patents=[patent], user=user, comment=comment)


def patent_reject(*, patent: Patent, user: User, reason: str) -> None:
    patents_reject(patents=[patent], user=user, reason=reason)


# --- describing a patent (inventors, the college, the officers) -------------------------------------------------------

DESCRIBED_FIELDS = ("title", "abstract", "claims")


@transaction.atomic
def patent_describe(
    *, patent: Patent, user: User, title: str, abstract: str, claims: str = "", transfer_modes: list[str] | None = None
) -> Patent:
    """Save what an inventor (while the patent is a draft), its college admin or an officer says about a patent: its
    title, abstract, claims and the transfer modes they agree to."""
    if not may_describe(user, patent):
        raise ApplicationError("只能完善您名下、尚未提交的专利 / you can only describe your own drafts")
    title = title.strip()
    if not title or len(title) > 300 or "\n" in title:
        raise ApplicationError("专利名称须为一行，不超过 300 字 / the title must be one line of at most 300 characters")
    modes = list(dict.fromkeys(transfer_modes or []))
    if any(mode not in TransferMode.values for mode in modes):
        raise ApplicationError("未知的转化方式 / unknown transfer mode")
    patent.title, patent.abstract, patent.claims = title, abstract.strip(), claims.strip()
    fields = [*DESCRIBED_FIELDS, "updated_at"]
    if transfer_modes is not None and TransferMode.OPEN_LICENCE not in modes:  # open licences need their terms
        patent.transfer_modes = modes
        fields.append("transfer_modes")
    patent.save(update_fields=fields)
    audit_log_record(actor=user, action="patent.describe", target=patent, detail={"fields": fields[:-1]})
    return patent

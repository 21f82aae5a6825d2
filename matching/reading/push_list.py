"""A patent's push list for officers and bureau staff: the enterprises that fit it (ranked now, matching.live.ranking),
only those the caller may see, each marked whether a member can receive a push. Reads only; why each one matched is
filled in per page by matching.presentation.push."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from accounts.access import is_enterprise_member
from accounts.models import User
from enterprises.models import Enterprise
from enterprises.selectors.notifications import enterprise_recipients
from enterprises.selectors.profile import enterprises_visible_to
from matching.live.ranking import patent_push_list
from patents.selectors import patent_list


@dataclass
class PushRow:
    """One enterprise of a patent's push list."""

    rank: int
    score: float
    enterprise: Enterprise
    # filled in for one page by matching.presentation.push.push_rows_explain: why it matched, and the last push
    terms: list[str] = field(default_factory=list)
    needs: list[Any] = field(default_factory=list)  # presentation.push.NeedMatch (that module imports this one)
    profile_excerpt: str = ""
    pushed_at: datetime | None = None
    # an active member can receive a push (enterprises.selectors.notifications.enterprise_recipients); without one
    # it is not pushed
    can_receive: bool = False


def enterprises_for_patent(*, user: User, patent_id: int) -> list[PushRow] | None:
    """The enterprises that fit a patent (officer push list), ranked now; None when the user may not see it."""
    patent = patent_list(user=user).filter(pk=patent_id).first()
    if patent is None or is_enterprise_member(user):
        return None
    ranked = patent_push_list(patent_id=patent_id, k=settings.MATCHING_TOP_K)
    # only the enterprises the user may see (city staff: their city's), in the push list's order
    enterprises = (
        enterprises_visible_to(user=user)
        .select_related("city")
        .annotate(can_receive=Exists(enterprise_recipients().filter(enterprise_id=OuterRef("pk"))))
        .in_bulk([pk for pk, _ in ranked])
    )
    return [
        PushRow(rank, score, enterprises[pk], can_receive=enterprises[pk].can_receive)
        for rank, (pk, score) in enumerate(ranked, start=1)
        if pk in enterprises
    ]

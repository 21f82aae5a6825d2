"""The docking and follow feedback a run ranks with: each enterprise's declined, withdrawn and signed docking
requests and its follows, as engine events on index rows (matching.engine.adjust_scores). Reads."""

from __future__ import annotations

from collections.abc import Collection

from enterprises.models import DockingRequest, PatentFollow
from matching.engine import FeedbackEvent, FeedbackKind

FEEDBACK_KINDS: dict[str, FeedbackKind] = {"declined": "declined", "withdrawn": "withdrawn", "signed": "signed"}


def feedback_events(
    *, enterprise_ids: Collection[int] | None, row_of: dict[str, int]
) -> dict[int, list[FeedbackEvent]]:
    """Each enterprise's feedback on patents of the index (`row_of`: patent id → row): docking outcomes, then
    follows, each newest first (the models' own order, which is also the order the factors are multiplied in).
    `enterprise_ids`: those enterprises, or None for every enterprise (a sharded run's preparation)."""
    docking = DockingRequest.objects.filter(patent__isnull=False, status__in=list(FEEDBACK_KINDS))
    follows = PatentFollow.objects.all()
    if enterprise_ids is not None:
        docking = docking.filter(enterprise_id__in=list(enterprise_ids))
        follows = follows.filter(enterprise_id__in=list(enterprise_ids))
    events: dict[int, list[FeedbackEvent]] = {}
    for enterprise_id, patent_id, status in docking.values_list("enterprise_id", "patent_id", "status"):
        if str(patent_id) in row_of:
            events.setdefault(enterprise_id, []).append(FeedbackEvent(row_of[str(patent_id)], FEEDBACK_KINDS[status]))
    for enterprise_id, patent_id in follows.values_list("enterprise_id", "patent_id"):
        if str(patent_id) in row_of:
            events.setdefault(enterprise_id, []).append(FeedbackEvent(row_of[str(patent_id)], "followed"))
    return events

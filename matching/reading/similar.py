"""What matching adds to a patent's page and API detail (registered on patents.hooks.patent_detail_facts): the most
similar pooled patents the caller may see, by the engine's patent-to-patent similarity against the current run's live
index, and — for officers and bureau staff in scope — how many enterprises the patent matched. Reads only."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse as sp

from accounts.access import is_officer_bureau_or_admin
from accounts.models import User
from matching.engine import MatchIndex, mask_from_ids, patent_tokens, rank_one
from matching.live.index import live_index
from matching.reading.push_list import enterprises_for_patent
from matching.runs.current import current_run
from matching.runs.tokens import WEIGHTS
from patents.models import Patent
from patents.selectors import patents_pooled_visible_to

logger = logging.getLogger(__name__)

SIMILAR_SHOWN = 5
# candidates ranked before the visibility check: most of them are visible to most users (the pool); fewer than
# SIMILAR_SHOWN left (an officer's own pool) ranks again among the visible patents only
SIMILAR_CANDIDATES = 50


def _patent_query(*, index: MatchIndex, patent: Patent) -> sp.csr_matrix:
    """The patent as a unit query vector: its row of the index when it is in it (pooled), else its text weighed by
    the index (an officer's patent that is not pooled)."""
    try:
        row = index.matrix[index.row_of(str(patent.pk))]
    except KeyError:
        tokens = patent_tokens(title=patent.title, abstract=patent.abstract, claims=patent.claims, weights=WEIGHTS)
        return index.transform_query(tokens)
    norm = float(np.sqrt(row.multiply(row).sum()))
    return row / norm if norm > 0 else row


def similar_patents(*, user: User, patent: Patent, k: int = SIMILAR_SHOWN) -> dict[str, Any]:
    """{"available": whether a run's index answered, "patents": the k pooled patents `user` may see most similar
    to `patent` (never itself), best first, as dicts}. No run (or its files gone): available False, no patents."""
    run = current_run()
    if run is None:
        return {"available": False, "patents": []}
    try:
        index = live_index(run)
    except FileNotFoundError:
        logger.error("matching run %s: its files are missing; no similar patents", run.pk)
        return {"available": False, "patents": []}
    query = _patent_query(index=index, patent=patent)
    visible = patents_pooled_visible_to(user=user).exclude(pk=patent.pk)
    top = rank_one(index=index, query=query, k=SIMILAR_CANDIDATES)
    ranked = [(int(index.patent_ids[row]), score) for row, score in top.row(0)]
    shown = set(visible.filter(pk__in=[pk for pk, _ in ranked]).values_list("pk", flat=True))
    kept = [(pk, score) for pk, score in ranked if pk in shown]
    if len(kept) < k and len(ranked) == SIMILAR_CANDIDATES:  # a narrow pool: rank among the visible ones only
        mask = mask_from_ids(index=index, allowed_ids=[str(pk) for pk in visible.values_list("pk", flat=True)])
        top = rank_one(index=index, query=query, k=k, patent_mask=mask)
        kept = [(int(index.patent_ids[row]), score) for row, score in top.row(0)]
    kept = kept[:k]
    rows = visible.select_related("institution").in_bulk([pk for pk, _ in kept])
    return {
        "available": True,
        "patents": [
            {
                "pk": pk,
                "application_number": rows[pk].application_number,
                "title": rows[pk].title,
                "institution": rows[pk].institution.name,
                "value_grade": rows[pk].value_grade,
                "score": round(float(score), 4),
            }
            for pk, score in kept
            if pk in rows  # withdrawn between the two reads
        ],
    }


def matched_enterprise_count(*, user: User, patent: Patent) -> int | None:
    """How many enterprises the patent matched, within `user`'s scope (the rows of its push list page); None for a
    role that may not see push lists or a patent outside the caller's scope."""
    if not is_officer_bureau_or_admin(user):
        return None
    try:
        rows = enterprises_for_patent(user=user, patent_id=patent.pk)
    except FileNotFoundError:  # the run's files are gone: the page shows the plain link, never a 500
        logger.error("matching run: its files are missing; no matched-enterprise count for patent %s", patent.pk)
        return None
    return None if rows is None else len(rows)


def patent_matching_facts(*, user: User, patent: Patent) -> dict[str, Any]:
    """The facts matching adds to a patent's page and API detail: `similar` (list), `similar_available` and, only
    for the roles allowed, `matched_enterprises`."""
    similar = similar_patents(user=user, patent=patent, k=SIMILAR_SHOWN)
    facts: dict[str, Any] = {"similar": similar["patents"], "similar_available": similar["available"]}
    count = matched_enterprise_count(user=user, patent=patent)
    if count is not None:
        facts["matched_enterprises"] = count
    return facts

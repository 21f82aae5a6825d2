"""The push list page and API: why an enterprise is on a patent's push list, for one page of the list — the engine's
explaining terms of the (patent, enterprise query) pair, the enterprise's open needs whose text holds those terms
(title and a short excerpt to highlight), else the business scope / products the match came from, and when the
patent was last pushed to it — and what the officer reads after a push.

A page costs one explain over its rows (``explain_many``, the same terms recommendations show) and three queries
(needs, pushes, nothing per row): the rows are filled in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from enterprises.models import PatentPush, TechNeed
from enterprises.services.push import PushResult
from matching.engine import explain_many
from matching.live.index import live_index
from matching.reading.push_list import PushRow
from matching.runs.artifacts import run_artifacts
from matching.runs.current import current_run

EXCERPT_CHARS = 36  # either side of the first matched term


@dataclass
class NeedMatch:
    """An open need of the enterprise that holds some of the explaining terms."""

    pk: int
    title: str
    excerpt: str
    terms: list[str]


def _holds(text: str, term: str) -> bool:
    return any(part and part.lower() in text for part in term.split(" "))


def excerpt_around(*, text: str, terms: Sequence[str], width: int = EXCERPT_CHARS) -> str:
    """A short piece of `text` around the first of `terms` it holds (its start when it holds none)."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    hits = [lowered.find(part.lower()) for term in terms for part in term.split(" ") if part]
    hits = [h for h in hits if h >= 0]
    start = max(min(hits) - width, 0) if hits else 0
    end = min(start + 2 * width + (max((len(t) for t in terms), default=0)), len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _pair_terms(*, patent_id: int, enterprise_ids: list[int]) -> dict[int, list[str]]:
    """The engine's explaining terms of the patent with each enterprise's query in the current run."""
    run = current_run()
    if run is None:
        return {}
    _, queries, run_enterprise_ids = run_artifacts(run)
    index = live_index(run)
    try:
        patent_row = index.row_of(str(patent_id))
    except KeyError:  # not pooled
        return {}
    wanted = np.asarray(enterprise_ids, dtype=run_enterprise_ids.dtype)
    slots = np.searchsorted(run_enterprise_ids, wanted)  # the run stores its enterprise ids ascending
    slots = np.minimum(slots, len(run_enterprise_ids) - 1)
    known = run_enterprise_ids[slots] == wanted
    if not known.any():
        return {}
    rows = slots[known]
    terms = explain_many(
        index=index,
        queries=queries[rows],
        patent_rows=np.full((len(rows), 1), patent_row),
        n_terms=settings.MATCHING_TERMS_SHOWN,
    )
    return {int(pk): found[0] for pk, found in zip(wanted[known], terms, strict=True)}


def push_rows_explain(*, patent_id: int, rows: Sequence[PushRow]) -> None:
    """Fill in each row's terms, matched needs (best first), profile excerpt and last push time."""
    if not rows:
        return
    ids = [row.enterprise.pk for row in rows]
    terms = _pair_terms(patent_id=patent_id, enterprise_ids=ids)
    needs: dict[int, list[TechNeed]] = {}
    for need in (
        TechNeed.objects.filter(enterprise_id__in=ids, status=TechNeed.Status.OPEN)
        .only("enterprise_id", "title", "keywords", "description")
        .order_by("-created_at", "-pk")
    ):
        needs.setdefault(need.enterprise_id, []).append(need)
    pushed = dict(
        PatentPush.objects.filter(patent_id=patent_id, enterprise_id__in=ids)
        .values("enterprise_id")
        .annotate(last=Max("created_at"))
        .values_list("enterprise_id", "last")
    )
    for row in rows:
        pk = row.enterprise.pk
        row.terms = terms.get(pk, [])
        row.pushed_at = pushed.get(pk)
        matches = []
        for need in needs.get(pk, []):
            text = f"{need.title} {need.keywords} {need.description}"
            found = [t for t in row.terms if _holds(text.lower(), t)]
            if found:
                body = f"{need.keywords} {need.description}".strip() or need.title
                matches.append(NeedMatch(need.pk, need.title, excerpt_around(text=body, terms=found), found))
        matches.sort(key=lambda m: -len(m.terms))  # stable: newest first among equals
        row.needs = matches[:3]
        profile = f"{row.enterprise.business_scope} {row.enterprise.products}".strip()
        row.profile_excerpt = "" if row.needs else excerpt_around(text=profile, terms=row.terms, width=60)


def push_result_message(*, result: PushResult) -> str:
    """What the officer reads after a push: how many were notified, pushed already, or not pushed for want of a
    member to receive it (named)."""
    parts = [str(_("已推送给 %(count)d 家企业") % {"count": len(result.pushed)})]
    if result.already:
        parts.append(
            str(
                _("%(count)d 家已推送过（%(hours)d 小时内不重复推送）")
                % {"count": len(result.already), "hours": settings.PATENT_PUSH_REPEAT_HOURS}
            )
        )
    if result.without_members:  # not pushed, nothing recorded: each named, so the officer knows whom to call
        names = "、".join(e.name for e in result.without_members)
        parts.append(
            str(
                _("%(count)d 家没有可接收通知的企业用户，未推送：%(names)s")
                % {"count": len(result.without_members), "names": names}
            )
        )
    return "；".join(parts)

"""Reads of matching results: always from the current (latest complete) run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from accounts.models import Role, User
from enterprises.models import Enterprise
from matching.models import MatchRun, Recommendation
from matching.services import current_run, patent_push_list, search_index_rank
from patents.models import Patent
from patents.selectors import patent_list


def recommendations_for_enterprise(
    *, enterprise_id: int, city: str = "", patent_type: str = "", mode: str = ""
) -> QuerySet[Recommendation]:
    """The enterprise's top pooled patents (filters: owner's city, patent type, transfer mode), best first."""
    run = current_run()
    if run is None:
        return Recommendation.objects.none()
    qs = Recommendation.objects.filter(run=run, direction="e2p", enterprise_id=enterprise_id).select_related(
        "patent", "patent__institution", "patent__institution__city"
    )
    if city:
        qs = qs.filter(patent__institution__city_id=city)
    if patent_type:
        qs = qs.filter(patent__patent_type=patent_type)
    if mode:  # quoted, so "licence" does not match "open_licence"; works on SQLite and PostgreSQL alike
        qs = qs.filter(patent__transfer_modes__icontains=f'"{mode}"')
    return qs.order_by("-final_score", "rank")


@dataclass
class PushRow:
    """One enterprise of a patent's push list."""

    rank: int
    score: float
    enterprise: Enterprise


def enterprises_for_patent(*, user: User, patent_id: int) -> list[PushRow] | None:
    """The enterprises that fit a patent (officer push list), ranked now; None when the user may not see it."""
    patent = patent_list(user=user).filter(pk=patent_id).first()
    if patent is None or user.role == Role.ENTERPRISE:
        return None
    ranked = patent_push_list(patent_id=patent_id)
    enterprises = Enterprise.objects.select_related("city").in_bulk([pk for pk, _ in ranked])
    return [
        PushRow(rank, score, enterprises[pk]) for rank, (pk, score) in enumerate(ranked, start=1) if pk in enterprises
    ]


def match_run_list() -> QuerySet[MatchRun]:
    """Runs, newest first, for staff."""
    return MatchRun.objects.order_by("-created_at")


@dataclass
class SearchResult:
    patent: Patent
    score: float
    terms: list[str]


FACETS = {
    "city": "institution__city__name",
    "institution": "institution__name",
    "ipc_section": "ipc_section",
    "patent_type": "patent_type",
}


def patent_search(*, user: User, text: str, filters: dict[str, str], limit: int = 50) -> dict[str, Any]:
    """Rank the patents `user` may see against free text with the matching engine, with facet counts."""
    base = patent_list(user=user).filter(inventory_status="pooled")
    for key, lookup in (
        ("city", "institution__city_id"),
        ("institution", "institution_id"),
        ("ipc_section", "ipc_section"),
        ("patent_type", "patent_type"),
    ):
        if filters.get(key):
            base = base.filter(**{lookup: filters[key]})
    if filters.get("mode"):
        base = base.filter(transfer_modes__icontains=f'"{filters["mode"]}"')
    allowed = list(base.values_list("pk", flat=True))
    ranked = search_index_rank(text=text, allowed_patent_ids=allowed, k=500) if text.strip() else []
    hit_ids = [r.patent_id for r in ranked]
    patents = {p.pk: p for p in base.filter(pk__in=hit_ids[:limit]).select_related("institution", "institution__city")}
    results = [SearchResult(patents[r.patent_id], r.score, r.terms) for r in ranked[:limit] if r.patent_id in patents]
    hits = base.filter(pk__in=hit_ids)
    facets = {
        name: list(hits.values(field).annotate(n=Count("pk")).order_by("-n")[:12]) for name, field in FACETS.items()
    }
    return {"total": len(hit_ids), "results": results, "facets": facets}

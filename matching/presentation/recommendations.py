"""What the recommendations page shows around the stored ranking: the needs each recommendation came from (the
stored rows rank all the enterprise's needs together and do not record which one matched)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from enterprises.models import TechNeed


def recommendation_need_titles(*, terms: list[str], needs: list[TechNeed]) -> list[str]:
    """The titles of the needs whose text contains one of a recommendation's matched terms (the stored
    recommendations rank all the enterprise's needs together and do not record which one matched)."""
    return [
        need.title
        for need in needs
        if any(term and term in f"{need.title} {need.keywords} {need.description}" for term in terms)
    ]


def recommendations_label_needs(*, recommendations: Iterable[Any], needs: list[TechNeed]) -> None:
    """Set `need_titles` on each stored recommendation shown (the recommendation card's "来自需求")."""
    for recommendation in recommendations:
        recommendation.need_titles = recommendation_need_titles(terms=recommendation.terms or [], needs=needs)

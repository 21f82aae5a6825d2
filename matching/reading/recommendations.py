"""An enterprise's stored recommendations, read through the pool rule: what the recommendations page and API list
for "all needs". Reads only."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import Count, Q, QuerySet, Window

from accounts.access import is_enterprise_member
from accounts.models import User
from core.compiled_query import SENTINEL, SENTINEL_2, ThreadTemplates, compile_query
from matching.models import Recommendation
from matching.runs.current import current_run
from patents.filters import grade_consent_q
from patents.selectors import PUBLISHED_TERMS_FIELDS, patents_pooled_q

# what a recommendation or a search hit shows of a patent (not the claims: tens of kilobytes each)
PATENT_BRIEF_FIELDS = (
    "application_number",
    "title",
    "abstract",
    "patent_type",
    "transfer_modes",
    "value_grade",  # the card's grade and inventor consent (issue 25), both kept on the patent by the assessment
    "inventor_consent",
    "institution__name",
    "institution__city__name",
    *PUBLISHED_TERMS_FIELDS,  # the card's published terms (templates/patents/_published_terms.html)
)


def recommendations_for_enterprise(
    *, user: User, city: str = "", patent_type: str = "", mode: str = "", grade: str = "", consent: str = ""
) -> QuerySet[Recommendation]:
    """The member's enterprise's top pooled patents (filters: owner's city, patent type, transfer mode, value grades
    "A,B" and, with `consent`, inventor consent: patents.filters.grade_consent_q), best first.

    Read through the pool rule of search (`patents_pooled_q`, the rule of `patents_pooled_visible_to`), live: a
    patent withdrawn from the pool after the run (or after a re-rank against the run's index) is gone at once.
    The queryset carries `page_reader` (core.api.pagination.CountedPageQueryPaginator reads its pages with it): the
    same page from a statement compiled once per filters and page (core.compiled_query).
    """
    run = current_run()
    if run is None or not is_enterprise_member(user) or user.enterprise_id is None:
        return Recommendation.objects.none()
    pool = patents_pooled_q(user=user, via="patent__")  # the pool rule on the joined patent, no subquery
    filters = (city, patent_type, mode, grade, consent)
    qs = _recommendations(run_id=run.pk, enterprise_id=user.enterprise_id, pool=pool, filters=filters)
    shape = _plain(pool)
    if shape is not None:
        qs.page_reader = partial(  # type: ignore[attr-defined]
            _page, run_id=run.pk, enterprise_id=user.enterprise_id, pool=pool, shape=shape, filters=filters
        )
    return qs


def _recommendations(
    *, run_id: int, enterprise_id: int, pool: Q, filters: tuple[str, str, str, str, str]
) -> QuerySet[Recommendation]:
    city, patent_type, mode, grade, consent = filters
    qs = (
        Recommendation.objects.filter(run_id=run_id, enterprise_id=enterprise_id)
        .filter(pool)
        .select_related("patent", "patent__institution", "patent__institution__city")
        .only("rank", "score", "semantic", "final_score", "terms", *(f"patent__{name}" for name in PATENT_BRIEF_FIELDS))
    )
    if city:
        qs = qs.filter(patent__institution__city_id=city)
    if patent_type:
        qs = qs.filter(patent__patent_type=patent_type)
    if mode:  # quoted, so "licence" does not match "open_licence"; works on SQLite and PostgreSQL alike
        qs = qs.filter(patent__transfer_modes__icontains=f'"{mode}"')
    if grade or consent:
        qs = qs.filter(grade_consent_q(grades=grade, consent=bool(consent), via="patent__"))
    return qs.order_by("-final_score", "rank")


def _plain(q: Q) -> tuple | None:
    """The pool rule as a key (its connector, negation and children), when it holds only names and plain values
    (not a subquery: a template must not fix a value that another user's rule would change)."""
    parts: list[Any] = [q.connector, q.negated]
    for child in q.children:
        if isinstance(child, Q):
            inner = _plain(child)
            if inner is None:
                return None
            parts.append(inner)
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[1], str | int | bool):
            parts.append((child[0], type(child[1]).__name__, child[1]))
        else:
            return None
    return tuple(parts)


_pages = ThreadTemplates()


def _page(
    bottom: int, size: int, total: str, *, run_id: int, enterprise_id: int, pool: Q, shape: tuple, filters: tuple
) -> list[Recommendation]:
    """Rows `bottom` to `bottom + size` of the list with the whole list's count on each (annotation `total`)."""

    def page_of(run: int, enterprise: int) -> QuerySet[Recommendation]:
        listed = _recommendations(run_id=run, enterprise_id=enterprise, pool=pool, filters=filters)
        return listed.annotate(**{total: Window(Count("*"))})[bottom : bottom + size]

    db = Recommendation.objects.db
    template = _pages.get(
        (db, shape, filters, bottom, size, total),
        db,
        lambda: compile_query(page_of(SENTINEL, SENTINEL_2), {"run": (SENTINEL,), "enterprise": (SENTINEL_2,)}),
    )
    if template is None:
        return list(page_of(run_id, enterprise_id))
    return template.read({"run": lambda _: run_id, "enterprise": lambda _: enterprise_id})

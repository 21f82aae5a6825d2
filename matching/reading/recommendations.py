"""An enterprise's stored recommendations, read through the pool rule: what the recommendations page and API list
for "all needs". Reads only."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import is_enterprise_member
from accounts.models import User
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
    """
    run = current_run()
    if run is None or not is_enterprise_member(user) or user.enterprise_id is None:
        return Recommendation.objects.none()
    qs = (
        Recommendation.objects.filter(run=run, enterprise_id=user.enterprise_id)
        .filter(patents_pooled_q(user=user, via="patent__"))  # the pool rule on the joined patent, no subquery
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

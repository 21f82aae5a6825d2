"""FilterSets for patent lists (API and pages)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.validators._text import nfkc
from common.validators.application_number import AppNumberResult, normalize_application_number
from common.validators.dates import PATENT_LAW_EFFECTIVE
from core.filters import FilterSet
from patents.models import Patent, ValueGrade

_NUMBER_PREFIX = re.compile(r"^(?:CN|ZL)", re.IGNORECASE)


def application_number_search_key(text: str) -> str:
    """What a typed application number is looked up by: the canonical number when it is complete in any spelling
    (CN/ZL prefix, no dot, spaces, full-width), else the digits typed so far without prefix and spaces."""
    return _search_key(text, normalize_application_number(text))


def _search_key(text: str, result: AppNumberResult) -> str:
    if result.normalized:
        return result.normalized
    return _NUMBER_PREFIX.sub("", re.sub(r"\s+", "", nfkc(text)).replace("。", "."))


# what is left of a typed number by application_number_search_key when it is not complete: its digits so far
_PARTIAL_NUMBER = re.compile(r"[0-9]{6,}(?:\.[0-9X]?)?")
_PUBLICATION_DIGITS = re.compile(r"CN([0-9]+)")


@dataclass(frozen=True)
class PatentNumberLookup:
    """How a typed patent number finds its patents: `field` names what it is ("application_number",
    "publication_number", or "number" for the digits of either typed so far) and `q` selects them."""

    field: str
    q: Q


def patent_number_lookup(*, text: str) -> PatentNumberLookup | None:
    """The patents a typed number means, in any spelling the inventory accepts (normalize_application_number:
    CN/ZL prefix, spaces, no dot, full-width, 。); None when `text` is not a number.

    A complete application number matches exactly; a publication number (CN115883397A, any kind code) matches by
    its digits, which a patent's publication and grant share; six or more digits of either matches the numbers
    holding them (as the inventory's own search, patent_text_q).
    """
    if not text.strip():
        return None
    result = normalize_application_number(text)
    if result.normalized:
        return PatentNumberLookup("application_number", Q(application_number=result.normalized))
    if result.publication_number:
        match = _PUBLICATION_DIGITS.match(result.publication_number)  # CN + digits + kind code
        assert match is not None
        digits = match[1]
        return PatentNumberLookup(
            "publication_number",
            Q(publication_number__istartswith=f"CN{digits}") | Q(publication_number__istartswith=digits),
        )
    key = _search_key(text, result)
    if _PARTIAL_NUMBER.fullmatch(key):
        return PatentNumberLookup("number", Q(application_number__contains=key) | Q(publication_number__icontains=key))
    return None


def patent_text_q(*, text: str) -> Q:
    """Patents whose application number (any spelling, see application_number_search_key) or title match `text`."""
    key = application_number_search_key(text)
    return Q(application_number__icontains=key) | Q(title__icontains=text)


def grades_param(values: Iterable[str]) -> str:
    """The value grades asked for (?grade=A&grade=B or ?grade=A,B) as one canonical text ("A,B"; unknown values
    left out): how the search and recommendation filters carry them (and the search cache key reads them)."""
    asked = {part.strip().upper() for value in values for part in value.split(",")}
    return ",".join(grade for grade in ValueGrade.values if grade in asked)


def grade_consent_q(*, grades: str = "", consent: bool = False, via: str = "") -> Q:
    """The pool filters of a patent's assessment (issue 25) as a condition on the patent reached through `via`:
    its settled value grade among `grades` ("A,B", grades_param) and, with `consent`, only patents whose inventor
    agreed to the transfer (the assessment's inventor_consent, kept on the patent, true; no assessment or no answer:
    left out)."""
    q = Q()
    if grades:
        q &= Q(**{f"{via}value_grade__in": grades.split(",")})
    if consent:
        q &= Q(**{f"{via}inventor_consent": True})
    return q


# The year filter's range: no Chinese patent predates the Patent Law, and the page's input stops at 2100. Outside
# it the ORM's year lookup would build date(0, 1, 1) and fail ("year 0 is out of range"), so it is a form error.
APPLICATION_YEAR_MIN = PATENT_LAW_EFFECTIVE.year
APPLICATION_YEAR_MAX = 2100
APPLICATION_YEAR_MESSAGE = (
    f"申请年份须为 {APPLICATION_YEAR_MIN}–{APPLICATION_YEAR_MAX} 之间的整数 / "
    f"application year must be a whole number from {APPLICATION_YEAR_MIN} to {APPLICATION_YEAR_MAX}"
)


class YearFilter(django_filters.NumberFilter):
    """A year as a bounded whole number (NumberFilter alone takes any decimal, such as 0, -1, 10000 or 1.5)."""

    field_class = forms.IntegerField


class PatentFilterSet(FilterSet):
    """Filter by status, type, IPC section, legal status, grade, institution and application year."""

    application_year = YearFilter(
        field_name="application_date",
        lookup_expr="year",
        min_value=APPLICATION_YEAR_MIN,
        max_value=APPLICATION_YEAR_MAX,
        error_messages={
            "invalid": APPLICATION_YEAR_MESSAGE,
            "min_value": APPLICATION_YEAR_MESSAGE,
            "max_value": APPLICATION_YEAR_MESSAGE,
        },
    )
    q = django_filters.CharFilter(method="filter_q", label=_("申请号或名称"))

    class Meta:
        model = Patent
        fields = ["inventory_status", "patent_type", "ipc_section", "legal_status", "value_grade", "institution"]

    def filter_q(self, queryset: QuerySet[Patent], name: str, value: str) -> QuerySet[Patent]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(patent_text_q(text=value))

"""FilterSets for patent lists (API and pages)."""

import re

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.validators._text import nfkc
from common.validators.application_number import normalize_application_number
from patents.models import Patent

_NUMBER_PREFIX = re.compile(r"^(?:CN|ZL)", re.IGNORECASE)


def application_number_search_key(text: str) -> str:
    """What a typed application number is looked up by: the canonical number when it is complete in any spelling
    (CN/ZL prefix, no dot, spaces, full-width), else the digits typed so far without prefix and spaces."""
    result = normalize_application_number(text)
    if result.normalized:
        return result.normalized
    return _NUMBER_PREFIX.sub("", re.sub(r"\s+", "", nfkc(text)).replace("。", "."))


def patent_text_q(*, text: str) -> Q:
    """Patents whose application number (any spelling, see application_number_search_key) or title match `text`."""
    key = application_number_search_key(text)
    return Q(application_number__icontains=key) | Q(title__icontains=text)


class PatentFilterSet(django_filters.FilterSet):
    """Filter by status, type, IPC section, legal status, grade, institution and application year."""

    application_year = django_filters.NumberFilter(field_name="application_date", lookup_expr="year")
    q = django_filters.CharFilter(method="filter_q", label=_("申请号或名称"))

    class Meta:
        model = Patent
        fields = ["inventory_status", "patent_type", "ipc_section", "legal_status", "value_grade", "institution"]

    def filter_q(self, queryset: QuerySet[Patent], name: str, value: str) -> QuerySet[Patent]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(patent_text_q(text=value))

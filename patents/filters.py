"""FilterSets for patent lists (API and pages)."""

import django_filters

from patents.models import Patent


class PatentFilterSet(django_filters.FilterSet):
    """Filter by status, type, IPC section, legal status, grade, institution and application year."""

    application_year = django_filters.NumberFilter(field_name="application_date", lookup_expr="year")
    q = django_filters.CharFilter(method="filter_q", label="申请号或名称 / number or title")

    class Meta:
        model = Patent
        fields = ["inventory_status", "patent_type", "ipc_section", "legal_status", "value_grade", "institution"]

    def filter_q(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(application_number__icontains=value) | queryset.filter(title__icontains=value)

"""Patent API: read-only lists scoped by role."""

from rest_framework import viewsets

from core.http import authed_user
from patents.api.serializers import InstitutionSerializer, PatentSerializer
from patents.filters import PatentFilterSet
from patents.selectors import institution_list, patent_list, patents_with_demand


class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    """Patents the caller may see (officer: own institution; enterprise: pooled; bureau: all)."""

    serializer_class = PatentSerializer
    filterset_class = PatentFilterSet
    ordering_fields = ["application_date", "application_number", "title", "updated_at"]
    search_fields: list[str] = []

    def get_queryset(self):
        return patents_with_demand(patent_list(user=authed_user(self.request)))


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """Institutions taking part in the platform."""

    serializer_class = InstitutionSerializer
    search_fields = ["name"]
    filterset_fields = ["city", "kind"]

    def get_queryset(self):
        return institution_list()

"""Patent API: read-only lists scoped by role."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import authed_user
from patents.api.serializers import InstitutionSerializer, PatentDetailSchema, PatentSerializer
from patents.filters import PatentFilterSet
from patents.hooks import patent_detail_facts
from patents.selectors import institution_list, patent_legal_history, patent_list, patents_with_demand


class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    """Patents the caller may see (officer: own institution; enterprise: pooled; bureau: all)."""

    serializer_class = PatentSerializer
    filterset_class = PatentFilterSet
    ordering_fields = ["application_date", "application_number", "title", "updated_at"]
    search_fields: list[str] = []

    def get_queryset(self):
        return patents_with_demand(patent_list(user=authed_user(self.request)))

    @extend_schema(responses=PatentDetailSchema)
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """The patent, its legal history and what the layers above add (patents.hooks.patent_detail_facts: the
        similar pooled patents and, for the roles allowed, the number of matched enterprises)."""
        patent = self.get_object()
        data = dict(self.get_serializer(patent).data)
        data["inventors"] = patent.inventors
        data["legal_history"] = [
            {"from_status": c.from_status, "to_status": c.to_status, "source": c.source, "at": c.created_at.isoformat()}
            for c in patent_legal_history(patent=patent)
        ]
        data.update(patent_detail_facts.collect(user=authed_user(request), patent=patent))
        return Response(data)


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """Institutions taking part in the platform."""

    serializer_class = InstitutionSerializer
    search_fields = ["name"]
    filterset_fields = ["city", "kind"]

    def get_queryset(self):
        return institution_list()

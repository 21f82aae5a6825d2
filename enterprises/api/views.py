"""Enterprise API: read-only lists scoped by role."""

from rest_framework import viewsets

from enterprises.api.serializers import EnterpriseSerializer, TechNeedSerializer
from enterprises.selectors import enterprise_list, tech_need_list


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprises the caller may see."""

    serializer_class = EnterpriseSerializer
    search_fields = ["name", "uscc"]
    filterset_fields = ["city", "industry_section", "verification"]

    def get_queryset(self):
        return enterprise_list(user=self.request.user)


class TechNeedViewSet(viewsets.ReadOnlyModelViewSet):
    """Technology needs the caller may see."""

    serializer_class = TechNeedSerializer
    search_fields = ["title", "keywords"]
    filterset_fields = ["status"]

    def get_queryset(self):
        return tech_need_list(user=self.request.user)

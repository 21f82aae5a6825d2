"""The API's filter backend: django-filter's, with filter sets built on core.filters.ApiFilterSet."""

from django_filters.rest_framework import DjangoFilterBackend

from core.filters import ApiFilterSet


class IdFilterBackend(DjangoFilterBackend):
    """`filterset_fields` on a foreign key read the id through common.numbers.parse_id: `?patent=٣٣٥` is a 400."""

    filterset_base = ApiFilterSet

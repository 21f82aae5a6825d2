"""FilterSets whose filters on a foreign key read the id through common.numbers.parse_id (core.forms).

django-filter's ModelChoiceFilter looks the value up with Django's ModelChoiceField: `?institution=٣٣٥` filtered on
institution 335 and 20 digits overflowed SQLite. `FilterSet` is the base of the pages' and the API's filter sets;
core.api.filters.IdFilterBackend builds the API's `filterset_fields` filter sets on `ApiFilterSet`.
"""

from copy import deepcopy
from typing import Any

import django_filters
from django.db import models
from django_filters import fields as filter_fields
from django_filters import rest_framework as api_filters

from core.forms import IdModelChoiceField, IdModelMultipleChoiceField


class _IdModelChoiceFilterField(IdModelChoiceField, filter_fields.ModelChoiceField):
    pass


class _IdModelMultipleChoiceFilterField(IdModelMultipleChoiceField, filter_fields.ModelMultipleChoiceField):
    pass


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _IdModelChoiceFilterField


class IdModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _IdModelMultipleChoiceFilterField


def id_filter_defaults(defaults: dict[Any, dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """django-filter's defaults per model field, with the relations' filters reading ids through parse_id."""
    out = deepcopy(defaults)
    out[models.ForeignKey] = {**out[models.ForeignKey], "filter_class": IdModelChoiceFilter}
    out[models.OneToOneField] = {**out[models.OneToOneField], "filter_class": IdModelChoiceFilter}
    out[models.ManyToManyField] = {**out[models.ManyToManyField], "filter_class": IdModelMultipleChoiceFilter}
    return out


class FilterSet(django_filters.FilterSet):
    """django_filters.FilterSet with id-reading relation filters (for pages, and filterset_class on the API)."""

    FILTER_DEFAULTS = id_filter_defaults(django_filters.FilterSet.FILTER_DEFAULTS)


class ApiFilterSet(api_filters.FilterSet):
    """django_filters.rest_framework.FilterSet with id-reading relation filters (the API's filterset_fields)."""

    FILTER_DEFAULTS = id_filter_defaults(api_filters.FilterSet.FILTER_DEFAULTS)

"""Serializers that read a request's query parameters, with their fields built once per class.

A DRF serializer deep-copies its declared fields into every new instance (`Serializer.fields` -> `get_fields()` ->
`copy.deepcopy`), so that a serializer can be changed per request. Query-parameter serializers are never changed:
built from the class, they validate one QueryDict and are dropped. The copy was most of the validation's price:
~0.5 ms a serializer, one or two of them on every search and recommendations request (bench/load.py). Here the
fields are built once, bound to a template instance without data, and every instance validates with them.

Safe because validating does not write to a field: the values, errors and validated data live on the instance
(`initial_data`, `_errors`, `_validated_data`) and the fields only read their own options. What a field reads from
its root (`partial`, `context`) is the template's — not partial, no context: query parameters use neither. A
serializer that changes its fields per instance (`get_fields` reading the request, `fields` edited in `__init__`)
must not use this base.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

_shared: dict[type, BindingDict] = {}


class QueryParamsSerializer(serializers.Serializer):
    """A serializer of query parameters (`Cls(data=request.query_params).is_valid(raise_exception=True)`) whose
    fields every instance shares."""

    @property
    def fields(self) -> BindingDict:  # type: ignore[override]  # DRF's is a cached_property of the same value
        fields = _shared.get(type(self))
        if fields is None:
            # bound to a template without data or context, not to this instance: the shared fields keep no
            # request alive (a race builds the same fields twice; either is kept)
            template = type(self)()
            fields = BindingDict(template)
            for name, field in template.get_fields().items():
                fields[name] = field
            _shared[type(self)] = fields
        return fields

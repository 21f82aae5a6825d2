"""Serializer fields shared by the API's input serializers."""

from collections.abc import Mapping, Sized
from typing import Any

from rest_framework import serializers


class BoundedListField(serializers.ListField):
    """A list whose length is checked before any of its items: a 4,000,000-item list is refused at once, in one
    message, rather than after every item was validated (and with an error per item).

    `max_length` is required: every list the API accepts is capped (the schema shows it as maxItems).
    """

    default_error_messages = {
        "too_long": "最多 {max_length} 项，收到 {length} 项 / At most {max_length} items, got {length}",
    }

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)

    def to_internal_value(self, data: Any) -> list[Any]:
        assert self.max_length is not None  # required by __init__
        if isinstance(data, Sized) and not isinstance(data, str | Mapping) and len(data) > self.max_length:
            self.fail("too_long", max_length=self.max_length, length=len(data))
        return super().to_internal_value(data)

"""Serializer fields shared by the API's input serializers: ids and page numbers read through common.numbers, and
lists whose length is checked before their items.

DRF's IntegerField reads with int() (after stripping a trailing ".0"): "٣٣٥", "３３５", " 335" and "335.0" were all
335, and PrimaryKeyRelatedField looks the value up as given. These take a JSON integer or a string of ASCII digits
in its one spelling, in range, and nothing else (a 400 naming the field).
"""

from collections.abc import Mapping, Sized
from typing import Any

from rest_framework import serializers

from common.numbers import ID_MAX, ID_MESSAGE, PAGE_MAX, PAGE_MESSAGE, WHOLE_MESSAGE, parse_id, parse_whole


class WholeNumberField(serializers.IntegerField):
    """A whole number ≥ 0 (min_value / max_value narrow it, as on IntegerField) in ASCII digits or a JSON integer."""

    default_error_messages = {"invalid": WHOLE_MESSAGE}

    def to_internal_value(self, data: Any) -> int:
        number = parse_whole(data, minimum=0, maximum=ID_MAX)
        if number is None:
            self.fail("invalid")
        return number  # the min_value / max_value validators run next


class IdField(WholeNumberField):
    """An object's id: 1 .. 2**63 - 1 unless max_value says less."""

    default_error_messages = {"invalid": ID_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        number = parse_id(data)
        if number is None:
            self.fail("invalid")
        return number  # a narrower max_value is checked by its validator


class PageField(WholeNumberField):
    """A page number: 1 .. PAGE_MAX unless max_value says less."""

    default_error_messages = {"invalid": PAGE_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", PAGE_MAX)
        super().__init__(**kwargs)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """PrimaryKeyRelatedField whose key is read by parse_id before the lookup."""

    default_error_messages = {"incorrect_type": ID_MESSAGE}

    def to_internal_value(self, data: Any) -> Any:
        if parse_id(data) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


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

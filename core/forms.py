"""Form fields that choose a model by its integer id through common.numbers.parse_id.

Django's ModelChoiceField looks the value up as given, and the integer field's to_python reads it with int(): "٣٣٥"
or "３３５" chose object 335, and 20 digits overflowed SQLite. These refuse every value that is not an id in ASCII
digits (an invalid choice) before any lookup; keys that are not integers (a city's code) are looked up as Django does.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from common.numbers import parse_id


def _refuses(field: forms.ModelChoiceField, value: Any) -> bool:
    """Whether `field` (a ModelChoiceField or ModelMultipleChoiceField, django-filter's too) must refuse `value`: an
    integer key given as anything but an id."""
    queryset = field.queryset
    if queryset is None or value in field.empty_values or isinstance(value, queryset.model):
        return False
    meta = queryset.model._meta
    key = meta.pk if field.to_field_name in (None, "pk") else meta.get_field(field.to_field_name)
    if not isinstance(key, models.IntegerField):  # AutoField and BigAutoField are IntegerFields too
        return False
    if getattr(field, "null_label", None) is not None and value == getattr(field, "null_value", None):
        return False  # django-filter's "null" choice
    return parse_id(value) is None


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose integer keys are read by parse_id."""

    def to_python(self, value: Any) -> Any:
        if _refuses(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose integer keys are read by parse_id."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if _refuses(self, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)

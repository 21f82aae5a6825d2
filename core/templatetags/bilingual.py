"""`{{ message|bilingual }}`: a "中文 / English" message English first in the English UI (core.formatting.bilingual)."""

from django import template

from core.formatting import bilingual as bilingual_text

register = template.Library()


@register.filter
def bilingual(value: object) -> str:
    """The message (a string, a lazy string or a django.contrib.messages Message) in the reader's order."""
    return bilingual_text(str(value))

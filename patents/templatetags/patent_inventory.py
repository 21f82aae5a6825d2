"""Template helpers of the inventory pages: field labels of import errors, transfer-mode labels, sort links."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from patents.importers import LABELS
from patents.models import TransferMode

register = template.Library()
MODE_LABELS = dict(TransferMode.choices)


@register.filter
def import_field_label(name: str) -> str:
    """The Chinese column label of an importer field ('application_number' → 申请号); unknown names as given."""
    return LABELS[name][0] if name in LABELS else (name or "—")


@register.filter
def transfer_mode_labels(modes: Iterable[str] | None) -> str:
    """['assignment', 'licence'] → 转让、许可."""
    return "、".join(str(MODE_LABELS.get(mode, mode)) for mode in (modes or []))


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, key: str, label: str) -> SafeString:
    """A column header that sorts by `key` (ascending first, then descending), keeping the other filters."""
    request = context["request"]
    current = request.GET.get("o", "")
    query = request.GET.copy()
    query.pop("page", None)
    query["o"] = f"-{key}" if current == key else key
    arrow = {key: " ▲", f"-{key}": " ▼"}.get(current, "")
    return format_html('<a href="?{}" class="sort" data-sort="{}">{}{}</a>', query.urlencode(), key, label, arrow)

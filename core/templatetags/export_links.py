"""`{% export_links %}`: a list page's download buttons, carrying the page's query string (its filters and order,
not its page number), so the file holds the rows the page lists (core.exports.list_download answers them)."""

from typing import Any

from django import template

from core.exports import LIST_EXPORT_MAX_ROWS

register = template.Library()


@register.inclusion_tag("partials/export_links.html", takes_context=True)
def export_links(context: template.Context, limit: int = LIST_EXPORT_MAX_ROWS) -> dict[str, Any]:
    """Excel and CSV links to the current page with `format=`, and the row cap they are held to."""
    query = context["request"].GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    base = query.urlencode()
    prefix = f"?{base}&" if base else "?"
    return {"xlsx_url": f"{prefix}format=xlsx", "csv_url": f"{prefix}format=csv", "limit": limit}

"""What the officer published about a patent, for the patent page and the recommendation and search cards."""

from decimal import Decimal

from django import template

from patents.models import Patent
from patents.selectors import PublishedTerms, patent_published_terms

register = template.Library()


@register.simple_tag
def published_terms(patent: Patent) -> PublishedTerms:
    """Transfer modes, price range, open-licence terms and contact of `patent` as enterprises see them."""
    return patent_published_terms(patent=patent)


@register.filter
def yuan(value: Decimal | None) -> str:
    """An amount in yuan with thousands separators: 10000.00 → 10,000; 12.50 → 12.50."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"

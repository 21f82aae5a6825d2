"""Ids and page numbers read from a page's query string or form body (common.numbers parses them).

Absent or empty: None (an id) or 1 (a page). Anything else that is not an id or a page number in ASCII digits is a
400 (django.core.exceptions.BadRequest, rendered by handler400): a hand-edited URL is told it is wrong, never shown
another object's page nor a 500. The API reads the same numbers through core.api.fields and core.api.pagination.
"""

from collections.abc import Mapping

from django.core.exceptions import BadRequest
from django.http import HttpRequest

from common.numbers import ID_MESSAGE, PAGE_MESSAGE, WHOLE_MESSAGE, parse_id, parse_page, parse_whole


def id_param(data: Mapping[str, str], name: str) -> int | None:
    """The id in `data[name]`, None when absent or empty; a 400 when it is not an id."""
    raw = data.get(name, "")
    if raw == "":
        return None
    number = parse_id(raw)
    if number is None:
        raise BadRequest(f"{name}: {ID_MESSAGE}")
    return number


def page_param(data: Mapping[str, str], name: str = "page") -> int:
    """The page number in `data[name]`, 1 when absent or empty; a 400 when it is not a page number (a page past
    the last is the paginator's business: Paginator.get_page shows the last one)."""
    raw = data.get(name, "")
    if raw == "":
        return 1
    number = parse_page(raw)
    if number is None:
        raise BadRequest(f"{name}: {PAGE_MESSAGE}")
    return number


def whole_param(data: Mapping[str, str], name: str, *, minimum: int, maximum: int, default: int) -> int:
    """A whole number in minimum..maximum in `data[name]` (an offset, a count), `default` when absent or empty; a 400
    otherwise."""
    raw = data.get(name, "")
    if raw == "":
        return default
    number = parse_whole(raw, minimum=minimum, maximum=maximum)
    if number is None:
        raise BadRequest(f"{name}: {WHOLE_MESSAGE} ({minimum}–{maximum})")
    return number


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without the named parameters (a page link keeps the filters, drops the page)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()

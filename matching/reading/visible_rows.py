"""The visibility query of a search — which of the ~600 best-scored patents the caller may see, with their facet
values — compiled to SQL once per visible set and fields, then sent with each search's ids (issue 23).

Building and compiling that query through the ORM (a filter, values_list, three joins, a cast) cost more than
PostgreSQL's answer to it on every uncached search. The SQL depends only on the caller's visibility and filters
(the visible set's key: matching.reading.search._visible_set_key, made for the search cache's key anyway) and on the
fields asked for; the ids are one parameter (core.lookups' ``any_of``: one array). So the compiled statement is kept
per (database, visible set, fields) and only that parameter changes. The rows are the ORM's own: the fast path is
taken only when the ORM would convert none of the columns (no database converters: text and integers here), and
everything it cannot match exactly goes through the ORM as before. Reads only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db.models import QuerySet

from core.compiled_query import SENTINEL, CompiledQuery, ThreadTemplates, compile_query
from patents.models import Patent

_MAX_TEMPLATES = 256  # a visible set per role, organisation and filter combination; cleared when full
# (database alias, visible set's key, fields) -> the compiled statement, or None when the ORM must answer (a
# converter on a column, the ids' parameter not found once); per thread (core.compiled_query)
_templates = ThreadTemplates(_MAX_TEMPLATES)
# the forms the ids' parameter takes: one array (PostgreSQL), one JSON text (SQLite): core.lookups' any_of
_ID_FORMS = ([SENTINEL], json.dumps([SENTINEL]))


def _ids(ids: Sequence[int] | np.ndarray) -> dict[str, Any]:
    """The ids' value for a compiled statement, in the form its parameter takes (core.compiled_query)."""
    id_list = np.asarray(ids, dtype=np.int64).tolist()
    return {"ids": lambda form: json.dumps(id_list) if form else id_list}


def visible_rows(
    visible: QuerySet[Patent], ids: np.ndarray, values: Sequence[Any], *, visible_key: str | None
) -> list[tuple[Any, ...]]:
    """`visible.filter(pk__any_of=ids).order_by().values_list("pk", *values)` as a list of tuples, the same rows,
    from the statement compiled once for this visible set (`visible_key`: its _visible_set_key; None: through the
    ORM)."""
    template = None
    if visible_key is not None:  # expressions in `values` compare and hash by their identity
        template = _templates.get(
            (visible.db, visible_key, tuple(values)), visible.db, lambda: _compile(visible, values)
        )
    if template is None:
        return list(_orm_query(visible, ids, values))
    return [tuple(row) for row in template.rows(_ids(ids))]


def _orm_query(visible: QuerySet[Patent], ids: Any, values: Sequence[Any]) -> QuerySet:
    return visible.filter(pk__any_of=ids).order_by().values_list("pk", *values)


def _compile(visible: QuerySet[Patent], values: Sequence[Any]) -> CompiledQuery | None:
    """The visibility query compiled with a placeholder id list; None when the rows would not be exactly the ORM's
    (it converts a column) or core.compiled_query refuses it."""
    template = compile_query(_orm_query(visible, [SENTINEL], values), {"ids": _ID_FORMS})
    return None if template is None or template.converters else template


# ---------------------------------------------------------------------------------------- a page of hits, as patents
_patent_templates = ThreadTemplates(_MAX_TEMPLATES)


def visible_patents(
    visible: QuerySet[Patent], ids: Sequence[int], fields: Sequence[str], *, visible_key: str | None
) -> list[Patent]:
    """`visible.filter(pk__any_of=ids).order_by().only(*fields)` (with `visible`'s select_related) as patents, the
    same objects the ORM makes, from the statement compiled once for this visible set and fields (`visible_key`: its
    _visible_set_key; None: through the ORM; core.compiled_query). The page of a search: the ORM compiled a
    three-table join of ~25 columns on every request, a quarter of that read's cost."""
    template = None
    if visible_key is not None:
        template = _patent_templates.get(
            (visible.db, visible_key, tuple(fields)),
            visible.db,
            lambda: compile_query(_orm_patents(visible, [SENTINEL], fields), {"ids": _ID_FORMS}),
        )
    if template is None:
        return list(_orm_patents(visible, ids, fields))
    return template.read(_ids(ids))


def _orm_patents(visible: QuerySet[Patent], ids: Any, fields: Sequence[str]) -> QuerySet[Patent]:
    return visible.filter(pk__any_of=ids).order_by().only(*fields)

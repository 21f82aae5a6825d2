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
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from core.compiled_query import SENTINEL, ThreadTemplates, compile_query
from patents.models import Patent

# an id no patent has, put in the ids' place to find that parameter among the compiled statement's parameters
_SENTINEL = SENTINEL
# (database alias, visible set's key, fields) -> (sql, params, position of the ids, "array" | "json"), or None when
# the ORM must answer (a converter on a column, the ids' parameter not found once)
_Template = tuple[str, list[Any], int, str] | None
_templates: dict[tuple[str, str, tuple[Any, ...]], _Template] = {}
_MAX_TEMPLATES = 256  # a visible set per role, organisation and filter combination; cleared when full


def visible_rows(
    visible: QuerySet[Patent], ids: np.ndarray, values: Sequence[Any], *, visible_key: str | None
) -> list[tuple[Any, ...]]:
    """`visible.filter(pk__any_of=ids).order_by().values_list("pk", *values)` as a list of tuples, the same rows,
    from the statement compiled once for this visible set (`visible_key`: its _visible_set_key; None: through the
    ORM)."""
    if visible_key is None:
        return list(_orm_query(visible, ids, values))
    key = (visible.db, visible_key, tuple(values))  # expressions compare and hash by their identity
    if key not in _templates:
        if len(_templates) >= _MAX_TEMPLATES:
            _templates.clear()
        _templates[key] = _compile(visible, values)
    template = _templates[key]
    if template is None:
        return list(_orm_query(visible, ids, values))
    sql, params, position, kind = template
    id_list = np.asarray(ids, dtype=np.int64).tolist()
    sent = list(params)
    sent[position] = id_list if kind == "array" else json.dumps(id_list)
    with connections[visible.db].cursor() as cursor:
        cursor.execute(sql, sent)
        return [tuple(row) for row in cursor.fetchall()]


def _orm_query(visible: QuerySet[Patent], ids: Any, values: Sequence[Any]) -> QuerySet:
    return visible.filter(pk__any_of=ids).order_by().values_list("pk", *values)


def _compile(visible: QuerySet[Patent], values: Sequence[Any]) -> _Template:
    """The statement and parameters of the visibility query with a placeholder id list, and where the ids go; None
    when the rows would not be exactly the ORM's (it converts a column) or the ids' parameter is not found once."""
    compiler = _orm_query(visible, [_SENTINEL], values).query.get_compiler(using=visible.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a rule that selects nothing: the ORM answers without a query
        return None
    if compiler.get_converters([column[0] for column in compiler.select]):
        return None
    forms = {"array": [_SENTINEL], "json": json.dumps([_SENTINEL])}
    found = [(i, kind) for i, param in enumerate(params) for kind, form in forms.items() if param == form]
    if len(found) != 1:
        return None
    return sql, list(params), found[0][0], found[0][1]


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
            lambda: compile_query(
                _orm_patents(visible, [SENTINEL], fields), {"ids": ([SENTINEL], json.dumps([SENTINEL]))}
            ),
        )
    if template is None:
        return list(_orm_patents(visible, ids, fields))
    id_list = [int(pk) for pk in ids]
    return template.read({"ids": lambda form: json.dumps(id_list) if form else id_list})


def _orm_patents(visible: QuerySet[Patent], ids: Any, fields: Sequence[str]) -> QuerySet[Patent]:
    return visible.filter(pk__any_of=ids).order_by().only(*fields)

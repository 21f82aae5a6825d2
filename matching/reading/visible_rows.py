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
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

from patents.models import Patent

# an id no patent has, put in the ids' place to find that parameter among the compiled statement's parameters
_SENTINEL = -8_070_450_532_247_928_023
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
    sql, params = compiler.as_sql()
    if compiler.get_converters([column[0] for column in compiler.select]):
        return None
    forms = {"array": [_SENTINEL], "json": json.dumps([_SENTINEL])}
    found = [(i, kind) for i, param in enumerate(params) for kind, form in forms.items() if param == form]
    if len(found) != 1:
        return None
    return sql, list(params), found[0][0], found[0][1]


# ---------------------------------------------------------------------------------------- a page of hits, as patents
@dataclass(frozen=True)
class _PatentsTemplate:
    """A compiled page query: its statement, parameters and the ids' place, and how the ORM makes its rows into
    patents (the select's slice of patent columns, their attribute names, the related objects' populators, the
    columns' converters) — all from the ORM's own compiler of that query."""

    sql: str
    params: list[Any]
    position: int
    kind: str
    compiler: Any
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    converters: dict[int, Any]


# per thread: the compiler holds its connection (and a converter may be bound to it), and connections are per thread
_patent_templates = threading.local()


def visible_patents(
    visible: QuerySet[Patent], ids: Sequence[int], fields: Sequence[str], *, visible_key: str | None
) -> list[Patent]:
    """`visible.filter(pk__any_of=ids).order_by().only(*fields)` (with `visible`'s select_related) as patents, the
    same objects the ORM makes, from the statement compiled once for this visible set and fields (`visible_key`: its
    _visible_set_key; None: through the ORM). The page of a search: the ORM compiled a three-table join of ~25
    columns on every request, a quarter of that read's cost."""
    if visible_key is None:
        return list(_orm_patents(visible, ids, fields))
    templates: dict[tuple[str, str, tuple[str, ...]], _PatentsTemplate | None]
    templates = getattr(_patent_templates, "by_key", None) or {}
    _patent_templates.by_key = templates
    key = (visible.db, visible_key, tuple(fields))
    stale = key not in templates
    template = templates.get(key)
    if template is not None and template.compiler.connection is not connections[visible.db]:
        stale = True  # this thread has another connection object now (tests swap them): compiled again with it
    if stale:
        if len(templates) >= _MAX_TEMPLATES:
            templates.clear()
        template = templates[key] = _compile_patents(visible, fields)
    if template is None:
        return list(_orm_patents(visible, ids, fields))
    id_list = [int(pk) for pk in ids]
    sent = list(template.params)
    sent[template.position] = id_list if template.kind == "array" else json.dumps(id_list)
    with template.compiler.connection.cursor() as cursor:
        cursor.execute(template.sql, sent)
        rows = cursor.fetchall()
    if template.converters:
        rows = template.compiler.apply_converters(rows, template.converters)
    out = []
    for row in rows:  # as django.db.models.query.ModelIterable makes them
        patent = Patent.from_db(visible.db, template.init_list, row[template.start : template.end])
        for populator in template.populators:
            populator.populate(row, patent)
        out.append(patent)
    return out


def _orm_patents(visible: QuerySet[Patent], ids: Any, fields: Sequence[str]) -> QuerySet[Patent]:
    return visible.filter(pk__any_of=ids).order_by().only(*fields)


def _compile_patents(visible: QuerySet[Patent], fields: Sequence[str]) -> _PatentsTemplate | None:
    """The page query's template; None when the ORM must answer (the ids' parameter not found exactly once, an
    annotation or a prefetch the template does not carry)."""
    queryset = _orm_patents(visible, [_SENTINEL], fields)
    carried = ("_prefetch_related_lookups", "_known_related_objects")  # the ORM's own: none here, or its way
    if queryset.query.annotations or any(getattr(queryset, name, None) for name in carried):
        return None
    compiler = queryset.query.get_compiler(using=visible.db)
    sql, params = compiler.as_sql()
    forms = {"array": [_SENTINEL], "json": json.dumps([_SENTINEL])}
    found = [(i, kind) for i, param in enumerate(params) for kind, form in forms.items() if param == form]
    if len(found) != 1:
        return None
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _PatentsTemplate(
        sql=sql,
        params=list(params),
        position=found[0][0],
        kind=found[0][1],
        compiler=compiler,
        init_list=[column[0].target.attname for column in select[start:end]],
        start=start,
        end=end,
        populators=get_related_populators(klass_info, select, visible.db),  # type: ignore[call-arg] # 5.2's 3 args
        converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
    )

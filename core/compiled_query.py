"""A hot read's statement compiled once, then sent with new values (issue 23).

The ORM builds and compiles a queryset's SQL on every request: for the page of a search or of an enterprise's
recommendations (three or four joined tables, ~30 columns) that costs about as much as PostgreSQL's answer. When
only a few values change between requests (the ids of a page, a run, an enterprise), the statement can be compiled
once with a sentinel in each of those places and reused: `compile_query` keeps the ORM's own compiler of it and
`CompiledQuery.read` sends the statement with the new values, then makes the rows into model instances exactly as
django.db.models.query.ModelIterable does (the same converters, related objects of select_related, annotations).

Model instances are made as the ORM makes them (Model.from_db, select_related's RelatedPopulator) but without its
per-row work that only depends on the statement: which of the model's fields each column fills is worked out once,
and an instance is its state and its loaded fields' values (what Model.__init__ sets for a row of a query: attribute
by attribute, with ~40 fields checked against the loaded ones for each of the page's ~60 objects, that was as much
as the query). Taken only where the two are the same by construction (`_fast_maker`): the model keeps Django's own
__init__ and from_db, every loaded field's attribute is Django's plain DeferredAttribute (or the foreign key's
attname, which only forgets a cached related object a new instance does not have), and no pre_init / post_init
receiver is connected at the time of the read; otherwise from_db as before.

A template is refused (None: the caller asks the ORM) when a sentinel is not found exactly once among the statement's
parameters, the queryset carries what the template does not (prefetches, known related objects), or it matches
nothing by construction (the ORM's EmptyResultSet: it answers without a query). Templates are
kept per thread (`ThreadTemplates`): a compiler holds its thread's connection, and a converter may be bound to it.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# values no row has, put in the varying places to find them among the compiled statement's parameters
SENTINEL = -8_070_450_532_247_928_023
SENTINEL_2 = -8_070_450_532_247_928_029


@dataclass(frozen=True)
class CompiledQuery:
    """A compiled statement, where each varying value goes (name -> parameter index, form index) and how the ORM
    makes its rows into model instances."""

    db: str
    sql: str
    params: tuple[Any, ...]
    positions: Mapping[str, tuple[int, int]]
    compiler: Any
    model: type[Model] | None  # None: a values() query (rows() only)
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    converters: dict[int, Any]
    annotations: dict[str, int]
    # the fast makers of the model and of each populator (a tree as the populators are), None: from_db throughout
    makers: tuple[Any, ...] | None = None

    def rows(self, values: Mapping[str, Callable[[int], Any]]) -> list[Any]:
        """The statement's rows as the database driver gives them (no converters applied), with each varying value
        given by `values[name](form index)`."""
        sent = list(self.params)
        for name, (index, form) in self.positions.items():
            sent[index] = values[name](form)
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, sent)
            return cursor.fetchall()

    def read(self, values: Mapping[str, Callable[[int], Any]]) -> list[Any]:
        """The rows as model instances (a query of models: not values_list), varying values as for rows()."""
        assert self.model is not None
        rows = self.rows(values)
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        out = []
        makers = self.makers if self.makers is not None and _fast_allowed() else None
        for row in rows:  # as django.db.models.query.ModelIterable makes them
            values = row[self.start : self.end]
            if makers is None:
                obj = self.model.from_db(self.db, self.init_list, values)
                for populator in self.populators:
                    populator.populate(row, obj)
            else:
                obj = makers[0](values)
                for populator, below in zip(self.populators, makers[1:], strict=True):
                    _populate(populator, below, row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            out.append(obj)
        return out


def compile_query(queryset: QuerySet, sentinels: Mapping[str, tuple[Any, ...]]) -> CompiledQuery | None:
    """`queryset` (built with the sentinels in its varying places) compiled once; `sentinels[name]` lists the forms
    its sentinel may take among the parameters (e.g. an id list as an array or as JSON text). None when the ORM must
    answer."""
    carried = ("_prefetch_related_lookups", "_known_related_objects")
    if any(getattr(queryset, name, None) for name in carried):
        return None
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a rule that matches nothing (no role): the ORM answers without asking the database
        return None
    positions: dict[str, tuple[int, int]] = {}
    for name, forms in sentinels.items():
        found = [(i, f) for i, param in enumerate(params) for f, form in enumerate(forms) if _same(param, form)]
        if len(found) != 1:
            return None
        positions[name] = found[0]
    select, klass_info = compiler.select, compiler.klass_info  # klass_info: None for values()/values_list()
    start, end = (klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1) if klass_info else (0, 0)
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = (
        get_related_populators(klass_info, select, queryset.db)  # type: ignore[call-arg] # 5.2: 3 args
        if klass_info
        else []
    )
    return CompiledQuery(
        db=queryset.db,
        sql=sql,
        params=tuple(params),
        positions=positions,
        compiler=compiler,
        model=klass_info["model"] if klass_info else None,
        init_list=init_list,
        start=start,
        end=end,
        populators=populators,
        converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
        annotations=dict(compiler.annotation_col_map or {}),
        makers=_makers(klass_info["model"], init_list, populators, queryset.db) if klass_info else None,
    )


def _fast_allowed() -> bool:
    """Whether the fast makers may be used now: no pre_init / post_init receiver (of any sender) is connected."""
    return not (pre_init.receivers or post_init.receivers)


def _makers(model: type[Model], init_list: list[str], populators: list[Any], db: str) -> tuple[Any, ...] | None:
    """The fast makers of `model` and of each populator's model (a populator's own populators nested as a tuple),
    or None when any of them must go through from_db."""
    top = _fast_maker(model, init_list, db)
    if top is None:
        return None
    children = []
    for populator in populators:
        below = _makers(populator.model_cls, populator.init_list, populator.related_populators, db)
        if below is None:
            return None
        children.append(below)
    return (top, *children)


def _fast_maker(model: type[Model], init_list: list[str], db: str) -> Callable[[Any], Model] | None:
    """A maker of `model` instances from a row's slice of its `init_list` columns that gives what
    `model.from_db(db, init_list, values)` gives, or None when that cannot be known without from_db (see the module's
    docstring)."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:  # type: ignore[attr-defined]
        return None
    for attname in init_list:
        if type(inspect.getattr_static(model, attname, None)) not in (DeferredAttribute, ForeignKeyDeferredAttribute):
            return None
    names = tuple(init_list)
    new = model.__new__

    def make(values: Any) -> Model:
        obj = new(model)
        state = ModelState()
        state.adding = False
        state.db = db
        obj.__dict__["_state"] = state
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    return make


def _populate(populator: Any, makers: tuple[Any, ...], row: Any, from_obj: Model) -> None:
    """django.db.models.query.RelatedPopulator.populate with the fast maker in place of from_db."""
    if populator.reorder_for_init:
        data = populator.reorder_for_init(row)
    else:
        data = row[populator.cols_start : populator.cols_end]
    if data[populator.pk_idx] is None:
        obj = None
    else:
        obj = makers[0](data)
        for child, below in zip(populator.related_populators, makers[1:], strict=True):
            _populate(child, below, row, obj)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


def _same(param: Any, form: Any) -> bool:
    # type first: True == 1 and 1.0 == 1 must not match an integer sentinel's place
    return type(param) is type(form) and param == form


class ThreadTemplates:
    """Compiled queries of this thread by key (at most `size`, then cleared); compiled again when the thread's
    connection object changed (tests swap them)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._local = threading.local()

    def get(self, key: Hashable, db: str, make: Callable[[], CompiledQuery | None]) -> CompiledQuery | None:
        templates: dict[Hashable, CompiledQuery | None] = getattr(self._local, "by_key", None) or {}
        self._local.by_key = templates
        stale = key not in templates
        template = templates.get(key)
        if template is not None and template.compiler.connection is not connections[db]:
            stale = True
        if stale:
            if len(templates) >= self.size:
                templates.clear()
            template = templates[key] = make()
        return template

    def clear(self) -> None:
        self._local.by_key = {}

    def __len__(self) -> int:
        return len(getattr(self._local, "by_key", None) or {})

    def values(self) -> list[CompiledQuery | None]:
        return list((getattr(self._local, "by_key", None) or {}).values())

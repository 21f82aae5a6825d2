"""``field__any_of=[ids]``: membership in a long list of integers with ONE query parameter.

``pk__in`` with 500 ids builds 500 placeholders, each resolved and quoted by the ORM (about 1.5 ms per query in the
search path); ``any_of`` sends the list as one array (PostgreSQL ``= ANY(%s)``) or one JSON text (SQLite
``IN (SELECT value FROM json_each(%s))``). Integers only: values are coerced with ``int()``, so nothing else can
reach the SQL. The ids may be a list, a tuple or an integer numpy array; the ORM walks a list or a tuple item by item
when it builds the filter (about 1 ms for 600 ids), an array it passes as it is.
"""

from __future__ import annotations

import json

from django.db.models import IntegerField, Lookup


@IntegerField.register_lookup  # AutoField and BigAutoField inherit it
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    # The stubs follow Django 6's tuple of scalar params; Django 5.2 lookups return a list, and ours holds an array.
    def as_sql(self, compiler, connection) -> tuple[str, list]:  # type: ignore[override]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(values)]

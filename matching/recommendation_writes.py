"""Writing a chunk's recommendation rows: PostgreSQL binary COPY from one buffer, batched inserts elsewhere."""

import io
import json
from functools import cache

from django.db import connection

from matching.models import Recommendation
from matching.rows import COPY_COLUMNS, COPY_TYPES, RecommendationRows


@cache
def _copy_types_checked() -> None:
    """Binary COPY sends each number in its column's exact width: refuse (before writing anything) if a migration
    changed a column's type and rows.COPY_TYPES was not changed with it."""
    fields = {f.column: f for f in Recommendation._meta.concrete_fields}
    for column in COPY_COLUMNS:
        actual = fields[column].db_type(connection)
        if actual != COPY_TYPES[column][0]:
            raise RuntimeError(f"matching_recommendation.{column} is {actual}, COPY writes {COPY_TYPES[column][0]}")


def recommendations_write(rows: RecommendationRows) -> None:
    """Insert recommendation rows: PostgreSQL binary COPY from one buffer (several times faster than INSERT),
    batched inserts elsewhere."""
    if connection.vendor != "postgresql":
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    run_id=rows.run_id,
                    enterprise_id=e,
                    patent_id=p,
                    rank=r,
                    score=s,
                    semantic=m,
                    final_score=f,
                    terms=json.loads(t),
                )
                for e, p, r, s, m, f, t in zip(
                    rows.enterprise_ids.tolist(),
                    rows.patent_ids.tolist(),
                    rows.ranks.tolist(),
                    rows.scores.tolist(),
                    rows.semantic.tolist(),
                    rows.final_scores.tolist(),
                    rows.terms,
                    strict=True,
                )
            ],
            batch_size=5000,
        )
        return
    _copy_types_checked()
    data = rows.copy_buffer
    with connection.cursor() as cursor:
        # read in one piece: psycopg2 then sends and waits for the server without holding the GIL
        cursor.cursor.copy_expert(
            f"COPY {Recommendation._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN WITH (FORMAT binary)",
            io.BytesIO(data),
            size=len(data) + 1,
        )

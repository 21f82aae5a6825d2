"""Writing a chunk's recommendation rows: PostgreSQL binary COPY from one buffer, batched inserts elsewhere; and on
SQLite, replacing and deleting them in short transactions.

SQLite has one writer at a time, and `make run` serves requests from the same file while its matching run writes:
a transaction holding 100,000 rows would make every sign-in, follow or need wait for it. There the rows go in
transactions of at most SQLITE_ROWS_PER_TRANSACTION rows (each well under a second), so a request waits a moment.
"""

import io
import json
from functools import cache

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from matching.models import Recommendation
from matching.runs.rows import COPY_COLUMNS, COPY_TYPES, RecommendationRows


@cache
def _copy_types_checked() -> None:
    """Binary COPY sends each number in its column's exact width: refuse (before writing anything) if a migration
    changed a column's type and runs/rows.py's COPY_TYPES was not changed with it."""
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


# rows written or deleted per SQLite transaction (a fraction of a second each on the embedded database)
SQLITE_ROWS_PER_TRANSACTION = 2000


def recommendations_replace_in_short_transactions(*, run_id: int, owners: np.ndarray, rows: RecommendationRows) -> int:
    """Replace the rows of run `run_id` of the enterprises `owners` with `rows` (theirs), a few enterprises per
    transaction; returns the number of transactions. Each transaction deletes and writes the same enterprises, so
    repeating one (a chunk ranked again, a duplicate copy of it) changes nothing, and readers never see an
    enterprise's list half written — nor any of them until the run becomes current."""
    per_transaction = max(1, SQLITE_ROWS_PER_TRANSACTION // max(1, int(settings.MATCHING_TOP_K)))
    transactions = 0
    for start in range(0, len(owners), per_transaction):
        group = owners[start : start + per_transaction]
        with transaction.atomic():
            Recommendation.objects.filter(run_id=run_id, enterprise_id__in=group.tolist()).delete()
            recommendations_write(rows.subset(np.isin(rows.enterprise_ids, group)))
        transactions += 1
    return transactions


def recommendations_of_runs_delete_in_short_transactions(*, run_ids: list[int]) -> int:
    """Delete every row of the runs `run_ids` (runs nobody reads any more), SQLITE_ROWS_PER_TRANSACTION at a time;
    returns how many rows were deleted."""
    deleted = 0
    while run_ids:
        with transaction.atomic():
            pks = list(
                Recommendation.objects.filter(run_id__in=run_ids)
                .order_by()
                .values_list("pk", flat=True)[:SQLITE_ROWS_PER_TRANSACTION]
            )
            if not pks:
                break
            deleted += Recommendation.objects.filter(pk__in=pks).delete()[0]
    return deleted

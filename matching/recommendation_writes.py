"""Writing a chunk's recommendation rows: PostgreSQL COPY from one text buffer, batched inserts elsewhere."""

import io
import json

from django.db import connection

from matching.models import Recommendation
from matching.rows import RecommendationRows

COPY_COLUMNS = ("run_id", "enterprise_id", "patent_id", "rank", "score", "semantic", "final_score", "terms")


def recommendations_write(rows: RecommendationRows) -> None:
    """Insert recommendation rows: PostgreSQL COPY from one text buffer (several times faster than INSERT), batched
    inserts elsewhere."""
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
    text = rows.copy_buffer
    with connection.cursor() as cursor:
        # read in one piece: psycopg2 then sends and waits for the server without holding the GIL
        cursor.cursor.copy_expert(
            f"COPY {Recommendation._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN",
            io.StringIO(text),
            size=len(text) + 1,
        )

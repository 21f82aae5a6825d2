"""CPU per API request in process, this code against the previous hot-path code in the same process (issue 23).

bench/load.py measures requests per second through gunicorn; on a machine shared with other work its figures move
with the load. This bench measures what a request costs instead: the load bench's three scenarios sent straight to
the WSGI application (patent_platform.wsgi: BLAS on one thread, gc frozen after start-up, DJANGO_DEBUG=False), with
the demo enterprise user's API token —

* recommendations – /api/v1/recommendations/ pages 1–3;
* search, popular – /api/v1/search/?q= the load bench's ten queries, cached after a warm-up pass (as under load);
* search, new     – a different text every request, as bench/load.py's "search distinct" (nothing cached);

— and per request the CPU time of this process (time.process_time), of the PostgreSQL backend serving its
connection (utime + stime from /proc/<pid>/stat; PostgreSQL on this machine only) and the wall time.

"before" is the previous implementation of each part this issue changed, patched in for its turn and removed after
(previous() below: the code as it was at 5251a34; and the search's visibility query as it was at 5a52b0b, before
matching.reading.visible_rows, and the page of hits as it was read before visible_patents, at 28778c4; and, from
aee32c6, query-parameter serializers with DRF's per-instance fields, compiled pages' instances made by
Model.from_db, the whole-pool caller's visible-set key compiled from its rule); "after" is the code as it is.
The two alternate round by round, the side that starts swapping each round, so both see the same machine; the
table gives medians over rounds. Before any timing, every request of the first round is sent both ways and the
bodies compared: `identical` in the JSON.

Workload: DATABASE_URL's database, prepared as bench/load.py prepares it (the demo loaded and matched; run
`python bench/load.py --seconds 1 --soak-seconds 0` once, or `load_demo` + `match_all`).
Usage: DATABASE_URL=postgres://… python bench/request_cost.py [--rounds 8] [--requests 60] [--only visible_rows]
(--only: "before" is the current code with only those previous parts patched in, by name, comma-separated — e.g.
`--only fields,_fast_allowed,_search_visible_key`, aee32c6's code on these three — to measure changes alone)
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import math
import os
import random
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402,F401 - puts the project root on sys.path
from load_scenarios import QUERIES  # noqa: E402

os.environ["DJANGO_DEBUG"] = "False"


def _previous_changes_since(since):  # the version check as it was: an ORM aggregate built per search
    from django.db.models import Count, Max

    from patents.models import Patent

    changed = Patent.objects.filter(updated_at__gte=since).aggregate(latest=Max("updated_at"), n=Count("*"))
    return changed["latest"], changed["n"]


def _previous_visible_set_key(base) -> str:  # the search cache's key of the visible set as it was: the whole query
    return str(base.query)


def _previous_transform_queries(self, docs):  # MatchIndex.transform_queries as it was: through normalize()
    from sklearn.preprocessing import normalize

    return normalize(self.weigh(docs), norm="l2", copy=False)


def _previous_transform(self, queries):  # SemanticSpace.transform as it was: through normalize()
    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    rows = sp.csr_matrix(queries, dtype=np.float32)
    projected = normalize(np.asarray(rows @ self._projection, dtype=np.float32), norm="l2", copy=False)
    if self.classes is None:
        return projected
    return np.hstack([projected, self.classes.predict(normalize(rows, norm="l2"))])


def _previous_visible_rows(visible, ids, values, *, visible_key):  # search's visibility query as it was: the ORM's
    return visible.filter(pk__any_of=ids).order_by().values_list("pk", *values)


def _previous_visible_patents(visible, ids, fields, *, visible_key):  # a search's page as it was read: the ORM's
    return list(visible.filter(pk__any_of=ids).only(*fields))  # query, compiled on every search


@contextlib.contextmanager
def previous(only: str | None = None) -> Iterator[None]:
    """The previous hot-path code in place of the current one, for the duration (`only`: that one part, by name)."""
    from rest_framework import serializers

    from core import compiled_query
    from core.api.pagination import StandardPagination
    from core.api.query_params import QueryParamsSerializer
    from matching.api.views import RecommendationListApi
    from matching.engine import MatchIndex, SemanticSpace
    from matching.live import index
    from matching.reading import search

    patches = [
        (RecommendationListApi, "pagination_class", StandardPagination),  # a COUNT query, then the page
        (MatchIndex, "transform_queries", _previous_transform_queries),
        (SemanticSpace, "transform", _previous_transform),
        (index, "_changes_since", _previous_changes_since),
        (search, "_visible_set_key", _previous_visible_set_key),
        (search, "visible_rows", _previous_visible_rows),  # built and compiled by the ORM on every search
        (search, "visible_patents", _previous_visible_patents),  # the page of hits, likewise
    ]
    # the sitting of 2026-12-06 afternoon (after aee32c6): DRF's own per-instance fields for query parameters, every
    # compiled page's instances made by Model.from_db, the visible set's key compiled for whole-pool callers too
    patches += [
        (QueryParamsSerializer, "fields", serializers.Serializer.__dict__["fields"]),
        (compiled_query, "_fast_allowed", lambda: False),
        (search, "_search_visible_key", lambda base, *, whole_pool: search._visible_set_key(base)),
    ]
    names = None if only is None else set(only.split(","))
    patches = [patch for patch in patches if names is None or patch[1] in names]
    if not patches or (names is not None and len(patches) != len(names)):
        raise SystemExit(f"--only {only}: no such previous part")
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, value in patches:
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


class Client:
    """GETs straight to the WSGI application, as gunicorn would send them (token auth, JSON)."""

    def __init__(self, application: Callable, token: str) -> None:
        self.application, self.token = application, token

    def get(self, path: str) -> bytes:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_AUTHORIZATION": f"Token {self.token}", "HTTP_ACCEPT": "application/json",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }  # fmt: skip
        status: list[str] = []
        response = self.application(environ, lambda s, headers, *exc: status.append(s))
        body = b"".join(response)
        response.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]} {body[:300]!r}")
        return body


def _backend() -> tuple[int | None, float]:
    """The PostgreSQL backend serving this process's connection now: its pid and CPU seconds (utime + stime from
    /proc; (None, 0) on another database or when it cannot be read). The connection is re-opened after
    CONN_MAX_AGE, so the pid is read each time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None, 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None, 0.0
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(client: Client, paths: list[str]) -> tuple[float, float, float]:
    """Per request: this process's CPU ms, the database backend's CPU ms (NaN when the connection changed on the
    way), wall ms."""
    pid, db = _backend()
    cpu, wall = time.process_time(), time.perf_counter()
    for path in paths:
        client.get(path)
    n = len(paths)
    cpu, wall = (time.process_time() - cpu) / n * 1000, (time.perf_counter() - wall) / n * 1000
    pid_after, db_after = _backend()
    return cpu, (db_after - db) / n * 1000 if pid is not None and pid == pid_after else float("nan"), wall


def _median(values: list[float]) -> float:
    """The median of the values that are numbers (NaN: not measured)."""
    kept = [v for v in values if not math.isnan(v)]
    return statistics.median(kept) if kept else float("nan")


def _rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--requests", type=int, default=60, help="requests per scenario, side and round")
    parser.add_argument("--user", default="enterprise")
    parser.add_argument("--only", help="only these previous parts, by name, comma-separated (e.g. visible_rows)")
    args = parser.parse_args()

    # first: BLAS on one thread, django.setup(), the URLconf imported, gc.freeze — as a gunicorn worker starts
    application = importlib.import_module("patent_platform.wsgi").application
    from django.core.cache import cache
    from load_server import distinct_queries_here
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from matching.runs.current import current_run

    if current_run() is None:
        raise SystemExit("no matching run in this database: prepare it as bench/load.py does (see the docstring)")
    token = Token.objects.get_or_create(user=User.objects.get(username=args.user))[0].key
    client = Client(application, token)
    recommendations = [f"/api/v1/recommendations/?page={page}" for page in (1, 2, 3)]
    popular = [f"/api/v1/search/?q={urllib.parse.quote(q)}" for q in QUERIES]
    texts = distinct_queries_here((2 * args.rounds + 1) * args.requests)
    random.Random(23).shuffle(texts)  # sorted by the helper: each side's slices alike
    fresh = [f"/api/v1/search/?q={urllib.parse.quote(q)}" for q in texts]
    load_before = [round(x, 2) for x in os.getloadavg()]

    # the same answers both ways, on the first round's requests (cache emptied before each side)
    sample = recommendations + popular + fresh[-args.requests :]  # texts no timed round sends
    cache.clear()
    after_bodies = [client.get(p) for p in sample]
    cache.clear()
    with previous(args.only):
        before_bodies = [client.get(p) for p in sample]
    identical = after_bodies == before_bodies
    for p in recommendations + popular:  # warm both sides' search cache entries and every code path
        client.get(p)

    figures: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
    scenarios = ["recommendations", "search_popular", "search_new"]
    for round_ in range(args.rounds):
        for side in ("before", "after") if round_ % 2 == 0 else ("after", "before"):
            with previous(args.only) if side == "before" else contextlib.nullcontext():
                for name in scenarios:
                    if name == "recommendations":
                        paths = [recommendations[i % 3] for i in range(args.requests)]
                    elif name == "search_popular":
                        for p in popular:  # cached, as under load (the entries last a minute)
                            client.get(p)
                        paths = [popular[i % len(popular)] for i in range(args.requests)]
                    else:
                        start = (2 * round_ + (side == "after")) * args.requests
                        paths = fresh[start : start + args.requests]
                    figures.setdefault(name, {}).setdefault(side, []).append(_timed(client, paths))
    load_after = [round(x, 2) for x in os.getloadavg()]

    print(f"\nCPU per request, median of {args.rounds} rounds x {args.requests} requests a side (load average "
          f"{load_before} -> {load_after}, {os.cpu_count()} CPUs)")  # fmt: skip
    print(f"{'scenario':18} {'before ms':>10} {'after ms':>9} {'ratio':>6} {'PG before':>10} {'PG after':>9} "
          f"{'wall before':>12} {'wall after':>11}")  # fmt: skip
    out: dict = {"identical": identical, "rounds": args.rounds, "requests": args.requests, "only": args.only}
    for name in scenarios:
        med = {side: [_median([x[i] for x in figures[name][side]]) for i in range(3)] for side in figures[name]}
        ratio = med["after"][0] / med["before"][0]
        print(f"{name:18} {med['before'][0]:10.2f} {med['after'][0]:9.2f} {ratio:6.2f} {med['before'][1]:10.2f} "
              f"{med['after'][1]:9.2f} {med['before'][2]:12.2f} {med['after'][2]:11.2f}")  # fmt: skip
        out[name] = {
            "cpu_ms_before": round(med["before"][0], 3), "cpu_ms_after": round(med["after"][0], 3),
            "cpu_ratio": round(ratio, 3), "pg_cpu_ms_before": _rounded(med["before"][1]),
            "pg_cpu_ms_after": _rounded(med["after"][1]), "wall_ms_before": round(med["before"][2], 3),
            "wall_ms_after": round(med["after"][2], 3),
            "cpu_ms_rounds": {s: [round(x[0], 3) for x in figures[name][s]] for s in ("before", "after")},
        }  # fmt: skip
    print(f"answers identical both ways: {identical}")
    out.update(load_before=load_before, load_after=load_after, cpus=os.cpu_count())
    print(json.dumps(out))
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""WSGI entry point (gunicorn patent_platform.wsgi).

A web worker answers one request at a time, and its numeric work is one query's products (search: a dense product
over the patents' latent vectors): BLAS on one thread. With the library's default (a thread per core, spinning
between calls), every worker's products kept both cores busy and a search without cache cost twice its CPU under
load (bench/load.py). Set before anything imports numpy; an operator's own value wins. Celery workers (matching
runs) do not load this module and keep their threads.

Then the worker imports its URLconf (every view and what they import: the engine, numpy, scipy, scikit-learn) and
moves the ~200,000 objects of start-up out of the garbage collector's reach (gc.freeze): a full collection walked
them all every few hundred requests (about 6 ms a search, in process), while they live as long as the worker.
The first request no longer pays the imports either.
"""

import gc
import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports every view now, in start-up
gc.collect()
gc.freeze()

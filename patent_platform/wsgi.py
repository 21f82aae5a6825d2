"""WSGI entry point (gunicorn patent_platform.wsgi).

A web worker answers one request at a time, and its numeric work is one query's products (search: a dense product
over the patents' latent vectors): BLAS on one thread. With the library's default (a thread per core, spinning
between calls), every worker's products kept both cores busy and a search without cache cost twice its CPU under
load (bench/load.py). Set before anything imports numpy; an operator's own value wins. Celery workers (matching
runs) do not load this module and keep their threads.
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")
application = get_wsgi_application()

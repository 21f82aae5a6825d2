FROM python:3.11-slim
# PYTHONPATH: every process (gunicorn, celery, manage.py) imports the code under /app — the files the kernels were
# compiled from: numba's cache is keyed by the source file's path, and `pip install .` puts a second copy in
# site-packages. NUMBA_CACHE_DIR: the kernels compiled below ship in the image, so no worker compiles at start.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PYTHONPATH=/app NUMBA_CACHE_DIR=/app/.numba-cache
WORKDIR /app
COPY pyproject.toml ./
COPY . .
# warm_kernels compiles the matching kernels into NUMBA_CACHE_DIR; `--check`, a fresh process, fails the build unless
# it loads them from there. The cache holds code for this machine's CPU: a host with another CPU compiles once per
# container, in each worker process before its first task (docs/deployment.md).
RUN pip install . && \
    DJANGO_SETTINGS_MODULE=patent_platform.settings.local python manage.py collectstatic --noinput && \
    DJANGO_SETTINGS_MODULE=patent_platform.settings.local python manage.py warm_kernels && \
    DJANGO_SETTINGS_MODULE=patent_platform.settings.local python manage.py warm_kernels --check && \
    useradd --create-home --uid 1000 app && mkdir -p /app/media && chown -R app /app/media /app/.numba-cache
USER app
EXPOSE 8000
CMD ["gunicorn", "patent_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4"]

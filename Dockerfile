FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install . && \
    DJANGO_SETTINGS_MODULE=patent_platform.settings.local python manage.py collectstatic --noinput && \
    useradd --create-home --uid 1000 app && mkdir -p /app/media && chown -R app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "patent_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4"]

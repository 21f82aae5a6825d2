"""WSGI entry point (gunicorn patent_platform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patent_platform.settings.local")
application = get_wsgi_application()

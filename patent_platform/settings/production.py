"""Production: only tightens base. Secrets have no default, so a missing one fails loudly."""

from .base import *  # noqa: F403
from .base import BEHIND_PROXY, DATABASES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
SITE_URL = env("PLATFORM_SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"] = env.db("DATABASE_URL")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default=env("REDIS_URL").replace("/0", "/1"))}
CELERY_TASK_ALWAYS_EAGER = False
MATCHING_LOCAL_EXECUTOR = False

# X-Forwarded-Proto is believed only behind our own TLS-terminating proxy (DJANGO_BEHIND_PROXY), which overwrites it;
# without one, any client could send it and pass for HTTPS.
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # also answered first by core.middleware.HealthCheckMiddleware
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SHOW_DEMO_BANNER = env.bool("PLATFORM_SHOW_DEMO_BANNER", default=False)
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

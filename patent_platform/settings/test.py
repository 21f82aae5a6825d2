"""Test settings: eager tasks, fast hashing, locmem cache and mail (docs/ARCHITECTURE.md)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# Eager by default; a real worker started by a test (or CI) sets CELERY_TASK_ALWAYS_EAGER=False for itself.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# eager tasks run inside the test (its transaction); the browser test of the runs page switches the thread on
MATCHING_LOCAL_EXECUTOR = env.bool("PLATFORM_MATCHING_LOCAL_EXECUTOR", default=False)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("DJANGO_TEST_MEDIA_ROOT", default="/tmp/patent-platform-test-media")  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "artifacts": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # MEDIA_ROOT, as every test sets it
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SHOW_DEMO_BANNER = False
# tests read what they just wrote (often through a real worker): no per-process memory of the current run and no
# cached search rankings, except in the tests that switch them on to test them
MATCHING_CURRENT_RUN_SECONDS = 0
MATCHING_SEARCH_CACHE_SECONDS = 0
# sign-in and sign-up throttles out of the way of the suite (tests/core/test_abuse.py sets real rates)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "100000/min", "registration": "100000/min"}}  # noqa: F405

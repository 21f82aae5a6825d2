"""Local development: `make run` uses this (SQLite and in-process tasks unless URLs are set)."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# DRF's browsable API while developing (base.py answers JSON only). Under the Content-Security-Policy its pages
# work but lose a few inline styles (code colours, the float of the Filters button); /api/docs/ loses nothing.
if DEBUG:
    REST_FRAMEWORK = {
        **REST_FRAMEWORK,
        "DEFAULT_RENDERER_CLASSES": [
            "rest_framework.renderers.JSONRenderer",
            "rest_framework.renderers.BrowsableAPIRenderer",
        ],
    }

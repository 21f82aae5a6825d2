"""Local development: `make run` uses this (SQLite and in-process tasks unless URLs are set)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

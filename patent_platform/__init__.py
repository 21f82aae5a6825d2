"""专利盘活对接平台 project package (named patent_platform: a top-level `platform` would shadow the stdlib)."""

from patent_platform.celery import app as celery_app

__all__ = ("celery_app",)

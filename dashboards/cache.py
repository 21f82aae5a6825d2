"""The dashboards' cache keys: cached figures are keyed by the generation of the counted data
(core.cache_generation), which the services that write move on."""

from django.conf import settings

from core.cache_generation import dashboard_cache_version

# What the cached figures mean and hold: part of every key, so figures cached by an older release (another meaning
# of the date range, other keys) are never served after an upgrade. Move it on whenever a figure changes meaning.
# 2: a date range counts what happened in it, each record on its own date (dashboards.measures).
FIGURES_SCHEMA = 2


def cache_seconds() -> int:
    """How long computed figures stay cached (setting DASHBOARD_CACHE_SECONDS; writes invalidate sooner)."""
    return int(settings.DASHBOARD_CACHE_SECONDS)


def figures_cache_key(*, language: str, scope_key: str, filters_key: str) -> str:
    """The cache key of one dashboard's figures: schema, data generation, language, scope and filters."""
    return f"dashboards:figures:v{FIGURES_SCHEMA}:{dashboard_cache_version()}:{language}:{scope_key}:{filters_key}"

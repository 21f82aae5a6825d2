"""Fixtures of the matching tests: a finished run over the shared pooled patents and matching enterprises."""

import pytest
from django.core.cache import cache

from matching.models import MatchRun
from matching.runs.inline import match_run_execute_inline


@pytest.fixture
def run(pooled_patents, matching_enterprises) -> MatchRun:
    """A matching run ranked inline over `pooled_patents` for `matching_enterprises`, started on an empty cache (no
    current run or search ranking cached by an earlier test)."""
    cache.clear()
    return match_run_execute_inline(run=MatchRun.objects.create())

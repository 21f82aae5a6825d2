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


@pytest.fixture
def no_need_feedback(settings) -> None:
    """Needs ranked without pseudo-relevance feedback (MATCHING_NEED_FEEDBACK off): for the tests that pin a
    ranking to the plain fused score of the query's own vector (explain(), a list minus one patent); request it
    before `run`."""
    settings.MATCHING_NEED_FEEDBACK = False

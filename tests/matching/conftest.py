"""Fixtures of the matching tests: a finished run over the shared pooled patents and matching enterprises."""

import pytest
from django.core.cache import cache

from core.models import City
from enterprises.models import Enterprise, TechNeed
from matching.models import MatchRun
from matching.reading.needs_hall import hall_forget
from matching.runs.inline import match_run_execute_inline
from patents.models import Patent


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


# --- the needs hall: the shared pooled patents split between two institutions, open needs written from some of
# them, a closed need, and a run over all of it


@pytest.fixture
def split_pool(pooled_patents, other_institution) -> list[Patent]:
    """Patents 20..39 belong to the other institution (still pooled)."""
    Patent.objects.filter(pk__in=[p.pk for p in pooled_patents[20:]]).update(institution=other_institution)
    for patent in pooled_patents[20:]:
        patent.institution = other_institution
    return pooled_patents


@pytest.fixture
def hall_needs_made(split_pool, matching_enterprises) -> dict[str, TechNeed]:
    """`own`: a need written from patent 3 (the officer's institution), `other`: from patent 25 (the other
    institution's), in another city and industry; `closed`: a closed need from patent 5."""
    yichang = City.objects.get(code="4205")
    Enterprise.objects.filter(pk=matching_enterprises[0].pk).update(industry_section="C")
    Enterprise.objects.filter(pk=matching_enterprises[1].pk).update(city=yichang, industry_section="I")
    own = TechNeed.objects.create(
        enterprise=matching_enterprises[0], title=split_pool[3].title, keywords="工艺改进", description=""
    )
    other = TechNeed.objects.create(enterprise=matching_enterprises[1], title=split_pool[25].title, description="")
    closed = TechNeed.objects.create(
        enterprise=matching_enterprises[2], title=split_pool[5].title, status=TechNeed.Status.CLOSED
    )
    return {"own": own, "other": other, "closed": closed}


@pytest.fixture
def hall_run(hall_needs_made) -> MatchRun:
    """A run over the split pool and the needs (the needs' tokens of an earlier test forgotten)."""
    cache.clear()
    hall_forget()
    return match_run_execute_inline(run=MatchRun.objects.create())

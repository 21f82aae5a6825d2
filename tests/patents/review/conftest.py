"""Fixtures of the review chain's tests: a university with two colleges, their reviewers, inventors and drafts."""

import pytest

from accounts.models import Role
from patents.models import InventoryStatus, PatentInventor, ReviewStatus
from tests.enterprises.factories import PatentFactory


@pytest.fixture
def other_college_admin(make_user, institution, other_college):
    return make_user("college_me", Role.COLLEGE_ADMIN, institution=institution, college=other_college)


@pytest.fixture
def other_inventor(make_user, institution, college):
    return make_user("inventor_b", Role.INVENTOR, institution=institution, college=college)


@pytest.fixture
def make_patent(institution, college):
    """A draft of the college (inventoried, not pooled), with transfer modes; `inventor` links an inventor."""

    def _make(*, inventor=None, review_status=ReviewStatus.DRAFT, **fields):
        fields.setdefault("institution", institution)
        fields.setdefault("college", college)
        patent = PatentFactory(inventory_status=InventoryStatus.INVENTORIED, review_status=review_status, **fields)
        if inventor is not None:
            PatentInventor.objects.create(patent=patent, user=inventor)
        return patent

    return _make

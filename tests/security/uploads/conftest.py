"""Fixtures of the hostile upload tests."""

import pytest

from patents.models import Patent


@pytest.fixture
def existing_patent(institution) -> Patent:
    return Patent.objects.create(
        application_number="201910209152.5", title="一种高镍正极材料", patent_type="invention", institution=institution
    )

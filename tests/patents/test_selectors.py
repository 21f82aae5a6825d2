"""Patent reads: what each role sees, and the officer home page's counts."""

import pytest

from patents.models import InventoryStatus
from patents.selectors import patent_counts_for_institution, patent_get, patent_list
from tests.patents.factories import PatentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patents(institution, other_institution):
    return {
        "pooled": PatentFactory(institution=institution, application_number="201910209152.5"),
        "kept": PatentFactory(
            institution=institution, application_number="202223220665.2", inventory_status=InventoryStatus.INVENTORIED
        ),
        "theirs": PatentFactory(institution=other_institution, application_number="202122975192.6"),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", ["201910209152.5", "202223220665.2"]),
        ("enterprise_member", ["201910209152.5", "202122975192.6"]),
        ("bureau", ["201910209152.5", "202122975192.6", "202223220665.2"]),
        ("platform_admin", ["201910209152.5", "202122975192.6", "202223220665.2"]),
    ],
)
def test_patent_list_is_scoped_by_role(request, patents, role, expected):
    # given
    user = request.getfixturevalue(role)
    # when
    listed = patent_list(user=user)
    # then
    assert sorted(listed.values_list("application_number", flat=True)) == expected


def test_patent_get_hides_what_the_user_may_not_see(officer, enterprise_member, patents):
    # when / then
    assert patent_get(user=officer, pk=patents["kept"].pk) == patents["kept"]
    assert patent_get(user=officer, pk=patents["theirs"].pk) is None
    assert patent_get(user=enterprise_member, pk=patents["kept"].pk) is None


def test_counts_per_inventory_status_of_one_institution(institution, patents):
    # when
    counts = patent_counts_for_institution(institution=institution)
    # then
    assert counts == {"inventoried": 1, "pooled": 1, "not_pooled": 0, "total": 2}

"""Fixtures of the docking service tests."""

import pytest


@pytest.fixture(autouse=True)
def _enterprise_has_a_phone(request):
    """The requesting enterprise's profile gives a phone, so a request needs no contact of its own."""
    if "enterprise" in request.fixturenames:
        enterprise = request.getfixturevalue("enterprise")
        enterprise.contact_phone = "027-87654321"
        enterprise.save(update_fields=["contact_phone"])

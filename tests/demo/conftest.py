"""A demo loaded once for the tests that only read it (loading takes seconds): inside a transaction that is rolled
back when the module's tests are done, so nothing leaks into other tests."""

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    from demo.services import demo_load

    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_load(password="Demo-pass-2026")
        yield summary
        transaction.set_rollback(True)

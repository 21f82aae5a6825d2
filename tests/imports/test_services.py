"""The import framework knows no kind of import: the kinds' apps register them (imports.kinds)."""

import pytest

from enterprises.importers import EnterpriseImportSchema
from imports.kinds import import_schema_for
from patents.importers import PatentImportSchema

pytestmark = pytest.mark.django_db


class FakeSchema:
    kind = "patents"


def test_the_kinds_are_the_classes_their_apps_registered():
    assert type(import_schema_for(kind="patents")) is PatentImportSchema
    assert type(import_schema_for(kind="enterprises")) is EnterpriseImportSchema


def test_another_registered_schema_replaces_a_kind(monkeypatch):
    # given: the registry holds only a test's own schema
    monkeypatch.setattr("imports.kinds._SCHEMAS", {"patents": FakeSchema})
    # when
    schema = import_schema_for(kind="patents")
    # then
    assert type(schema) is FakeSchema
    with pytest.raises(KeyError):
        import_schema_for(kind="enterprises")

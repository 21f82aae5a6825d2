"""The import framework knows no kind of import: IMPORT_SCHEMAS names them."""

import pytest

from enterprises.importers import EnterpriseImportSchema
from imports.services import import_schema_for
from patents.importers import PatentImportSchema

pytestmark = pytest.mark.django_db


class FakeSchema:
    kind = "patents"


def test_the_kinds_are_the_classes_named_in_settings():
    assert type(import_schema_for("patents")) is PatentImportSchema
    assert type(import_schema_for("enterprises")) is EnterpriseImportSchema


def test_another_schema_named_in_settings_replaces_a_kind(settings):
    # given
    settings.IMPORT_SCHEMAS = {"patents": "tests.imports.test_services.FakeSchema"}
    # when
    schema = import_schema_for("patents")
    # then
    assert type(schema) is FakeSchema
    with pytest.raises(KeyError):
        import_schema_for("enterprises")

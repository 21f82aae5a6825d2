"""The kinds of import the framework knows. The framework knows no kind's app (they sit above it): each kind's app
registers its ImportSchema here in its AppConfig.ready() (patents.apps, enterprises.apps), an import downwards that
import-linter sees (no dotted path in settings)."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from imports.validation import ImportSchema

# kind (ImportJob.Kind) -> what makes its schema (an ImportSchema class)
SchemaFactory = Callable[[], ImportSchema]
_SCHEMAS: dict[str, SchemaFactory] = {}


def register(*, kind: str, schema: SchemaFactory) -> None:
    """Make `kind` importable with `schema` (a class of the kind's app); two apps claiming one kind is a mistake."""
    known = _SCHEMAS.get(kind)
    if known is not None and known is not schema:
        raise ImproperlyConfigured(f"import kind {kind!r} is registered twice ({known!r}, {schema!r})")
    _SCHEMAS[kind] = schema


def registered_kinds() -> dict[str, SchemaFactory]:
    """The kinds registered, with their schema classes."""
    return dict(_SCHEMAS)


def import_schema_for(*, kind: str) -> ImportSchema:
    """A fresh schema of a registered kind (KeyError for a kind no app registered)."""
    return _SCHEMAS[kind]()

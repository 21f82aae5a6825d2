"""The API's router: detail routes take their id through the `id` path converter (common.numbers)."""

from rest_framework.routers import SimpleRouter


class IdRouter(SimpleRouter):
    """SimpleRouter with `<id:pk>` detail routes instead of DRF's `[^/.]+`, which let any text through to the
    lookup ("٣٣٥" reached object 335 through int()): another spelling of an id is a 404 before any view runs."""

    def __init__(self) -> None:
        super().__init__(use_regex_path=False)
        self._default_value_pattern = "id"  # a viewset may still name its own lookup_value_converter

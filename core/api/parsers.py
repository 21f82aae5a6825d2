"""The API's JSON parser: a hostile body is a 400 or 413 in the API's error format, never a RecursionError.

DRF's own JSONParser hands the body (already capped by DATA_UPLOAD_MAX_MEMORY_SIZE: DRF reads it through
``request.body``) to ``json.load``, whose C scanner gives up with a RecursionError about 1,000 levels down. This one
refuses documents nested deeper than API_JSON_MAX_DEPTH with a 400, and bodies over API_JSON_MAX_BYTES with a 413
before parsing them (the API's JSON bodies are small: a 4,000,000-item id list is 8 MB and is refused unparsed).
"""

import json
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.utils.http import parse_header_parameters
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class JsonTooDeep(ParseError):
    """A JSON body nested deeper than API_JSON_MAX_DEPTH."""

    default_code = "json_too_deep"


class JsonTooLarge(APIException):
    """A JSON body over API_JSON_MAX_BYTES: 413, as core.api.exceptions.RequestBodyTooLarge (not imported: that
    module imports DRF's views, which load this parser)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def json_depth(value: Any, *, stop_after: int) -> int:
    """Nesting depth of parsed JSON (a scalar is 0, ``[]`` is 1), counted without recursion; stops past stop_after."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > stop_after:
            break
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def too_deep_message(limit: int) -> str:
    """The bilingual message for a body nested deeper than ``limit``."""
    return f"JSON 嵌套过深（最多 {limit} 层）/ JSON nested too deeply (at most {limit} levels)"


class BoundedJSONParser(JSONParser):
    """JSONParser with a size and a nesting cap: a larger body is a 413, a deeper one a 400, in the API's format."""

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        """Decode and parse the body, then check its nesting depth."""
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise JsonTooLarge(f"JSON 请求体过大（最多 {limit:,} 字节）/ JSON body too large (at most {limit:,} bytes)")
        encoding = _charset(media_type) or (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        max_depth = settings.API_JSON_MAX_DEPTH
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_reject_constant if self.strict else None)
        except RecursionError as exc:  # the C scanner's own guard, far past max_depth
            raise JsonTooDeep(too_deep_message(max_depth)) from exc
        except (ValueError, LookupError) as exc:  # bad JSON, bad bytes (UnicodeDecodeError) or an unknown charset
            raise ParseError(f"JSON 格式有误 / JSON parse error - {exc}") from exc
        if json_depth(data, stop_after=max_depth) > max_depth:
            raise JsonTooDeep(too_deep_message(max_depth))
        return data


def _charset(media_type: str | None) -> str | None:
    if not media_type:
        return None
    _, params = parse_header_parameters(media_type)
    return params.get("charset")


def _reject_constant(name: str) -> None:
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")

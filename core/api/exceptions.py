"""One error format for the whole API: {"error": {"code", "message", "details"}}."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import ApplicationError
from core.formatting import bilingual


class RequestBodyTooLarge(exceptions.APIException):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig): 413."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "请求内容过大 / Request body too large"


class TooManyFields(exceptions.APIException):
    """A form body with more fields or files than DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES allow: 400."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "too_many_fields"
    default_detail = "请求字段过多 / Too many fields in the request"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn Django and application errors into DRF ones, then wrap every error the same way."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestBodyTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = TooManyFields()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, ApplicationError):
        return Response(
            {"error": {"code": exc.code, "message": bilingual(exc.message), "details": exc.extra}},
            status=exc.status_code,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        code, message = "invalid", "输入有误 / Invalid input"
    else:
        code = getattr(exc, "default_code", "error")
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        detail = {}
    response.data = {"error": {"code": code, "message": bilingual(message), "details": _in_reader_order(detail)}}
    return response


def _in_reader_order(detail: Any) -> Any:
    """Field errors ("中文 / English") in the reader's order, English first in the English UI; the shape is kept."""
    if isinstance(detail, dict):
        return {key: _in_reader_order(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_in_reader_order(value) for value in detail]
    if isinstance(detail, exceptions.ErrorDetail):
        return exceptions.ErrorDetail(bilingual(str(detail)), code=detail.code)
    if isinstance(detail, str):
        return bilingual(detail)
    return detail


def _django_validation_detail(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "message_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error_response(*, code: str, message: str, status_code: int) -> JsonResponse:
    """An error in the API's format, for answers given outside a DRF view (URL not found, body rejected early)."""
    return JsonResponse({"error": {"code": code, "message": message, "details": {}}}, status=status_code)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: unknown /api/ URLs answer in the API's format; pages keep Django's 404 page."""
    if _is_api(request):
        return api_error_response(code="not_found", message=str(exceptions.NotFound.default_detail), status_code=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a body Django refused before the view (size, field count) answers in the API's format on /api/."""
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return api_error_response(
                code=RequestBodyTooLarge.default_code,
                message=str(RequestBodyTooLarge.default_detail),
                status_code=RequestBodyTooLarge.status_code,
            )
        if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
            return api_error_response(
                code=TooManyFields.default_code, message=str(TooManyFields.default_detail), status_code=400
            )
        return api_error_response(code="bad_request", message="请求有误 / Bad request", status_code=400)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an unexpected error on /api/ still answers in the API's format (the details stay in the log)."""
    if _is_api(request):
        return api_error_response(code="server_error", message="服务器内部错误 / Server error", status_code=500)
    return defaults.server_error(request)

"""One JSON error shape for every failure under /api/.

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"slug": ["…"]}}}

`fields` appears only for validation errors; the compare endpoint adds `unknown` and `known`
when it is asked for frameworks it does not know.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

# Where the API lives: every request under it gets JSON, errors included.
API_PATH = "/api/"


def is_api_request(request):
    return request.path_info.startswith(API_PATH)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with records already stored."
    default_code = "conflict"


def flatten_field_errors(detail, prefix=""):
    """{'a': {'b': ['x']}, 'c': [{'d': ['y']}]} → {'a.b': ['x'], 'c.0.d': ['y']}."""
    flat = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            flat.update(flatten_field_errors(value, f"{prefix}{key}."))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, value in enumerate(detail):
            flat.update(flatten_field_errors(value, f"{prefix}{index}."))
    else:
        messages = detail if isinstance(detail, list) else [detail]
        flat.setdefault(prefix.rstrip(".") or "non_field_errors", []).extend(
            str(message) for message in messages
        )
    return flat


def error_body(status_code, code, message, **extra):
    return {"error": {"status": status_code, "code": code, "message": message, **extra}}


def _as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        blocking = sorted({str(obj) for obj in list(exc.args[1])[:5]})
        return Conflict(
            "Other records still refer to this one; change or delete them first: "
            + "; ".join(blocking)
            + "."
        )
    if isinstance(exc, IntegrityError):
        return Conflict("This would break a rule of the stored data (a duplicate, or a bad link).")
    return exc


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_field_errors(exc.detail)
        messages = [message for field in fields.values() for message in field]
        # One problem is said as itself; several are summed up (each is in `fields`).
        message = messages[0] if len(messages) == 1 else "Some fields are not valid."
        response.data = error_body(response.status_code, "invalid", message, fields=fields)
        return response
    code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
    if not isinstance(code, str):
        code = "error"
    detail = getattr(exc, "detail", response.data)
    response.data = error_body(response.status_code, code, str(detail), **getattr(exc, "extra", {}))
    return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    """The last pattern under /api/: unknown URLs answer in JSON, not with an HTML page."""
    message = f"There is nothing at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            message += f" Did you mean {request.path}/ (with the trailing slash)?"
    body = error_body(404, "not_found", message)
    return JsonResponse(body, status=404)

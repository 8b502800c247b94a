"""Django's error handlers (config/urls.py) and the URI length limit, for the whole site.

Under /api/ every error is JSON in the API's one error shape (api/exceptions.py), whatever
raised it: a view, a middleware (a bad Host header, a cache or database that is down), or
Django's own request checks. Everywhere else the site's HTML error pages answer as before.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from api.exceptions import error_body, is_api_request, not_found
from api.parsers import body_limit_message


def json_error(status, code, message):
    return JsonResponse(error_body(status, code, message), status=status)


def bad_request(request, exception):
    # Django sends every SuspiciousOperation here: a Host header not in ALLOWED_HOSTS, a
    # body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields, a bad cookie signature...
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(
            413, "too_large", body_limit_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        )
    # The exception's own text may repeat the request (e.g. the Host header) and suggest
    # settings; it is logged by Django, not shown.
    return json_error(400, "bad_request", "The request is malformed or not addressed to this site.")


def permission_denied(request, exception):
    if not is_api_request(request):
        return defaults.permission_denied(request, exception)
    return json_error(
        403, "permission_denied", "You do not have permission to perform this action."
    )


def page_not_found(request, exception):
    if not is_api_request(request):
        return defaults.page_not_found(request, exception)
    return not_found(request)  # as the last pattern under /api/ answers


def server_error(request):
    if not is_api_request(request):
        return defaults.server_error(request)
    return json_error(
        500,
        "server_error",
        "Something went wrong on our side. It has been logged; please try again in a moment.",
    )


class URILengthLimitMiddleware:
    """A URI (path and query, as sent) over MAX_URI_LENGTH bytes is a 414 before any other
    work; gunicorn's own limit on the request line is set above this one, so a too-long URI
    is answered here, as every other error is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = len(request.META.get("RAW_URI") or request.get_full_path())
        if length <= settings.MAX_URI_LENGTH:
            return self.get_response(request)
        message = (
            f"The URL is longer than {settings.MAX_URI_LENGTH:,} bytes, the most Versus reads."
        )
        if is_api_request(request):
            return json_error(414, "uri_too_long", message)
        return render(request, "400.html", {"message": message}, status=414)

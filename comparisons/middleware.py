"""While the database is unreachable, say so: 503 with Retry-After, not a 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render

from api.exceptions import error_body, is_api_request

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait: about as long as a PostgreSQL restart takes.
RETRY_AFTER_SECONDS = 5
MESSAGE = "The database is unreachable for a moment; please retry shortly."


class DatabaseUnavailableMiddleware:
    """A view (or its template, or DRF's view) that cannot reach the database answers 503:
    JSON in the API's error shape under /api/, the HTML error page elsewhere.

    OperationalError and InterfaceError are what Django raises when the connection cannot be
    opened (psycopg's pool timing out included) or is lost mid-request; errors in the data or
    the SQL (IntegrityError, ProgrammingError…) are bugs, and stay 500s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unreachable on %s %s: %s", request.method, request.path, exception)
        if is_api_request(request):
            response = JsonResponse(error_body(503, "unavailable", MESSAGE), status=503)
        else:
            response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response

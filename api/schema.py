"""OpenAPI details drf-spectacular cannot infer: the error responses and anonymous reads.

Every operation documents the one error shape (`Error`) for each status it can answer with,
with an example, so a client generated from the schema handles failures too.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import permissions

from .exceptions import error_body
from .serializers import ErrorSerializer

ERRORS = {
    400: (
        "The request is not valid: the fields at fault are named in `fields`.",
        error_body(
            400,
            "invalid",
            "Some fields are not valid.",
            fields={"slug": ["framework with this slug already exists."]},
        ),
    ),
    401: (
        "Not signed in: writes need `Authorization: Token <token>` (or a browser session). "
        "Also sent for a token that does not exist.",
        error_body(401, "not_authenticated", "Authentication credentials were not provided."),
    ),
    403: (
        "Signed in, but without the Django permission this needs (or without the CSRF token "
        "for a browser session).",
        error_body(403, "permission_denied", "You do not have permission to perform this action."),
    ),
    404: (
        "Nothing here: no such record (drafts count as missing unless you may change them), "
        "or a page past the last.",
        error_body(404, "not_found", "No Framework matches the given query."),
    ),
    405: (
        "This URL does not take that HTTP method; the `Allow` header lists those it takes.",
        error_body(405, "method_not_allowed", 'Method "PATCH" not allowed.'),
    ),
    406: (
        "The `Accept` header asks for something other than JSON.",
        error_body(406, "not_acceptable", "Could not satisfy the request Accept header."),
    ),
    409: (
        "The change conflicts with stored records, e.g. deleting a record others refer to.",
        error_body(
            409,
            "conflict",
            "Other records still refer to this one; change or delete "
            "them first: Flask × Async support.",
        ),
    ),
    413: (
        "The body is larger than 2,621,440 bytes (2.5 MiB).",
        error_body(
            413, "too_large", "The body is larger than 2,621,440 bytes, the most this API takes."
        ),
    ),
    414: (
        "The URL (path and query) is longer than 4,096 bytes.",
        error_body(
            414, "uri_too_long", "The URL is longer than 4,096 bytes, the most Versus reads."
        ),
    ),
    415: (
        "The body is not JSON (send `Content-Type: application/json`).",
        error_body(415, "unsupported_media_type", 'Unsupported media type "text/plain".'),
    ),
    429: (
        "Too many requests: wait the seconds in `Retry-After`.",
        error_body(429, "throttled", "Request was throttled. Expected available in 42 seconds."),
    ),
    500: (
        "Something failed on the server's side (e.g. its database was unreachable); it is "
        "logged. Retrying later may succeed.",
        error_body(
            500,
            "server_error",
            "Something went wrong on our side. It has been logged; please try again in a moment.",
        ),
    ),
}


def error_response(status):
    description, example = ERRORS[status]
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[OpenApiExample(f"{status}", value=example, status_codes=[str(status)])],
    )


class VersusAutoSchema(AutoSchema):
    def error_statuses(self):
        # Any request can be malformed (400), carry a bad token (401), be refused (403), name
        # a missing record (404), use the wrong method (405) or Accept (406), have too long a
        # URL (414), be throttled (429) or meet a failure of the server's (500).
        statuses = {400, 401, 403, 404, 405, 406, 414, 429, 500}
        if self.method in ("POST", "PUT", "PATCH"):
            statuses |= {409, 413, 415}
        elif self.method == "DELETE":
            statuses |= {409}
        return statuses

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            if str(status) not in bodies:
                bodies[str(status)] = self._get_response_for_code(
                    error_response(status), str(status), direction=direction
                )
        return bodies

    def get_auth(self):
        auths = super().get_auth()
        perms = [permission.__class__ for permission in self.view.get_permissions()]
        anonymous_reads = permissions.DjangoModelPermissionsOrAnonReadOnly in perms
        anonymous_reads = anonymous_reads and self.method in permissions.SAFE_METHODS
        # No permission at all (the token endpoint: signing in): anyone may call it.
        if (anonymous_reads or not perms) and {} not in auths:
            auths.append({})
        return auths


def error_response_components(result, generator, request, public):
    """Postprocessing hook: each standard error response is written once, in
    `components/responses`, and referred to from every operation."""
    components = result.setdefault("components", {}).setdefault("responses", {})
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.get("responses", {})
            for code, response in list(responses.items()):
                if not code.isdigit() or int(code) not in ERRORS:
                    continue
                if response.get("description") != ERRORS[int(code)][0]:
                    continue  # an operation's own wording of this error stays with it
                name = f"Error{code}"
                components.setdefault(name, response)
                responses[code] = {"$ref": f"#/components/responses/{name}"}
    return result

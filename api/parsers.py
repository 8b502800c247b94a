"""The API's one parser: JSON, within two limits that every request body under /api/ obeys.

- At most `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes (Django's own limit for request bodies, set in
  config/settings.py): a larger body is a 413, and no more than that is ever read.
- Nested at most `MAX_DEPTH` arrays/objects deep (no request needs more than two): a deeper
  body is a 400. orjson parses without recursion in Python, so a deep body can never end in
  a RecursionError (a 500) as it did with the standard library's parser.
"""

import orjson
from django.conf import settings
from rest_framework import exceptions, parsers, status

MAX_DEPTH = 32


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def body_limit_message(limit):
    return f"The body is larger than {limit:,} bytes, the most this API takes."


def nesting_depth(data, limit):
    """How many arrays/objects deep `data` is, counting up to `limit + 1` at most."""
    level, depth = [data], 0
    while depth <= limit:
        level = [node for node in level if isinstance(node, dict | list)]
        if not level:
            break
        depth += 1
        level = [
            child for node in level for child in (node.values() if isinstance(node, dict) else node)
        ]
    return depth


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge(body_limit_message(limit))
        encoding = parsers.get_encoding(parser_context or {})
        try:
            data = orjson.loads(body.decode(encoding))
        except (orjson.JSONDecodeError, UnicodeDecodeError, LookupError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        if nesting_depth(data, MAX_DEPTH) > MAX_DEPTH:
            raise exceptions.ParseError(
                f"JSON parse error - the body is nested more than {MAX_DEPTH} levels deep."
            )
        return data

"""Conditional requests on one record (RFC 9110 §13): its ETag, and `If-Match` on writes.

A record's ETag is its version, `"7"`: every saved edit moves it on, from the admin, the API
or an import, and nothing else does (records shown inside it, e.g. a cell's claims, have
versions of their own). Signed-in reads and every write answer with it. Anonymous reads are
answered by the public cache, whose ETag stands for the whole site's content (see
comparisons/caching.py); as an `If-Match` it holds only while nothing at all has changed.

`If-Match` takes either, `*`, or the bare version (`If-Match: 7`, as earlier releases
documented); a write whose `If-Match` names none of the record's current tags is refused
with 412 Precondition Failed, and a header that is not a list of entity tags with 400.
"""

import re

from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from comparisons import caching
from comparisons.editorial import EditConflict, record_check_version

ENTITY_TAG = r'(?:W/)?"[\x21\x23-\x7e]{0,100}"'
# The bare version is what earlier releases documented; a list holds at most 20 tags.
IF_MATCH_PATTERN = rf"^(?:\*|[0-9]{{1,9}}|{ENTITY_TAG}(?:[ \t]*,[ \t]*{ENTITY_TAG}){{0,19}})$"
BARE_VERSION = re.compile(r"[0-9]{1,9}")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it; read it again."
    default_code = "precondition_failed"


def record_etag(record_or_row) -> str:
    """The strong ETag of a record (or of a row of its values): its version, quoted."""
    version = record_or_row["version"] if isinstance(record_or_row, dict) else record_or_row.version
    return f'"{version}"'


def if_match_tags(request):
    """The tags of the request's `If-Match` (each as sent, quotes included), or None when
    it has none. A bare version (`7`) is read as its tag (`"7"`)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if not re.fullmatch(IF_MATCH_PATTERN, header):  # the schema's own pattern, exactly
        raise ValidationError(
            {"If-Match": ['Give the ETag a GET of the record returned, e.g. "3", or *.']}
        )
    if header == "*" or BARE_VERSION.fullmatch(header):
        return [header if header == "*" else f'"{header}"']
    return re.findall(ENTITY_TAG, header)


def check_if_match(request, record):
    """Refuse (412) a write whose `If-Match` names none of `record`'s current tags.

    Call with the record as re-read under its row lock, so no other write can come between
    this check and the save. A weak tag (`W/"7"`) never matches: If-Match compares strongly.
    """
    tags = if_match_tags(request)
    if tags is None or "*" in tags:  # the record exists: it was just read
        return
    current = record_etag(record)
    if current in tags or any(is_current_public_tag(tag, request) for tag in tags):
        return
    versions = [int(tag.strip('"')) for tag in tags if re.fullmatch(r'"[0-9]{1,9}"', tag)]
    older = [version for version in versions if version < record.version]
    if older:
        try:  # names who changed which fields since the version sent
            record_check_version(record=record, expected_version=max(older))
        except EditConflict as error:
            raise PreconditionFailed(str(error)) from error
    raise PreconditionFailed(
        f"This {record._meta.verbose_name} is now at version {record.version} ({current}), "
        "not the one your If-Match names: read it again, then make your change."
    )


def is_current_public_tag(tag, request):
    """Whether `tag` is the ETag an anonymous GET of this URL gets now, from the public cache
    (with or without gzip): true only while no content has changed since that GET."""
    if not tag.startswith(f'"{caching.code_release()}-'):
        return False  # a version, or another release's tag: no need to ask the cache
    generation, _ = caching.content_state()
    key = caching.request_key(request, method="GET")
    public = f'"{caching.code_release()}-{generation}-{key[:16]}"'
    return tag in (public, caching.gzip_etag(public))

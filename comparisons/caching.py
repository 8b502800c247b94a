"""The public response cache, with exact invalidation and conditional requests.

Every public page and API read depends only on the content in the database (and the code).
So one number, the *content generation*, kept in the shared cache (Redis in production),
describes the whole site's state: any content change, committed through any path (admin,
API, import, revert, loader), replaces it with a new random one once its transaction
commits (with the time, for Last-Modified). Cached responses are
keyed by the generation, so the next request after a change — in any process sharing the
cache — misses and renders fresh content; stale entries simply expire.

The ETag is the generation plus the request's own key, so `If-None-Match` is answered 304
from one cache read, without touching the database or rendering anything; so is
`If-Modified-Since`, against the Last-Modified date of the generation.

Two tiers hold the responses: each process keeps the hottest ones in memory (`LocalPages`,
bounded in bytes; VERSUS_LOCAL_CACHE_BYTES=0 turns it off), in front of the shared cache.
Both are keyed by the generation, so the in-process copy can never outlive a change: the
generation is still read from the shared cache on every request. Each response is stored
with a gzip copy, compressed once when it is stored, and clients that accept gzip (every
browser) get that copy.

Signed-in users (editors previewing drafts) are never served from, nor stored into, the
public cache. Paths in PUBLIC_CACHE_EXEMPT_PATHS are never cached by this middleware; a
subclass may serve another part of the site, and decide whether a stored response may be
served (`admit_hit`).
"""

import gzip
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from email.utils import formatdate
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_http_date_safe

# (generation, Last-Modified date): a new random generation for every change.
STATE_KEY = "versus:content-state"
PAGE_TIMEOUT = 60 * 60 * 24
# Request headers a cached response may depend on, besides the host and the URL.
KEY_HEADERS = ("HTTP_ACCEPT",)
# Response headers not replayed from the cache: each response gets its own (or, for the
# body's length and encoding, the one of the copy it is sent).
UNSTORED_HEADERS = {
    "etag", "last-modified", "cache-control", "x-cache", "content-length", "content-encoding",
    "date", "server", "set-cookie",
}  # fmt: skip
# Worth compressing: text larger than a packet or so.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml")
COMPRESS_MIN_BYTES = 1024
# What the pages are made of: the code and the templates.
SOURCE_FOLDERS = ("comparisons", "api", "templates", "config")
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".svg"}


@once
def code_release():
    """Names the deployed code in cache keys and ETags, so a deploy never serves pages cached
    by the previous release: VERSUS_RELEASE if set (e.g. the commit), else a fingerprint of
    the source."""
    return settings.VERSUS_RELEASE[:12] or source_fingerprint(settings.BASE_DIR)


def source_fingerprint(base_dir):
    """A hash of the source files' paths (relative to `base_dir`) and contents: the same
    code gives the same fingerprint on every host, whenever its files were written."""
    base_dir = Path(base_dir)
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((base_dir / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and path.is_file():
                content = path.read_bytes()
                name = path.relative_to(base_dir).as_posix()
                digest.update(f"{name}\0{len(content)}\0".encode())
                digest.update(content)
    return digest.hexdigest()[:12]


def content_state():
    """(generation, Last-Modified date) of the site's content, creating them if absent: one
    cache read per request."""
    state = cache.get(STATE_KEY)
    if not is_state(state):
        # A fresh or flushed cache: start a new, unguessable generation so no client's old
        # ETag (nor any process's in-memory copy) can match by accident.
        cache.add(STATE_KEY, new_state(), timeout=None)
        state = cache.get(STATE_KEY)
        if not is_state(state):  # unreadable, e.g. left by an older release
            state = new_state()
            cache.set(STATE_KEY, state, timeout=None)
    return state


def content_changed():
    """A new generation: every cached response and ETag is now out of date."""
    cache.set(STATE_KEY, new_state(), timeout=None)


def new_state():
    return (secrets.randbits(52), formatdate(time.time(), usegmt=True))


def is_state(value):
    return type(value) is tuple and len(value) == 2 and type(value[0]) is int


def request_key(request, method=None):
    """The request as the cache tells requests apart. The host is part of it, as pages hold
    absolute URLs (validated first: a host not in ALLOWED_HOSTS is a 400, never a hit).
    `method` asks for the key of another method on the same URL (a write's If-Match names
    the ETag of a GET)."""
    meta = request.META
    method = method or request.method
    parts = [method if method != "HEAD" else "GET", request.get_host()]
    parts.append(request.path)
    parts += [meta.get("QUERY_STRING", "")] + [meta.get(header, "") for header in KEY_HEADERS]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def is_anonymous_read(request):
    """A GET or HEAD with no session and no credentials. Editors see drafts and their own
    session: never the shared public copy. (Whoever holds a session cookie is served by the
    view, signed in or not: the cache answers before sessions are read.)"""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # (request.META, not request.headers: that builds a dict of every header)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_storable_response(response):
    return (
        response.status_code in (200, 301, 404)
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class PublicCacheMiddleware:
    """Serve anonymous GETs from the shared cache; answer If-None-Match with 304."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_paths = tuple(settings.PUBLIC_CACHE_EXEMPT_PATHS)

    def is_cacheable(self, request):
        """Whether this middleware serves the request (from the cache, or stores it)."""
        return not request.path.startswith(self.exempt_paths) and is_anonymous_read(request)

    def admit_hit(self, request):
        """Whether a stored response may answer the request; if not, the view answers."""
        return True

    def __call__(self, request):
        if not self.is_cacheable(request):
            return self.get_response(request)
        generation, last_modified = content_state()
        key = request_key(request)
        etag = f'"{code_release()}-{generation}-{key[:16]}"'

        if accepts_gzip(request):  # one representation per encoding, each its own ETag
            etag = gzip_etag(etag)
        if is_not_modified(request, etag, last_modified):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            not_modified["Last-Modified"] = last_modified
            return self.finish(not_modified)

        cache_key = f"versus:page:{code_release()}:{generation}:{key}"
        stored = local_pages.get(cache_key)
        if stored is None:
            stored = cache.get(cache_key)
            if stored is not None:
                local_pages.put(cache_key, stored)
        if stored is not None and not self.admit_hit(request):
            return self.get_response(request)
        if stored is not None:
            response = rebuild(stored, gzipped=accepts_gzip(request))
            response["X-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not is_storable_response(response):
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            stored = freeze(response)
            cache.set(cache_key, stored, PAGE_TIMEOUT)
            local_pages.put(cache_key, stored)
            response = rebuild(stored, gzipped=accepts_gzip(request))
            response["X-Cache"] = "miss"
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        return self.finish(response)

    @staticmethod
    def finish(response):
        # Browsers and proxies may keep a copy but must revalidate it (cheaply, via 304).
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ["Accept", "Accept-Encoding", "Cookie"])
        return response


class LocalPages:
    """This process's most recently used responses, at most `max_bytes` of them (none if 0).

    Entries are keyed like the shared cache (generation included), so a stale one is never
    asked for again; it just ages out."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()  # gthread workers share a process

    def get(self, key):
        with self.lock:
            stored = self.entries.get(key)
            if stored is not None:
                self.entries.move_to_end(key)
            return stored

    def put(self, key, stored):
        weight = stored_size(stored)
        if not self.max_bytes or weight > self.max_bytes // 4:
            return  # off, or one huge page that must not push out everything else
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.size -= stored_size(previous)
            self.entries[key] = stored
            self.size += weight
            while self.size > self.max_bytes:
                _, evicted = self.entries.popitem(last=False)
                self.size -= stored_size(evicted)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = LocalPages(max_bytes=settings.VERSUS_LOCAL_CACHE_BYTES)


def stored_size(stored):
    _, _, content, compressed = stored
    return len(content) + len(compressed or b"")


def accepts_gzip(request):
    """Whether Accept-Encoding lists gzip (and not with q=0)."""
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() == "gzip":
            weight = params.strip().lower().removeprefix("q=")
            return not weight or weight.strip("0.") != ""
    return False


def gzip_etag(etag):
    return etag[:-1] + '-gz"'


def is_not_modified(request, etag, last_modified):
    """RFC 9110 §13.2.2: If-None-Match decides when sent; else If-Modified-Since, against
    the date of the last content change (HTTP dates count whole seconds)."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return etag in parse_etags(if_none_match)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    changed = parse_http_date_safe(last_modified)
    return since is not None and changed is not None and changed <= since


def parse_etags(header):
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def freeze(response):
    """(status, headers, body, gzipped body or None): what the cache keeps of a response."""
    headers = {
        name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
    }
    content = response.content
    compressed = None
    if len(content) >= COMPRESS_MIN_BYTES and response.get("Content-Type", "").startswith(
        COMPRESSIBLE_TYPES
    ):
        compressed = gzip.compress(content, compresslevel=6, mtime=0)
        if len(compressed) >= len(content):
            compressed = None
    return (response.status_code, headers, content, compressed)


def rebuild(stored, *, gzipped=False):
    status, headers, content, compressed = stored
    if gzipped and compressed is not None:
        response = HttpResponse(compressed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response

"""The public response cache, with exact invalidation and conditional requests.

Every public page and API read depends only on the content in the database (and the code).
So one number, the *content generation*, kept in the shared cache (Redis in production),
describes the whole site's state: any content change, committed through any path (admin,
API, import, revert, loader), bumps it once its transaction commits. Cached responses are
keyed by the generation, so the next request after a change — in any process sharing the
cache — misses and renders fresh content; stale entries simply expire.

The ETag is the generation plus the request's own key, so `If-None-Match` is answered 304
from one cache read, without touching the database or rendering anything.

Two tiers hold the responses: each process keeps the hottest ones in memory (`LocalPages`,
bounded in bytes), in front of the shared cache. Both are keyed by the generation, so the
in-process copy can never outlive a change: the generation is still read from the shared
cache on every request. Each response is stored with a gzip copy, compressed once when it is
stored, and clients that accept gzip (every browser) get that copy.

Signed-in users (editors previewing drafts) are never served from, nor stored into, the
public cache.
"""

import gzip
import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict
from email.utils import formatdate
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "versus:content-generation"
CHANGED_AT_KEY = "versus:content-changed-at"
PAGE_TIMEOUT = 60 * 60 * 24
EXEMPT_PREFIXES = ("/admin/", "/healthz", "/bench/", "/static/", "/api/v1/auth/")
# Request headers a cached response may depend on, besides the URL.
KEY_HEADERS = ("HTTP_ACCEPT",)
# Response headers replayed from the cache (the rest are added by outer middleware).
STORED_HEADERS = ("Content-Type", "Content-Language", "Allow", "Link", "Location", "Vary")
# Worth compressing: text larger than a packet or so.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml")
COMPRESS_MIN_BYTES = 1024


@once
def code_release():
    """A fingerprint of the code and templates, so a deploy never serves pages cached by the
    previous release (set VERSUS_RELEASE to pin it, e.g. to the commit being deployed)."""
    release = getattr(settings, "VERSUS_RELEASE", "")
    if release:
        return release[:12]
    digest = hashlib.sha256()
    for folder in ("comparisons", "api", "templates", "config"):
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".xml", ".svg"} and path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def content_state():
    """(generation, changed-at timestamp) of the site's content, creating them if absent."""
    generation, changed_at_ms = read_state()
    if generation is None or changed_at_ms is None:
        # A fresh or flushed cache: start a new, unguessable generation so no client's old
        # ETag (nor any process's in-memory copy) can match by accident.
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        cache.add(CHANGED_AT_KEY, now_ms(), timeout=None)
        generation, changed_at_ms = read_state()
        if generation is None or changed_at_ms is None:  # unreadable, e.g. an older format
            generation, changed_at_ms = new_generation(), now_ms()
            cache.set_many({GENERATION_KEY: generation, CHANGED_AT_KEY: changed_at_ms}, None)
    return generation, changed_at_ms / 1000


def content_changed():
    """Bump the generation: every cached response and ETag is now out of date."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): a new generation is a change too
        cache.set(GENERATION_KEY, new_generation(), timeout=None)
    cache.set(CHANGED_AT_KEY, now_ms(), timeout=None)


def read_state():
    """The two numbers, in one round trip. Both are stored as plain integers, which Django's
    Redis serializer leaves unpickled, so they can be read without Django's cache API: every
    request reads them, and that API builds a new client per call (on the development machine
    430 µs a read, against ~190 µs for an MGET on a connection kept by the thread)."""
    if redis_client() is None:
        values = cache.get_many([GENERATION_KEY, CHANGED_AT_KEY])
        return tuple(
            value if type(value) is int else None
            for value in (values.get(GENERATION_KEY), values.get(CHANGED_AT_KEY))
        )
    raw = state_connection.mget(cache.make_key(GENERATION_KEY), cache.make_key(CHANGED_AT_KEY))
    return tuple(int(value) if value is not None and value.isdigit() else None for value in raw)


class KeptConnection(threading.local):
    """One Redis connection per thread (and per process: a forked worker opens its own),
    reopened once if it has gone away."""

    pid = None
    connection = None

    def mget(self, *keys):
        for attempt in (1, 2):
            connection = self.open()
            try:
                connection.send_command("MGET", *keys)
                return connection.read_response()
            except (OSError, redis_errors().ConnectionError, redis_errors().TimeoutError):
                connection.disconnect()
                self.connection = None
                if attempt == 2:
                    raise

    def open(self):
        if self.connection is None or self.pid != os.getpid():
            pool = redis_client().connection_pool
            self.connection = pool.connection_class(**pool.connection_kwargs)
            self.pid = os.getpid()
        return self.connection


state_connection = KeptConnection()


def redis_errors():
    import redis.exceptions

    return redis.exceptions


@once
def redis_client():
    """A client for the shared cache's Redis, kept for the process (None without Redis)."""
    options = settings.CACHES["default"]
    if options["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        return None
    import redis

    return redis.Redis.from_url(options["LOCATION"])


def now_ms():
    return int(time.time() * 1000)


def new_generation():
    return secrets.randbits(52)


def request_key(request):
    meta = request.META
    parts = [request.method if request.method != "HEAD" else "GET", request.path]
    parts += [meta.get("QUERY_STRING", "")] + [meta.get(header, "") for header in KEY_HEADERS]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXEMPT_PREFIXES):
        return False
    # (request.META, not request.headers: that builds a dict of every header per request)
    if settings.BENCHMARK and request.META.get("HTTP_X_BENCH_SKIP_CACHE"):
        return False
    # Editors see drafts and their own session: never the shared public copy. Checking the
    # cookie first keeps anonymous requests free of a session lookup.
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


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

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        generation, changed_at = content_state()
        key = request_key(request)
        etag = f'"{code_release()}-{generation}-{key[:16]}"'
        last_modified = formatdate(changed_at, usegmt=True)

        if accepts_gzip(request):  # one representation per encoding, each its own ETag
            etag = gzip_etag(etag)
        if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
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
        if stored is not None and not within_api_rate(request):
            # Over the API's rate: let the API itself answer, with its 429.
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
    """This process's most recently used responses, at most `max_bytes` of them.

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
        if weight > self.max_bytes // 4:
            return  # one huge page must not push out everything else
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


local_pages = LocalPages(max_bytes=getattr(settings, "VERSUS_LOCAL_CACHE_BYTES", 32 * 2**20))


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


def within_api_rate(request):
    """A cached API read still counts against the API's throttles (once: the view is not
    called on a hit)."""
    if not request.path.startswith("/api/"):
        return True
    from rest_framework.settings import api_settings

    return all(
        throttle().allow_request(request, None)
        for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
    )


def parse_etags(header):
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def freeze(response):
    """(status, headers, body, gzipped body or None): what the cache keeps of a response."""
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
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
    from django.http import HttpResponse

    status, headers, content, compressed = stored
    if gzipped and compressed is not None:
        response = HttpResponse(compressed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response

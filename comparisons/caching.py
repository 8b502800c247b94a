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

**When the cache is away** (Redis stopped, stalled or unreachable), pages and API reads are
served from the database, uncached (`X-Cache: unavailable`): never from the in-process tier,
whose freshness can only be known from the shared state. The cache is read through its own
alias, `public` (settings.CACHES), where a failure raises: a failed read is "unreachable",
never "a miss" (which would start a new state on every request).

**Invalidation survives an outage.** An edit committed while the cache is away cannot
replace the state there; if the cache came back with its data, it would serve the old pages
(and a Redis that restarts from its last snapshot may have lost a state it acknowledged). So
every change is numbered in the database when it commits (`ContentChange`, before the cache
is told), and the state names the newest change it reflects. A process compares the two
(`catch_up`: one small query; a new state if the database is ahead) *before trusting a state
it read*, whenever it may have missed an outage:

- its connection to the cache was (re)opened (`WatchedConnectionPool`), as after Redis
  restarted, with its data or without: it cannot know what happened while it was away;
- one of its own cache calls failed;
- it has not heard from the cache for half the socket timeout (`REDIS_TIMEOUT`). This is for
  the idle process: a stalled Redis (SIGSTOP, a frozen VM, a network partition) drops no
  connection, and a process that served no request meanwhile saw no error. But an
  invalidation only fails after waiting a whole socket timeout for an answer, so a stall
  that made one fail lies between two of this process's exchanges at least that far apart.

Everywhere else the state is trusted as read, so a hit still costs no query. A state this
process has just created (the cache came back empty) is newer than every committed edit and
needs no check. An in-process cache (local memory, in development) cannot be away.

Signed-in users (editors previewing drafts) are never served from, nor stored into, the
public cache. Paths in PUBLIC_CACHE_EXEMPT_PATHS are never cached by this middleware; a
subclass may serve another part of the site, and decide whether a stored response may be
served (`admit_hit`).
"""

import gzip
import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from email.utils import formatdate
from functools import cache as once
from pathlib import Path

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.connection import ConnectionProxy
from django.utils.http import parse_http_date_safe

from .models import ContentChange

logger = logging.getLogger(__name__)

# The shared cache as this module sees it: failures raise (settings.CACHES).
PUBLIC_CACHE = "public"
cache = ConnectionProxy(caches, PUBLIC_CACHE)

# (generation, Last-Modified date, newest ContentChange reflected): a new random generation
# for every change.
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


class CacheUnavailable(Exception):
    """The shared cache did not answer: serve from the database, uncached."""


def unavailable(error):
    """Note a failed cache call (the state is in doubt until checked) and say so in the log."""
    watch.lost()
    logger.warning("The shared cache is unreachable, serving uncached: %r", error)
    return CacheUnavailable(error)


class CacheWatch:
    """Whether this process may trust the content state it reads as it is, or must first
    check it against the database (see the module's docstring)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.losses = 1  # connections (re)opened and calls failed; the first counts
        self.checked_losses = 0
        self.last_heard = float("-inf")  # when the last exchange that succeeded began

    def lost(self):
        with self.lock:
            self.losses += 1

    def in_doubt(self, losses):
        """Whether a state just read may be stale, `losses` counted once it was read."""
        stall = stall_seconds()
        if stall is None:  # an in-process cache: never away
            return False
        with self.lock:
            return losses != self.checked_losses or time.monotonic() - self.last_heard >= stall

    def heard(self, began, losses=None):
        """An exchange that began at `began` succeeded (and the state read, once `losses`
        were counted, is trusted)."""
        with self.lock:
            self.last_heard = max(self.last_heard, began)
            if losses is not None:
                self.checked_losses = losses


def stall_seconds():
    """Half the socket timeout: the shortest silence that may hide a failed invalidation."""
    timeout = settings.CACHES[PUBLIC_CACHE].get("OPTIONS", {}).get("SOCKET_TIMEOUT")
    return timeout / 2 if timeout else None


watch = CacheWatch()


class WatchedConnectionPool(redis.ConnectionPool):
    """redis-py's pool, telling `watch` whenever it opens a connection: the server may have
    been away meanwhile (django-redis's CONNECTION_POOL_CLASS, settings.CACHES)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, redis_connect_func=self.connected, **kwargs)

    @staticmethod
    def connected(connection):
        connection.on_connect()  # what redis-py does when not given a function
        watch.lost()


def content_state():
    """(generation, Last-Modified date) of the site's content, creating them if absent, and
    first checking them against the database when this process may have missed an outage.
    One cache read per request; raises CacheUnavailable if the cache does not answer."""
    began = time.monotonic()
    try:
        state, created = read_or_create_state()
    except Exception as error:  # whatever the backend raises when it cannot answer
        raise unavailable(error) from error
    losses = watch.losses  # counted after the read: a reconnection during it is included
    if not created and watch.in_doubt(losses):
        try:
            state = catch_up(state)
        except DatabaseError as error:  # still in doubt: the view answers (503 if it must)
            raise CacheUnavailable(error) from error
    watch.heard(began, losses)
    return state[:2]


def read_or_create_state():
    """(state, whether this call created it)."""
    state = cache.get(STATE_KEY)
    if is_state(state):
        return state, False
    # A fresh or flushed cache: start a new, unguessable generation so no client's old ETag
    # (nor any process's in-memory copy) can match by accident. It is newer than every
    # committed change, but does not know their number (that would cost every fresh cache a
    # query): the first check against the database starts another, once.
    created = new_state(change=0)
    if state is None and cache.add(STATE_KEY, created, timeout=None):
        return created, True
    state = cache.get(STATE_KEY)
    if is_state(state):  # another process created it meanwhile
        return state, False
    # Unreadable, e.g. left by an older release.
    cache.set(STATE_KEY, created, timeout=None)
    return created, True


def catch_up(state):
    """The state to trust: `state`, or a new one if the database holds a content change
    newer than the newest `state` reflects (the cache was away when it committed, or lost it
    since)."""
    newest = ContentChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if state[2] >= newest:
        return state
    state = new_state(change=newest)
    try:
        cache.set(STATE_KEY, state, timeout=None)
    except Exception as error:
        raise unavailable(error) from error
    logger.warning("The shared cache missed content change %s: a new content state.", newest)
    ContentChange.objects.filter(pk__lt=newest).delete()
    return state


def shared_get(key):
    """A response stored in the shared cache, or None; CacheUnavailable if it is away."""
    began = time.monotonic()
    try:
        stored = cache.get(key)
    except Exception as error:
        raise unavailable(error) from error
    watch.heard(began)
    return stored


def shared_set(key, stored):
    began = time.monotonic()
    try:
        cache.set(key, stored, PAGE_TIMEOUT)
    except Exception as error:
        raise unavailable(error) from error
    watch.heard(began)


def content_changed():
    """A new generation: every cached response and ETag is now out of date. The change is
    numbered in the database first, so a cache that cannot be told now is caught up later."""
    try:
        change = ContentChange.objects.create().pk
    except Exception:  # still tell the cache; the commit is done whatever happens here
        logger.exception("Could not number a content change")
        change = 0
    try:
        cache.set(STATE_KEY, new_state(change=change), timeout=None)
    except Exception as error:
        unavailable(error)  # the row stays: the first process to reach the cache catches up
        return
    ContentChange.objects.filter(pk__lt=change).delete()


def new_state(*, change):
    return (secrets.randbits(52), formatdate(time.time(), usegmt=True), change)


def is_state(value):
    return type(value) is tuple and len(value) == 3 and type(value[0]) is int


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
        try:
            generation, last_modified = content_state()
        except CacheUnavailable:
            return self.uncached(request)
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
            try:
                stored = shared_get(cache_key)
            except CacheUnavailable:
                return self.uncached(request)
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
            try:
                shared_set(cache_key, stored)
            except CacheUnavailable:
                pass  # answered all the same, kept nowhere
            else:
                local_pages.put(cache_key, stored)
            response = rebuild(stored, gzipped=accepts_gzip(request))
            response["X-Cache"] = "miss"
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        return self.finish(response)

    def uncached(self, request):
        """The cache is away: the view answers from the database, and nothing is kept."""
        response = self.get_response(request)
        response["X-Cache"] = "unavailable"
        return response

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
    if "Location" in response:  # a stored redirect reads as one (`.url`, as Django's have)
        response.url = response["Location"]
    return response

"""The public response cache, with exact invalidation and conditional requests.

Every public page and API read depends only on the content in the database (and the code).
So one number, the *content generation*, kept in the shared cache (Redis in production),
describes the whole site's state: any content change, committed through any path (admin,
API, import, revert, loader), bumps it once its transaction commits. Cached responses are
keyed by the generation, so the next request after a change — in any process sharing the
cache — misses and renders fresh content; stale entries simply expire.

The ETag is the generation plus the request's own key, so `If-None-Match` is answered 304
from one cache read, without touching the database or rendering anything.

Signed-in users (editors previewing drafts) are never served from, nor stored into, the
public cache.
"""

import hashlib
import time
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
    values = cache.get_many([GENERATION_KEY, CHANGED_AT_KEY])
    generation, changed_at = values.get(GENERATION_KEY), values.get(CHANGED_AT_KEY)
    if generation is None or changed_at is None:
        # A fresh or flushed cache: start a new, unguessable generation so no client's
        # old ETag can match by accident.
        generation = int(time.time() * 1000)
        changed_at = time.time()
        cache.add(GENERATION_KEY, generation, timeout=None)
        cache.add(CHANGED_AT_KEY, changed_at, timeout=None)
        values = cache.get_many([GENERATION_KEY, CHANGED_AT_KEY])
        generation = values.get(GENERATION_KEY, generation)
        changed_at = values.get(CHANGED_AT_KEY, changed_at)
    return generation, changed_at


def content_changed():
    """Bump the generation: every cached response and ETag is now out of date."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): a new generation is a change too
        cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)


def request_key(request):
    parts = [request.method if request.method != "HEAD" else "GET", request.get_full_path()]
    parts += [request.META.get(header, "") for header in KEY_HEADERS]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXEMPT_PREFIXES):
        return False
    if settings.BENCHMARK and request.headers.get("X-Bench-Skip-Cache"):
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

        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            not_modified["Last-Modified"] = last_modified
            return self.finish(not_modified)

        cache_key = f"versus:page:{code_release()}:{generation}:{key}"
        stored = cache.get(cache_key)
        if stored is not None and not within_api_rate(request):
            # Over the API's rate: let the API itself answer, with its 429.
            return self.get_response(request)
        if stored is not None:
            response = rebuild(stored)
            response["X-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not is_storable_response(response):
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(cache_key, freeze(response), PAGE_TIMEOUT)
            response["X-Cache"] = "miss"
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        return self.finish(response)

    @staticmethod
    def finish(response):
        # Browsers and proxies may keep a copy but must revalidate it (cheaply, via 304).
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ["Accept", "Cookie"])
        return response


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
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    return (response.status_code, headers, response.content)


def rebuild(stored):
    from django.http import HttpResponse

    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response

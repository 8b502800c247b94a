"""Instrumentation for `make bench`, mounted only by config.benchmark_settings.

- `hello` at /bench/hello: the baseline view — the full middleware stack, no database, no
  template.
- `X-Bench-Skip-Cache: 1` on a request: rendered as if the public cache were not there.
- `QueryCountMiddleware`: adds `X-Query-Count` (SQL statements the request ran), so the
  benchmark reports queries per request without a debug toolbar.
"""

from django.db import connections
from django.http import HttpResponse
from django.urls import path

from api import caching as api_caching
from comparisons import caching
from config.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello", hello), *site_urlpatterns]


class SkipCacheOnRequest:
    def is_cacheable(self, request):
        return not request.META.get("HTTP_X_BENCH_SKIP_CACHE") and super().is_cacheable(request)


class PublicCacheMiddleware(SkipCacheOnRequest, caching.PublicCacheMiddleware):
    pass


class APICacheMiddleware(SkipCacheOnRequest, api_caching.APICacheMiddleware):
    pass


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Query-Count"] = str(count)
        return response

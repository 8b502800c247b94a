"""Instrumentation for `make bench`, switched on only by VERSUS_BENCHMARK=1.

- `hello`: the baseline view — the full middleware stack, no database, no template.
- `QueryCountMiddleware`: adds `X-Query-Count` (SQL statements the request ran), so the
  benchmark reports queries per request without a debug toolbar.
"""

from django.db import connections
from django.http import HttpResponse


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


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

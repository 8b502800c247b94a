"""gunicorn settings for `make serve` and production: gunicorn -c config/gunicorn.py config.wsgi

Everything can be overridden with environment variables (see .env.example).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Workers (processes) scale the Python work across cores; two threads in each let one
# request's Python run while the other waits on PostgreSQL, Redis or a client reading a large
# page. Measured with `make bench` (docs/performance.md, one worker on one core): gthread
# with 2 threads was as good as sync or better on every scenario (API list 0.097-0.106 x
# baseline against 0.089-0.102, uncached compare 0.050-0.056 against 0.044-0.048, 304
# 0.93-1.10 against 0.80-0.83, cached the same). More threads were not measured.
# GUNICORN_WORKER_CLASS=sync (with GUNICORN_THREADS=1) remains an option.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))

# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5

# gunicorn answers a request line over this many bytes itself (a 414 in HTML, before Django
# sees it). 8,190 is the most it takes (its default is 4,094); Django refuses URIs over
# MAX_URI_LENGTH (4,096, config/settings.py) first, so every over-long URI from there up to
# this limit gets Django's answer: JSON under /api/. Headers keep gunicorn's limits (100
# fields of at most 8,190 bytes; beyond them a 431 from gunicorn).
limit_request_line = 8190

# The app is loaded before forking so workers share its memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() == "true"

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    """Before each worker is forked, move everything loaded so far (Django, the app, its
    URLs) out of the garbage collector's sight: as Python's docs advise for fork without
    exec, the workers then share those pages instead of copying them when a collection
    touches them, and each collection a request triggers walks only what requests made
    (the compare page allocates enough to trigger several)."""
    gc.freeze()

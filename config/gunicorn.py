"""gunicorn settings for `make serve` and production: gunicorn -c config/gunicorn.py config.wsgi

Everything can be overridden with environment variables (see .env.example).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Versus is read-heavy and spends most of a request in Python (templates, serialisers), so
# processes scale it; a couple of threads per process cover the time spent waiting on the
# database and Redis. docs/performance.md has the sync-vs-gthread measurement.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))

# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5

# The app is loaded before forking so workers share its memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() == "true"

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

"""`make bench` only (bench/run.py starts gunicorn with it): production's settings plus the
benchmark's instrumentation (config/benchmarking.py). Never deployed."""

from .settings import *  # noqa: F403
from .settings import MIDDLEWARE, PUBLIC_CACHE_EXEMPT_PATHS

ROOT_URLCONF = "config.benchmarking"
PUBLIC_CACHE_EXEMPT_PATHS = [*PUBLIC_CACHE_EXEMPT_PATHS, "/bench/"]
# The public cache's middleware, taught to honour X-Bench-Skip-Cache.
BENCHMARK_VARIANTS = {
    "comparisons.caching.PublicCacheMiddleware": "config.benchmarking.PublicCacheMiddleware",
    "api.caching.APICacheMiddleware": "config.benchmarking.APICacheMiddleware",
}
MIDDLEWARE = [
    "config.benchmarking.QueryCountMiddleware",
    *(BENCHMARK_VARIANTS.get(name, name) for name in MIDDLEWARE),
]

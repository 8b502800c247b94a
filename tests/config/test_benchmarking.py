"""The benchmark's instrumentation lives in config.benchmark_settings, never in production's."""

import pytest
from django.conf import settings as django_settings

from config import benchmark_settings
from tests.factories import FrameworkFactory


@pytest.fixture
def benchmark(settings):
    settings.ROOT_URLCONF = benchmark_settings.ROOT_URLCONF
    settings.MIDDLEWARE = benchmark_settings.MIDDLEWARE
    settings.PUBLIC_CACHE_EXEMPT_PATHS = benchmark_settings.PUBLIC_CACHE_EXEMPT_PATHS


@pytest.mark.django_db
def test_the_benchmark_can_skip_the_cache_and_counts_queries(client, benchmark):
    FrameworkFactory(slug="django")
    assert client.get("/bench/hello").content == b"hello"
    assert client.get("/frameworks/")["X-Cache"] == "miss"
    assert client.get("/frameworks/")["X-Cache"] == "hit"
    for path in ("/frameworks/", "/api/v1/frameworks/"):
        uncached = client.get(path, HTTP_X_BENCH_SKIP_CACHE="1")
        assert uncached.status_code == 200 and "X-Cache" not in uncached
        assert int(uncached["X-Query-Count"]) > 0
    # A hit runs no query once the process is in touch with the cache (the first request after
    # a silence may check the content state against the database: comparisons.caching).
    client.get("/frameworks/")
    assert client.get("/frameworks/")["X-Query-Count"] == "0"


@pytest.mark.django_db
def test_production_has_none_of_it(client):
    FrameworkFactory(slug="django")
    assert not any("benchmark" in name for name in django_settings.MIDDLEWARE)
    assert client.get("/bench/hello").status_code == 404
    client.get("/frameworks/")
    page = client.get("/frameworks/", HTTP_X_BENCH_SKIP_CACHE="1")
    assert page["X-Cache"] == "hit" and "X-Query-Count" not in page

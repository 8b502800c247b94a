import pytest
from django.core.cache import cache

from comparisons.caching import local_pages


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts from an empty cache, whichever backend (local memory or Redis), and
    with this process's in-memory copies gone too."""
    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()

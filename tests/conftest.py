import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts from an empty cache, whichever backend (local memory or Redis)."""
    cache.clear()
    yield
    cache.clear()

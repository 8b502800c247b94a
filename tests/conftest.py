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


def pytest_collection_modifyitems(items):
    """schemathesis names each operation's item `test[GET /path/]` but gives them all one
    node id, and pytest-xdist schedules by node id: it would run one operation of ~70. Each
    item's id takes its name, so every operation runs (and reports) under its own."""
    for item in items:
        if getattr(item, "operation_label", None) and not item.nodeid.endswith("]"):
            item._id = item.parent.id.child(item.name)  # pytest 9 keeps the node id in _id

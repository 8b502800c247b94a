"""The throttles' records: kept where and as Django's cache keeps them, whichever backend."""

from django.core.cache import cache

from api.throttling import SharedCache


def test_throttle_records_are_the_cache_entries_themselves():
    shared = SharedCache()
    shared.set("throttle_anon_203.0.113.9", [1700000000.25, 1699999999.5], 60)
    assert cache.get("throttle_anon_203.0.113.9") == [1700000000.25, 1699999999.5]
    cache.set("throttle_user_7", [1700000001.0], 60)
    assert shared.get("throttle_user_7", []) == [1700000001.0]
    assert shared.get("throttle_user_8", []) == []
    cache.clear()
    assert shared.get("throttle_anon_203.0.113.9", []) == []

"""The rate limits: DRF's rule, decided in one round trip to Redis where there is Redis.

Without Redis, DRF's own way keeps each client's record through `SharedCache`: kept where and
as Django's cache keeps them, whichever backend.
"""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from api.throttling import AnonRateThrottle, SharedCache, UserRateThrottle, times_key
from comparisons.caching import redis_client


def test_throttle_records_are_the_cache_entries_themselves():
    shared = SharedCache()
    shared.set("throttle_anon_203.0.113.9", [1700000000.25, 1699999999.5], 60)
    assert cache.get("throttle_anon_203.0.113.9") == [1700000000.25, 1699999999.5]
    cache.set("throttle_user_7", [1700000001.0], 60)
    assert shared.get("throttle_user_7", []) == [1700000001.0]
    assert shared.get("throttle_user_8", []) == []
    cache.clear()
    assert shared.get("throttle_anon_203.0.113.9", []) == []


URL = "/api/v1/frameworks/"


@pytest.fixture
def clock(monkeypatch):
    """The throttles' time, set by the test."""
    now = [1_700_000_000.25]
    for throttle in (AnonRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "timer", staticmethod(lambda: now[0]))
    return now


def rates(settings, anon, user="1000/minute"):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
    }


@pytest.mark.django_db
def test_the_limit_holds_for_a_period_and_frees_as_the_oldest_leaves_it(anonymous, clock, settings):
    rates(settings, "3/minute")
    start = clock[0]
    for offset in (0, 10, 20):
        clock[0] = start + offset
        assert anonymous.get(URL).status_code == 200
    clock[0] = start + 30
    refused = anonymous.get(URL)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"  # when the first of the three leaves the minute
    clock[0] = start + 60  # the first is a minute old: it no longer counts
    assert anonymous.get(URL).status_code == 200
    refused = anonymous.get(URL)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"  # the one at +10 is now the oldest
    clock[0] = start + 90  # +10 and +20 have left; +60 remains: two more
    assert [anonymous.get(URL).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_each_client_and_scope_has_its_own_count(anonymous, stranger, clock, settings):
    rates(settings, "1/minute", user="2/minute")
    assert anonymous.get(URL).status_code == 200
    assert anonymous.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 200
    assert anonymous.get(URL).status_code == 429
    assert [stranger.get(URL).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_emptying_the_shared_cache_resets_the_limits(anonymous, clock, settings):
    rates(settings, "1/hour")
    assert anonymous.get(URL).status_code == 200
    assert anonymous.get(URL).status_code == 429
    cache.clear()
    assert anonymous.get(URL).status_code == 200


@pytest.mark.django_db
@pytest.mark.skipif(redis_client() is None, reason="the script runs in Redis")
def test_with_redis_one_round_trip_decides(anonymous, clock, settings, monkeypatch):
    def second_trip(*args, **kwargs):
        raise AssertionError("the throttle went DRF's way: read, then write")

    monkeypatch.setattr(SharedCache, "get", second_trip)
    monkeypatch.setattr(SharedCache, "set", second_trip)
    rates(settings, "2/minute")
    assert [anonymous.get(URL).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
@pytest.mark.skipif(redis_client() is None, reason="the script runs in Redis")
def test_a_long_record_mostly_out_of_the_period(anonymous, clock, settings):
    # 3,000 requests that have left the hour, then 1,998 within it (newest first).
    rates(settings, "2000/hour")
    now = clock[0]
    recent = [repr(now - 1 - i) for i in range(1998)]
    expired = [repr(now - 3600 - i) for i in range(3000)]
    redis_client().rpush(times_key("throttle_anon_127.0.0.1"), *recent, *expired)
    assert [anonymous.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    clock[0] = now + 3599.5  # only the two just allowed are still within the hour
    rates(settings, "3/hour")
    assert anonymous.get(URL).status_code == 200
    refused = anonymous.get(URL)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"  # the first of the three leaves in half a second


@pytest.mark.django_db
def test_every_throttle_counts_a_request_another_refused(anonymous, clock, settings):
    # As DRF: the user throttle (which counts anonymous clients by address) records the
    # requests the anonymous one refuses, and the wait is the longer of the two.
    rates(settings, "1/minute", user="2/hour")
    start = clock[0]
    assert anonymous.get(URL).status_code == 200
    clock[0] = start + 10
    refused = anonymous.get(URL)
    assert (refused.status_code, refused["Retry-After"]) == (429, "50")  # the minute's
    clock[0] = start + 20
    refused = anonymous.get(URL)
    assert (refused.status_code, refused["Retry-After"]) == (429, "3580")  # now the hour's


@pytest.mark.django_db
@pytest.mark.skipif(redis_client() is None, reason="the script runs in Redis")
def test_with_redis_one_round_trip_for_all_throttles(
    anonymous, stranger, clock, settings, monkeypatch
):
    client = redis_client()
    scripts = []
    original = client.evalsha
    monkeypatch.setattr(client, "evalsha", lambda *args: scripts.append(args) or original(*args))
    rates(settings, "10/minute", user="10/minute")
    for reader in (anonymous, stranger):
        scripts.clear()
        assert reader.get("/api/v1/supports/?page_size=5").status_code == 200
        keys = scripts[0][2 : 2 + scripts[0][1]]
        assert (len(scripts), len(keys)) == (1, 2 if reader is anonymous else 1)

"""The rate limits: DRF's throttles, counting in the shared cache, whether the API's view
answers or the public cache does."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from api.throttling import AnonRateThrottle, UserRateThrottle

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
    assert refused.json()["error"]["status"] == 429  # the API's one error envelope
    clock[0] = start + 60  # the first is a minute old: it no longer counts
    assert anonymous.get(URL).status_code == 200
    refused = anonymous.get(URL)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"  # the one at +10 is now the oldest
    clock[0] = start + 90  # +10 and +20 have left; +60 remains: two more
    assert [anonymous.get(URL).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_cached_reads_count_once_each(anonymous, clock, settings):
    """After the first read the list comes from the public cache, without the view; each
    hit still counts, once, and the refusal is the API's own 429."""
    rates(settings, "3/minute")
    answers = [anonymous.get(URL) for _ in range(4)]
    assert [(a.status_code, a.get("X-Cache")) for a in answers] == [
        (200, "miss"), (200, "hit"), (200, "hit"), (429, None)
    ]  # fmt: skip
    assert answers[3]["Retry-After"] == "60"
    clock[0] += 60
    assert anonymous.get(URL)["X-Cache"] == "hit"


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
def test_token_requests_are_limited_too(anonymous, settings):
    """Guessing passwords is rate-limited like every other request."""
    rates(settings, "2/minute")
    attempts = [
        anonymous.post("/api/v1/auth/token/", {"username": "ed", "password": "guess"})
        for _ in range(3)
    ]
    assert [attempt.status_code for attempt in attempts] == [400, 400, 429]


@pytest.mark.django_db
def test_a_client_cannot_choose_its_address_with_x_forwarded_for(anonymous, clock, settings):
    """No proxy is trusted by default (TRUSTED_PROXY_COUNT=0): X-Forwarded-For is ignored,
    on reads (cached or not) and on password guesses alike."""
    rates(settings, "3/minute")
    reads = [anonymous.get(URL, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}") for n in range(4)]
    assert [read.status_code for read in reads] == [200, 200, 200, 429]
    guesses = [
        anonymous.post(
            "/api/v1/auth/token/",
            {"username": f"user{n}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            REMOTE_ADDR="203.0.113.1",
        )
        for n in range(4)
    ]
    assert [guess.status_code for guess in guesses] == [400, 400, 400, 429]


@pytest.mark.django_db
def test_behind_trusted_proxies_the_address_they_appended_counts(anonymous, clock, settings):
    rates(settings, "2/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    def read(forwarded_for):
        return anonymous.get(URL, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    # What the client wrote in front of the proxy's entry changes nothing.
    assert [read(f"192.0.2.{n}, 198.51.100.1") for n in range(3)] == [200, 200, 429]
    # Another client behind the same proxy has its own count.
    assert read("198.51.100.2") == 200

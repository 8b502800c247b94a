"""Rate limits for anonymous and signed-in users.

DRF's throttles read their rates once, at import; these read them on every request so a
changed setting (an environment override, a test) takes effect.

They keep DRF's algorithm: for each client, the times of its requests in the last period,
newest first; a request is refused when as many as the rate allows are in the period. DRF
reads that record from the cache, decides, and writes it back whole, for each throttle (the
user throttle counts anonymous clients by address too): four round trips on an API request,
each carrying a whole record (with generous limits, as in the load benchmark, thousands of
entries, tens of kilobytes). With Redis, each record is a Redis list instead, and one Lua
script does DRF's steps in Redis, touching only the entries that leave the period and the
one it adds, for every throttle of the view at once (`OneTripThrottling`): one round trip.
A record's key is DRF's with ":times" appended, in the shared cache's key space (so emptying
the cache resets the limits too), apart from the pickles DRF's way stores under its own key.

Without Redis, DRF's way stores the records through `SharedCache`, as before. Redis is
reached through the client kept for the process (`comparisons.caching.redis_client`):
Django's cache API builds a new Redis client for every call.
"""

from functools import cache as once

from django.core.cache import cache
from django.core.cache.backends.redis import RedisSerializer
from rest_framework import throttling
from rest_framework.settings import api_settings

from comparisons.caching import redis_client


class SharedCache:
    """`get` and `set` of the default cache, stored exactly as Django's Redis backend stores
    them (same keys, same serialisation), so the two read each other's entries."""

    serializer = RedisSerializer()

    def get(self, key, default=None):
        client = redis_client()
        if client is None:
            return cache.get(key, default)
        value = client.get(cache.make_and_validate_key(key))
        return default if value is None else self.serializer.loads(value)

    def set(self, key, value, timeout):
        client = redis_client()
        if client is None:
            return cache.set(key, value, timeout)
        client.set(cache.make_and_validate_key(key), self.serializer.dumps(value), ex=timeout)


# DRF's `allow_request()` on Redis lists of request times (text, newest first), for each of
# KEYS, one throttle each, with ARGV giving each in turn: now, the period in seconds, the
# number of requests allowed in it. Returns for each {allowed, requests in the period before
# this one, the oldest of them or ''}: what DRF's `wait()` needs. Like DRF, a refusal writes
# nothing; a success drops what has left the period, adds now, and keeps it for one period.
ALLOW = """
local answers = {}
for i, key in ipairs(KEYS) do
  local stamp = ARGV[3 * i - 2]
  local now, duration, limit = tonumber(stamp), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  local length = redis.call('LLEN', key)
  local count, oldest = length, false
  if length > 0 and tonumber(redis.call('LINDEX', key, 0)) <= now - duration then
    count = 0  -- even the newest has left the period
  end
  while count > 0 do
    oldest = redis.call('LINDEX', key, count - 1)
    if tonumber(oldest) > now - duration then break end
    count, oldest = count - 1, false
  end
  if count >= limit then
    answers[i] = {0, count, oldest or ''}
  else
    if count < length then
      if count == 0 then redis.call('DEL', key) else redis.call('LTRIM', key, 0, count - 1) end
    end
    redis.call('LPUSH', key, stamp)
    redis.call('EXPIRE', key, duration)
    answers[i] = {1, count, ''}
  end
end
return answers
"""


@once
def allow_script():
    return redis_client().register_script(ALLOW)


def times_key(key):
    """Where the script keeps the record DRF keeps under `key`."""
    return cache.make_and_validate_key(f"{key}:times")


class _LiveRatesMixin:
    cache = SharedCache()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        """DRF's `allow_request()`, in one round trip to Redis."""
        client = redis_client()
        if self.rate is None or client is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        return decide([self], client)[0]

    def wait(self):
        """DRF's `wait()`, from the count and the oldest time the script returned."""
        if self.history is not None:  # DRF's way was taken
            return super().wait()
        remaining = self.duration - (self.now - self.oldest) if self.recent else self.duration
        available = self.num_requests - self.recent + 1
        return None if available <= 0 else remaining / float(available)


def decide(throttles, client):
    """Whether each throttle (its key and time set) allows the request: one round trip."""
    answers = allow_script()(
        keys=[times_key(throttle.key) for throttle in throttles],
        args=[
            value
            for throttle in throttles
            for value in (repr(throttle.now), throttle.duration, throttle.num_requests)
        ],
        client=client,
    )
    allowed = []
    for throttle, (verdict, recent, oldest) in zip(throttles, answers, strict=True):
        throttle.recent = recent
        throttle.oldest = float(oldest) if oldest else None
        throttle.history = None  # not read back: `wait()` needs only its length and oldest
        allowed.append(bool(verdict))
    return allowed


class OneTripThrottling:
    """For views: all their throttles decided in one round trip to Redis, not one each.
    DRF's `check_throttles()` asks every throttle (none is skipped because another refused)
    and waits as long as the longest; so does this."""

    def check_throttles(self, request):
        client = redis_client()
        throttles = self.get_throttles()
        if client is None or not all(isinstance(t, _LiveRatesMixin) for t in throttles):
            return super().check_throttles(request)
        asking = []
        for throttle in throttles:
            if throttle.rate is None:
                continue
            throttle.key = throttle.get_cache_key(request, self)
            if throttle.key is not None:
                throttle.now = throttle.timer()
                asking.append(throttle)
        if not asking:
            return None
        answers = zip(asking, decide(asking, client), strict=True)
        refused = [throttle for throttle, allowed in answers if not allowed]
        if refused:
            durations = [wait for wait in (t.wait() for t in refused) if wait is not None]
            self.throttled(request, max(durations, default=None))
        return None


class AnonRateThrottle(_LiveRatesMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_LiveRatesMixin, throttling.UserRateThrottle):
    pass

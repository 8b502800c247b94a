"""Rate limits for anonymous and signed-in users.

DRF's throttles read their rates once, at import; these read them on every request so a
changed setting (an environment override, a test) takes effect.

They keep DRF's algorithm and its records in the shared cache, but reach Redis through the
client kept for the process (`comparisons.caching.redis_client`): Django's cache API builds a
new Redis client for every call, and the two throttles make four calls on every API request.
"""

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


class _LiveRatesMixin:
    cache = SharedCache()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_LiveRatesMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_LiveRatesMixin, throttling.UserRateThrottle):
    pass

"""Rate limits for anonymous and signed-in users.

DRF's throttles read their rates once, at import; these read them on every request so a
changed setting (an environment override, a test) takes effect.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _LiveRatesMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_LiveRatesMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_LiveRatesMixin, throttling.UserRateThrottle):
    pass

"""DRF's rate limits, stored in Django's default cache as DRF does.

DRF binds the rates when it is imported; these read them on every request, so a changed
setting (a test's override) takes effect.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class UserRateThrottle(throttling.UserRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

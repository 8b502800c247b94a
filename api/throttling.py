"""DRF's rate limits, stored in Django's default cache as DRF does, and the client address
they count by, which the sign-in lock-out (django-axes) counts by too.

DRF binds the rates when it is imported; these read them on every request, so a changed
setting (a test's override) takes effect.
"""

import ipaddress

from rest_framework import throttling
from rest_framework.settings import api_settings


def client_address(request):
    """The client's address by DRF's rule: REMOTE_ADDR, or with NUM_PROXIES
    (settings.TRUSTED_PROXY_COUNT) trusted proxies the address the outermost of them put in
    X-Forwarded-For, never one the client wrote in front of it. Text that is no address
    (only a client that bypassed the proxies can send it) counts as REMOTE_ADDR.

    The throttles below and django-axes (AXES_CLIENT_IP_CALLABLE) both call this, so rate
    limits and sign-in lock-outs agree on who a client is."""
    address = throttling.BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR")


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request)

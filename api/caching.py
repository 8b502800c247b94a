"""The public cache (comparisons.caching) for API reads, which the site's own middleware
leaves to this one (PUBLIC_CACHE_EXEMPT_PATHS lists /api/)."""

from rest_framework.settings import api_settings

from comparisons.caching import PublicCacheMiddleware, is_anonymous_read

from .exceptions import is_api_request


class APICacheMiddleware(PublicCacheMiddleware):
    """A cached API read still counts against the API's rate limits: the view, which would
    have counted it, is not called on a hit."""

    def is_cacheable(self, request):
        return is_api_request(request) and is_anonymous_read(request)

    def admit_hit(self, request):
        # Asked in DRF's order, stopping at the first refusal: a refusal records nothing, so
        # the view that then answers 429 counts the request once, as DRF would have.
        return all(
            throttle().allow_request(request, None)
            for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
        )

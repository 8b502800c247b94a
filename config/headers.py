"""Security headers Django and django-csp leave to the project: Cross-Origin-Resource-Policy
(Django has a setting for Cross-Origin-Opener-Policy, not for CORP), and what the admin's
third-party templates need on top of the site's Content-Security-Policy."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class CrossOriginResourcePolicyMiddleware:
    """Sends CROSS_ORIGIN_RESOURCE_POLICY on every response that has none: with
    `same-origin`, other sites cannot embed our pages, images or scripts (`<img>`, `<script>`,
    no-cors fetches). CORS reads of the API are not affected: CORP governs no-cors requests."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CROSS_ORIGIN_RESOURCE_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.policy)
        return response


# Inline attributes in the templates of django-import-export 4.4 (export.html) and
# django-simple-history 3.13 (object_history_list.html), allowed by hash, only these exact
# values, only under /admin/: `'unsafe-hashes'` lets a hash match an attribute, which
# 'unsafe-inline' would allow whatever it said. tests/browser/test_csp.py fails if an upgrade
# changes them.
ADMIN_POLICY = {
    "style-src-attr": [
        "'unsafe-hashes'",
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # padding: 0;
        "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # font-weight: bold;
    ],
    "script-src-attr": [
        "'unsafe-hashes'",
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",  # onSelectToggleChange(event)
    ],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (settings.CONTENT_SECURITY_POLICY), plus ADMIN_POLICY on admin
    pages, through the extension point django-csp documents (get_policy_parts)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.update is None and request.path.startswith("/admin/"):
            parts.update = ADMIN_POLICY
        return parts

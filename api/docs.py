"""The API's documentation pages, Swagger UI and ReDoc (drf-spectacular, served from
drf-spectacular-sidecar), under the site's Content-Security-Policy: no inline script, and no
inline style but what ReDoc writes itself. Their page scripts are files (Swagger UI's comes
from drf-spectacular's split view at ?script, ReDoc's is static/api/redoc-init.js), and the
few lines of page CSS are static/api/docs.css.

Each page adds to the site's policy on its own response (django-csp's csp_update), which
the API's response cache would not keep, so neither page is cached (never_cache): they are
a template each, with no query."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

# Both draw icons from data: URLs in their own CSS and markup.
DOCS_IMAGES = {"img-src": ["data:"]}
REDOC_POLICY = {
    **DOCS_IMAGES,
    # ReDoc writes its styles into <style> elements as it renders (styled-components), with
    # the nonce redoc-init.js hands it. Two it writes as its bundle loads, before it can know
    # the nonce, are allowed by their hashes: an empty one, and perfect-scrollbar's stylesheet
    # (as in drf-spectacular-sidecar 2026.10.1's redoc.standalone.js; the browser test
    # tests/browser/test_csp.py fails if an upgrade changes it).
    "style-src": [
        NONCE,
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    ],
    # Its search index runs in a worker built from a blob.
    "worker-src": ["blob:"],
}


@method_decorator([never_cache, csp_update(DOCS_IMAGES)], name="get")
class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


@method_decorator([never_cache, csp_update(REDOC_POLICY)], name="get")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

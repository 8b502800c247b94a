from functools import lru_cache

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

admin.site.site_header = "Versus editors"
admin.site.site_title = "Versus admin"
admin.site.index_title = "Knowledge base"
# The app list beside every page took 300 of 1280 px, pushing list columns off screen; the
# breadcrumbs and the index page reach every model.
admin.site.enable_nav_sidebar = False


FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.svg"
FAVICON_MAX_AGE = 7 * 24 * 3600


@lru_cache(maxsize=1)
def favicon_bytes():
    return FAVICON.read_bytes()


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page's <link rel="icon"> says. The icon is
    answered here, not redirected to /static/: that answers 404 wherever static files are
    not served (DEBUG off without collectstatic). Every browser that shows a favicon reads
    SVG by its content type; a week's cache, as the file changes only with a deploy."""
    response = HttpResponse(favicon_bytes(), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("comparisons.urls")),
    path("favicon.ico", favicon),
]

# JSON in the API's error shape under /api/, the site's HTML pages elsewhere.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

admin.site.site_header = "Versus editors"
admin.site.site_title = "Versus admin"
admin.site.index_title = "Knowledge base"
# The app list beside every page took 300 of 1280 px, pushing list columns off screen; the
# breadcrumbs and the index page reach every model.
admin.site.enable_nav_sidebar = False


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page's <link rel="icon"> says. (The static
    URL is looked up per request: hashed names exist only once collectstatic has run.)"""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


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

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Versus editors"
admin.site.site_title = "Versus admin"
admin.site.index_title = "Knowledge base"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("comparisons.urls")),
]

# JSON in the API's error shape under /api/, the site's HTML pages elsewhere.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

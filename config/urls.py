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

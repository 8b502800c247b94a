from django.conf import settings
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

if settings.BENCHMARK:
    from config.benchmarking import hello

    urlpatterns.insert(0, path("bench/hello", hello))

"""The site's URLs under /kb/, for tests of links built from cached patterns."""

from django.urls import include, path

urlpatterns = [path("kb/", include("config.urls"))]

"""Everything under /api/: the v1 resources, a token endpoint, the OpenAPI schema and its
documentation (served from drf-spectacular-sidecar, no CDN), and a JSON 404 for the rest."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import docs, views
from .exceptions import not_found

app_name = "api"

router = DefaultRouter(use_regex_path=True)
router.include_format_suffixes = False
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("categories", views.FeatureCategoryViewSet, basename="category")
router.register("features", views.FeatureViewSet, basename="feature")
router.register("supports", views.SupportViewSet, basename="support")
router.register("sources", views.SourceViewSet, basename="source")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("benchmarks", views.BenchmarkViewSet, basename="benchmark")
router.register("benchmark-results", views.BenchmarkResultViewSet, basename="benchmarkresult")
router.register("points", views.PointViewSet, basename="point")
router.register("use-cases", views.UseCaseViewSet, basename="usecase")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")

urlpatterns = [
    path("v1/compare/", views.CompareView.as_view(), name="compare"),
    path("v1/choose/", views.ChooseView.as_view(), name="choose"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", docs.RedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^[\s\S]*$", not_found, name="not-found"),  # newlines in the path too
]

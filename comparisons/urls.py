from django.urls import path

from . import views

app_name = "comparisons"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("frameworks/<slug:slug>/", views.FrameworkDetailView.as_view(), name="framework-detail"),
    path("features/<slug:slug>/", views.FeatureDetailView.as_view(), name="feature-detail"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("benchmarks/<slug:slug>/", views.BenchmarkDetailView.as_view(), name="benchmark-detail"),
    path("healthz", views.healthz, name="healthz"),
]

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import RecentChangesFeed
from .sitemaps import sitemaps

app_name = "comparisons"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("frameworks/", views.FrameworkListView.as_view(), name="framework-list"),
    path("frameworks/<slug:slug>/", views.FrameworkDetailView.as_view(), name="framework-detail"),
    path(
        "frameworks/<slug:framework>/<slug:feature>/",
        views.CellDetailView.as_view(),
        name="cell-detail",
    ),
    path("compare/", views.compare, name="compare"),
    path("compare/<str:spec>/", views.compare_matrix, name="compare-matrix"),
    path("features/", views.FeatureListView.as_view(), name="feature-list"),
    path("features/<slug:slug>/", views.FeatureDetailView.as_view(), name="feature-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("benchmarks/", views.BenchmarkListView.as_view(), name="benchmark-list"),
    path("benchmarks/<slug:slug>/", views.BenchmarkDetailView.as_view(), name="benchmark-detail"),
    path("choose/", views.choose, name="choose"),
    path("choose/edit/", views.choose_edit, name="choose-edit"),
    path("choose/method/", views.ChooseMethodView.as_view(), name="choose-method"),
    path("use-cases/", views.UseCaseListView.as_view(), name="use-cases"),
    path("use-cases/<slug:slug>/", views.UseCaseDetailView.as_view(), name="use-case-detail"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<slug:slug>/", views.task_detail, name="task-detail"),
    path("search/", views.search, name="search"),
    path("changes/", views.changes, name="changes"),
    path("changes/feed/", RecentChangesFeed(), name="changes-feed"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

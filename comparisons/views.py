"""Public pages. Every queryset comes from a QuerySet method that applies `published()`."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from .models import Benchmark, Feature, Framework, Source


class HomeView(TemplateView):
    template_name = "comparisons/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["frameworks"] = Framework.objects.published()
        context["latest_sources"] = Source.objects.published()[:5]
        return context


class FrameworkDetailView(DetailView):
    template_name = "comparisons/framework_detail.html"
    context_object_name = "framework"

    def get_queryset(self):
        return Framework.objects.published()


class FeatureDetailView(DetailView):
    template_name = "comparisons/feature_detail.html"
    context_object_name = "feature"

    def get_queryset(self):
        return Feature.objects.published()


class SourceDetailView(DetailView):
    template_name = "comparisons/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.published()


class BenchmarkDetailView(DetailView):
    template_name = "comparisons/benchmark_detail.html"
    context_object_name = "benchmark"

    def get_queryset(self):
        return Benchmark.objects.published()


@never_cache
def healthz(request):
    """Liveness and database reachability, for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means unhealthy, whatever its type
        return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

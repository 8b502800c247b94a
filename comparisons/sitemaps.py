"""sitemap.xml: the public pages, published records only (robots.txt points here)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Benchmark, Feature, Framework, Source, UseCase


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return [
            "comparisons:home",
            "comparisons:framework-list",
            "comparisons:feature-list",
            "comparisons:source-list",
            "comparisons:benchmark-list",
            "comparisons:use-cases",
            "comparisons:choose",
            "comparisons:choose-method",
            "comparisons:changes",
        ]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(Sitemap):
    """Every published record of `model`; drafts never appear."""

    model = None
    changefreq = "weekly"

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class FrameworkSitemap(PublishedSitemap):
    model = Framework
    priority = 0.8


class FeatureSitemap(PublishedSitemap):
    model = Feature
    priority = 0.5


class SourceSitemap(PublishedSitemap):
    model = Source
    priority = 0.5


class BenchmarkSitemap(PublishedSitemap):
    model = Benchmark
    priority = 0.5


class UseCaseSitemap(PublishedSitemap):
    model = UseCase
    priority = 0.5


sitemaps = {
    "pages": StaticPagesSitemap,
    "frameworks": FrameworkSitemap,
    "features": FeatureSitemap,
    "sources": SourceSitemap,
    "benchmarks": BenchmarkSitemap,
    "use-cases": UseCaseSitemap,
}

"""sitemap.xml: every public page with content, published records only (robots.txt points
here). Each section takes a fixed number of queries, whatever the size of the site."""

from functools import cached_property
from itertools import combinations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import tasks
from .models import Benchmark, Feature, Framework, Source, Support, UseCase
from .views import compare_url


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


class CellSitemap(PublishedSitemap):
    """Each published cell's own page (its verdict, notes and claims)."""

    model = Support
    priority = 0.4

    def items(self):
        return super().items().select_related("framework", "feature")


class ComparePairSitemap(Sitemap):
    """The compare page of every pair of published frameworks, at its one canonical address
    (`compare_url`: slugs sorted). Larger line-ups are left to links: n frameworks make
    2ⁿ of them, but only n·(n−1)/2 pairs."""

    changefreq = "weekly"
    priority = 0.7

    @cached_property
    def pairs(self):
        # One query for every pair; `items()` is read more than once per request.
        frameworks = Framework.objects.published().with_last_change().order_by("slug")
        return list(combinations(frameworks, 2))

    def items(self):
        return self.pairs

    def location(self, item):
        return compare_url(list(item))

    def lastmod(self, item):
        return max(framework.last_change for framework in item)


class TaskSitemap(Sitemap):
    """/tasks/ and each task's page. No lastmod: their code is read from the benchmark apps'
    files, which change only with a deploy, and a checkout's file times say nothing true."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return [None, *tasks.TASKS]

    def location(self, item):
        if item is None:
            return reverse("comparisons:task-list")
        return reverse("comparisons:task-detail", kwargs={"slug": item.slug})


sitemaps = {
    "pages": StaticPagesSitemap,
    "frameworks": FrameworkSitemap,
    "features": FeatureSitemap,
    "sources": SourceSitemap,
    "benchmarks": BenchmarkSitemap,
    "use-cases": UseCaseSitemap,
    "compare": ComparePairSitemap,
    "cells": CellSitemap,
    "tasks": TaskSitemap,
}

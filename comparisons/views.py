"""Public pages. Every queryset comes from a QuerySet method that applies `published()`.

The compare page calls the shared matrix builder (`comparisons.matrix`), as the API does, so
the page and `/api/v1/compare/` agree cell for cell. Bad input never reaches the database:
query strings are checked here first and answered with a 4xx page that says what was wrong.
"""

import re
from urllib.parse import urlencode

from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import matrix as matrix_builder
from .feeds import recent_changes
from .links import url_pattern
from .matrix import MatrixCell, MatrixRequestError
from .matrix_page import BODY_MARKER, build_page_matrix, splice_body
from .models import (
    Benchmark,
    BenchmarkResult,
    Feature,
    Framework,
    Point,
    Recommendation,
    Source,
    Support,
    UseCase,
)

# A query-string value longer than this is not a list of framework names; refuse it before
# it costs anything. Twelve long slugs and their commas fit comfortably.
MAX_PARAMETER_LENGTH = 1000
MAX_SEARCH_LENGTH = 200
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TRUE_VALUES = {"1", "on", "true", "yes"}


class BadRequestPage(Exception):
    """Raised while reading a query string; rendered as the friendly 400 page."""

    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def error_page(request, message, *, status=400, template="400.html", **context):
    return render(request, template, {"message": message, **context}, status=status)


def has_odd_characters(value):
    """NUL and the replacement character (what invalid UTF-8 such as %FF decodes to)."""
    return "\x00" in value or "\ufffd" in value


def read_slugs(values, *, what):
    """Slugs from query-string values, refusing what cannot possibly be a slug."""
    if sum(len(value) for value in values) > MAX_PARAMETER_LENGTH:
        raise BadRequestPage(f"That list of {what} is far too long to be real.")
    if any(has_odd_characters(value) for value in values):
        raise BadRequestPage(f"The {what} in the address contain characters no name can have.")
    slugs = matrix_builder.parse_slugs(values)
    malformed = [slug for slug in slugs if not SLUG_PATTERN.match(slug)]
    if malformed:
        raise BadRequestPage(
            f"'{malformed[0][:80]}' is not a valid name: names use only letters, digits and "
            "hyphens."
        )
    return slugs


def compare_url(frameworks, params=None, *, query=""):
    """The matrix URL of a line-up, with the filters in `params` (or `query`, already encoded:
    a compare page links ~30 line-ups with the same filters)."""
    pattern = url_pattern("comparisons:compare-matrix", spec=None)
    url = pattern.format(spec=matrix_builder.canonical_slug(frameworks))
    query = query or (urlencode(params, doseq=True) if params else "")
    return f"{url}?{query}" if query else url


def picker_context(selected=()):
    return {"frameworks": Framework.objects.published(), "selected": list(selected)}


def render_picker(request, *, message="", selected=(), status=200):
    context = {**picker_context(selected), "message": message}
    return render(request, "comparisons/compare_picker.html", context, status=status)


def render_unknown(request, error):
    """404 that names the unknown slugs and offers the frameworks that do exist."""
    known = {framework.slug: framework for framework in Framework.objects.published()}
    context = {
        "message": error.message,
        "unknown": error.unknown,
        "known_frameworks": [known[slug] for slug in error.known if slug in known],
    }
    return render(request, "comparisons/compare_unknown.html", context, status=404)


def read_filters(request, categories=None):
    """The compare page's filters: categories (by slug) and 'only rows that differ'."""
    category_slugs = read_slugs(request.GET.getlist("category"), what="categories")
    only = request.GET.get("only_differences", "")
    if len(only) > 10 or has_odd_characters(only):
        raise BadRequestPage("The 'only rows that differ' switch takes 1 or nothing.")
    return category_slugs, only.lower() in TRUE_VALUES


def filter_params(category_slugs, only_differences):
    params = {}
    if category_slugs:
        params["category"] = category_slugs
    if only_differences:
        params["only_differences"] = "1"
    return params


class HomeView(TemplateView):
    template_name = "comparisons/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        frameworks = list(Framework.objects.published())
        sources = list(Source.objects.published().with_frameworks())
        context.update(
            frameworks=frameworks,
            selected=[],
            popular_comparisons=popular_comparisons(frameworks, sources),
            latest_sources=sources[:5],
        )
        return context


def popular_comparisons(frameworks, sources, limit=6):
    """The line-ups the sources themselves compare most often, then the remaining pairs."""
    counted = {}
    for source in sources:
        covered = tuple(sorted(source.frameworks.all(), key=lambda framework: framework.name))
        if len(covered) >= 2:
            counted[covered] = counted.get(covered, 0) + 1
    line_ups = sorted(counted, key=lambda line_up: (-counted[line_up], len(line_up)))
    for index, first in enumerate(frameworks):
        for second in frameworks[index + 1 :]:
            if (first, second) not in counted:
                line_ups.append((first, second))
    return [
        {"frameworks": line_up, "url": compare_url(line_up), "sources": counted.get(line_up, 0)}
        for line_up in line_ups[:limit]
    ]


def compare(request):
    """/compare/?frameworks=a,b,c: the picker, or a redirect to the canonical matrix URL."""
    if "frameworks" not in request.GET:
        return render_picker(request)
    try:
        slugs = read_slugs(request.GET.getlist("frameworks"), what="frameworks")
        category_slugs, only_differences = read_filters(request)
        frameworks = matrix_builder.resolve_frameworks(slugs)
    except BadRequestPage as error:
        return error_page(request, error.message, status=error.status)
    except MatrixRequestError as error:
        if error.unknown:
            return render_unknown(request, error)
        return render_picker(request, message=error.message, selected=slugs, status=400)
    return redirect(compare_url(frameworks, filter_params(category_slugs, only_differences)))


PAGE_FRAMEWORK_FIELDS = ("slug", "name", "kind")


def compare_matrix(request, spec):
    """/compare/a-vs-b-vs-c/: the matrix, built by the shared builder."""
    try:
        if len(spec) > MAX_PARAMETER_LENGTH:
            raise BadRequestPage("That comparison address is far too long to be real.")
        slugs = read_slugs(spec.split(matrix_builder.SLUG_SEPARATOR), what="frameworks")
        category_slugs, only_differences = read_filters(request)
        # What the page shows of a framework: its name, kind and links (from its slug). The
        # rest (summaries, links, history fields) would be 30 model instances' worth of
        # conversions for nothing.
        published = list(Framework.objects.published().only(*PAGE_FRAMEWORK_FIELDS))
        frameworks = matrix_builder.resolve_frameworks(slugs, published=published)
    except BadRequestPage as error:
        return error_page(request, error.message, status=error.status)
    except MatrixRequestError as error:
        if error.unknown:
            return render_unknown(request, error)
        return render_picker(request, message=error.message, selected=slugs, status=400)
    canonical = matrix_builder.canonical_slug(frameworks)
    if spec != canonical:
        return redirect(
            compare_url(frameworks, filter_params(category_slugs, only_differences)),
            permanent=True,
        )
    matrix = build_page_matrix(
        frameworks, category_slugs=category_slugs, only_differences=only_differences
    )
    known_categories = {category.slug for category in matrix.categories}
    unknown_categories = [slug for slug in category_slugs if slug not in known_categories]
    if unknown_categories:
        return error_page(
            request,
            f"There is no feature category called '{unknown_categories[0]}'.",
            categories=matrix.categories,
            retry_url=compare_url(frameworks),
        )
    rows = matrix.rows
    query = urlencode(filter_params(category_slugs, only_differences), doseq=True)
    chosen = {framework.pk for framework in frameworks}
    context = {
        "matrix": matrix,
        "frameworks": frameworks,
        "column_count": len(frameworks) + 1,
        "row_count": len(rows),
        "disputed_count": matrix.disputed_count,
        "filtered": bool(category_slugs or only_differences),
        "unfiltered_url": compare_url(frameworks),
        # Change the line-up: one more framework, or one fewer (never below two).
        "others": [
            {"framework": other, "url": compare_url([*frameworks, other], query=query)}
            for other in published
            if other.pk not in chosen
        ][: matrix_builder.MAX_FRAMEWORKS - len(frameworks)],
        "columns_removable": len(frameworks) > 2,
        "removals": [
            {
                "framework": framework,
                "url": compare_url([kept for kept in frameworks if kept != framework], query=query),
            }
            for framework in frameworks
        ],
        "canonical_url": request.build_absolute_uri(compare_url(frameworks)),
        "matrix_body": BODY_MARKER,
    }
    response = render(request, "comparisons/compare.html", context)
    response.content = splice_body(response.content, matrix)
    return response


class DraftPreviewMixin:
    """Editors preview drafts: someone with the model's view permission (the admin's "View on
    site") gets a draft's page, marked as a preview and never cached; anyone else gets 404."""

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            model = self.get_queryset().model
            meta = model._meta
            if not self.request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
                raise
            return super().get_object(model.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("is_preview"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class FrameworkListView(ListView):
    template_name = "comparisons/framework_list.html"
    context_object_name = "frameworks"

    def get_queryset(self):
        return Framework.objects.published().with_details()


class FrameworkDetailView(DraftPreviewMixin, DetailView):
    template_name = "comparisons/framework_detail.html"
    context_object_name = "framework"

    def get_queryset(self):
        return Framework.objects.published().with_details()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = self.object
        points = list(Point.objects.for_framework(framework))
        context.update(
            # One column of the shared matrix: every published feature, by category.
            matrix=matrix_builder.build_matrix([framework]),
            strengths=[point for point in points if point.kind == Point.Kind.STRENGTH],
            weaknesses=[point for point in points if point.kind == Point.Kind.WEAKNESS],
            results=BenchmarkResult.objects.for_framework(framework),
            recommendations=Recommendation.objects.for_framework(framework),
            sources=Source.objects.covering(framework),
            others=[
                {"framework": other, "url": compare_url([framework, other])}
                for other in Framework.objects.published().exclude(pk=framework.pk)
            ],
        )
        return context


class CellDetailView(DetailView):
    """One cell on its own page: the verdict, its notes and every claim behind it. It is the
    footnote each compare-page cell links to (versus.js shows its sources inside the cell)."""

    template_name = "comparisons/cell_detail.html"
    context_object_name = "support"

    def get_queryset(self):
        return Support.objects.published().with_related()

    def get_object(self, queryset=None):
        return get_object_or_404(
            queryset or self.get_queryset(),
            framework__slug=self.kwargs["framework"],
            feature__slug=self.kwargs["feature"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        support = self.object
        context.update(
            cell=MatrixCell(support.framework, support.feature, support),
            others=[
                {"framework": other, "url": compare_url([support.framework, other])}
                for other in Framework.objects.published().exclude(pk=support.framework_id)
            ],
        )
        return context


class FeatureListView(ListView):
    template_name = "comparisons/feature_list.html"
    context_object_name = "features"

    def get_queryset(self):
        return Feature.objects.published().in_display_order()


class FeatureDetailView(DraftPreviewMixin, DetailView):
    template_name = "comparisons/feature_detail.html"
    context_object_name = "feature"

    def get_queryset(self):
        return Feature.objects.published().with_scale()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feature = self.object
        cells = {cell.framework_id: cell for cell in Support.objects.for_feature(feature)}
        context["cells"] = [
            MatrixCell(framework, feature, cells.get(framework.pk))
            for framework in Framework.objects.published()
        ]
        context["scale"] = list(feature.scale_points.all())
        return context


class SourceListView(ListView):
    template_name = "comparisons/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.published().with_frameworks().with_claim_counts()


class SourceDetailView(DraftPreviewMixin, DetailView):
    template_name = "comparisons/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.published().with_frameworks()

    def get_context_data(self, **kwargs):
        from .models import Claim

        context = super().get_context_data(**kwargs)
        source = self.object
        claims = list(Claim.objects.for_source(source))
        context.update(
            claims=claims,
            disagreeing_count=sum(not claim.agrees_with_verdict for claim in claims),
            benchmarks=Benchmark.objects.from_source(source),
            points=Point.objects.for_source(source),
            recommendations=Recommendation.objects.for_source(source),
        )
        return context


class BenchmarkListView(ListView):
    template_name = "comparisons/benchmark_list.html"
    context_object_name = "benchmarks"

    def get_queryset(self):
        return Benchmark.objects.published().with_results()


class BenchmarkDetailView(DraftPreviewMixin, DetailView):
    template_name = "comparisons/benchmark_detail.html"
    context_object_name = "benchmark"

    def get_queryset(self):
        return Benchmark.objects.published().with_results()


class UseCaseListView(ListView):
    template_name = "comparisons/use_case_list.html"
    context_object_name = "use_cases"

    def get_queryset(self):
        return UseCase.objects.published().with_recommendations()


def search(request):
    """Frameworks, features and sources matching `q` (full-text on PostgreSQL)."""
    query = request.GET.get("q", "")
    if len(query) > MAX_SEARCH_LENGTH:
        return error_page(
            request,
            f"Search for at most {MAX_SEARCH_LENGTH} characters; yours had {len(query):,}.",
        )
    if has_odd_characters(query):
        return error_page(request, "The search contains characters we cannot read.")
    query = " ".join(query.split())
    results = {}
    if query:
        results = {
            "frameworks": list(Framework.objects.search(query)[:20]),
            "features": list(Feature.objects.search(query).select_related("category")[:30]),
            "sources": list(Source.objects.search(query)[:20]),
        }
    context = {
        "query": query,
        "results": results,
        "result_count": sum(len(found) for found in results.values()),
    }
    return render(request, "comparisons/search.html", context)


def changes(request):
    return render(request, "comparisons/changes.html", {"changes": recent_changes(limit=60)})


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("comparisons:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


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

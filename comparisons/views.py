"""Public pages. Every queryset comes from a QuerySet method that applies `published()`.

The compare page reads its parameters with `CompareForm` and builds its matrix with
`build_matrix`, as the API's compare endpoint does, so the two take the same requests,
refuse the same ones, and agree cell for cell. Bad input never reaches
the database: it is answered with a 4xx page that says what was wrong.
"""

import logging
from urllib.parse import urlencode

from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import caching
from .feeds import recent_changes
from .forms import MAX_FRAMEWORKS, MAX_PARAMETER_LENGTH, CompareForm, has_odd_characters
from .links import url_pattern
from .matrix import SLUG_SEPARATOR, attach_claims, build_matrix, canonical_slug, matrix_body_html
from .models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    Framework,
    Point,
    Recommendation,
    Source,
    Support,
    UseCase,
)

MAX_SEARCH_LENGTH = 200

logger = logging.getLogger(__name__)


def error_page(request, message, *, status=400, template="400.html", **context):
    return render(request, template, {"message": message, **context}, status=status)


def compare_url(frameworks, params=None, *, query=""):
    """The matrix URL of a line-up, with the filters in `params` (or `query`, already encoded:
    a compare page links ~30 line-ups with the same filters)."""
    pattern = url_pattern("comparisons:compare-matrix", spec=None)
    url = pattern.format(spec=canonical_slug(frameworks))
    query = query or (urlencode(params, doseq=True) if params else "")
    return f"{url}?{query}" if query else url


def picker_context(selected=()):
    return {"frameworks": Framework.objects.published(), "selected": list(selected)}


def render_picker(request, *, message="", selected=(), status=200):
    context = {**picker_context(selected), "message": message}
    return render(request, "comparisons/compare_picker.html", context, status=status)


def refuse_comparison(request, form):
    """The page for a compare request the form refused: unknown frameworks are a 404 that
    names them and offers those that exist; too few frameworks, the picker (400); anything
    else, the 400 page with the form's message."""
    if form.unknown is not None:
        known = {framework.slug: framework for framework in form.published}
        context = {
            "message": form.unknown.message,
            "unknown": form.unknown.unknown,
            "known_frameworks": [known[slug] for slug in form.unknown.known],
        }
        return render(request, "comparisons/compare_unknown.html", context, status=404)
    errors = form.errors.as_data()
    if "frameworks" in errors and not errors.keys() - {"frameworks"}:
        return render_picker(request, message=form.first_error(), selected=form.slugs, status=400)
    retry_url = None
    if "category" in errors and "frameworks" not in errors:
        retry_url = compare_url(form.cleaned_data["frameworks"])
    return error_page(request, form.first_error(), categories=form.categories, retry_url=retry_url)


def filter_params(form):
    params = {}
    if form.cleaned_data["category"]:
        params["category"] = form.cleaned_data["category"]
    if form.cleaned_data["only_differences"]:
        params["only_differences"] = "1"
    return params


def compare(request):
    """/compare/?frameworks=a,b,c: the picker, or a redirect to the canonical matrix URL."""
    if "frameworks" not in request.GET:
        return render_picker(request)
    form = CompareForm.of_query(request.GET)
    if not form.is_valid():
        return refuse_comparison(request, form)
    return redirect(compare_url(form.cleaned_data["frameworks"], filter_params(form)))


def compare_matrix(request, spec):
    """/compare/a-vs-b-vs-c/: the matrix."""
    if len(spec) > MAX_PARAMETER_LENGTH:
        return error_page(request, "That comparison address is far too long to be real.")
    form = CompareForm.of_query(request.GET, frameworks=spec.split(SLUG_SEPARATOR))
    if not form.is_valid():
        return refuse_comparison(request, form)
    frameworks = form.cleaned_data["frameworks"]
    if spec != canonical_slug(frameworks):
        return redirect(compare_url(frameworks, filter_params(form)), permanent=True)
    matrix = build_matrix(
        frameworks,
        category_slugs=form.cleaned_data["category"],
        only_differences=form.cleaned_data["only_differences"],
    )
    query = urlencode(filter_params(form), doseq=True)
    chosen = {framework.pk for framework in frameworks}
    context = {
        "matrix": matrix,
        "frameworks": frameworks,
        "row_count": len(matrix.rows),
        "disputed_count": matrix.disputed_count,
        "filtered": bool(query),
        "unfiltered_url": compare_url(frameworks),
        # Change the line-up: one more framework, or one fewer (never below two).
        "others": [
            {"framework": other, "url": compare_url([*frameworks, other], query=query)}
            for other in form.published
            if other.pk not in chosen
        ][: MAX_FRAMEWORKS - len(frameworks)],
        "columns_removable": len(frameworks) > 2,
        "removals": [
            {
                "framework": framework,
                "url": compare_url([kept for kept in frameworks if kept != framework], query=query),
            }
            for framework in frameworks
        ],
        "canonical_url": request.build_absolute_uri(compare_url(frameworks)),
        "matrix_body": matrix_body_html(matrix),
    }
    return render(request, "comparisons/compare.html", context)


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
            # One column of the matrix: every published feature, by category.
            matrix=build_matrix([framework]),
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
        matrix = build_matrix(
            [support.framework], features=Feature.objects.filter(pk=support.feature_id)
        )
        context.update(
            cell=matrix.cells[0],
            claims=support.claims.all(),
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
        matrix = build_matrix(
            Framework.objects.published(), features=Feature.objects.filter(pk=feature.pk)
        )
        context["cells"] = attach_claims(matrix.cells)
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
        return UseCase.objects.published().with_recommendations().with_preset()


class UseCaseDetailView(DraftPreviewMixin, DetailView):
    """One use case: what the sources recommend for it, by framework, and its preset, from
    which "Start from this" opens the choose page."""

    template_name = "comparisons/use_case_detail.html"
    context_object_name = "use_case"

    def get_queryset(self):
        return UseCase.objects.published().with_recommendations().with_preset()


def choose(request):
    """/choose/: the requirements form, and for a canonical query the ranked answer."""
    return render(request, "comparisons/choose.html", {})


class ChooseMethodView(TemplateView):
    template_name = "comparisons/choose_method.html"


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


def dependencies():
    """{"database": …, "cache": …}: "ok", or "unreachable" when a probe fails (whatever
    its error: any failure means the site cannot use it)."""
    found = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        found["database"] = "ok"
    except Exception as error:
        logger.warning("Health: the database is unreachable: %r", error)
        found["database"] = "unreachable"
    try:
        # Written, as invalidation must be able to write the content state.
        caching.cache.set("versus:health-probe", 1, timeout=10)
        found["cache"] = "ok"
    except Exception as error:
        logger.warning("Health: the cache is unreachable: %r", error)
        found["cache"] = "unreachable"
    if found["database"] != "ok":
        found = {"status": "down", **found}
    elif found["cache"] != "ok":
        found = {"status": "degraded", **found}  # served from the database, uncached
    else:
        found = {"status": "ok", **found}
    return found


@never_cache
def healthz(request):
    """For monitors: 200 only when every dependency answers; 503 names what does not."""
    found = dependencies()
    return JsonResponse(found, status=200 if found["status"] == "ok" else 503)


@never_cache
def readyz(request):
    """For load balancers: 200 while this process can serve (without the cache, pages and
    API reads come from the database, uncached); 503 when the database is unreachable."""
    found = dependencies()
    return JsonResponse(found, status=503 if found["status"] == "down" else 200)

"""Public pages. Every queryset comes from a QuerySet method that applies `published()`.

The compare page reads its parameters with `CompareForm` and builds its matrix with
`build_matrix`, as the API's compare endpoint does, so the two take the same requests,
refuse the same ones, and agree cell for cell. Bad input never reaches
the database: it is answered with a 4xx page that says what was wrong.
"""

import logging
from datetime import timedelta
from fractions import Fraction
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import caching, choosing, tasks
from .feeds import CHANGE_SOURCES, SOURCES_BY_KIND, ChangeFilters, change_pages, page_changes
from .forms import (
    FRAMEWORK_FIELDS,
    MAX_FRAMEWORKS,
    MAX_PARAMETER_LENGTH,
    ChooseForm,
    CompareForm,
    has_odd_characters,
)
from .links import url_pattern
from .matrix import (
    DIFFERS_RULE,
    SLUG_SEPARATOR,
    attach_claims,
    build_matrix,
    canonical_slug,
    matrix_body_html,
    transposed_html,
)
from .models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    Framework,
    Point,
    Recommendation,
    RegistrySnapshot,
    Source,
    Support,
    UseCase,
)
from .querysets import REGISTRY_SNAPSHOT_AGE_DAYS
from .search import named_frameworks, search_everything
from .timeline import release_timeline

MAX_SEARCH_LENGTH = 200

logger = logging.getLogger(__name__)


def error_page(request, message, *, status=400, template="400.html", **context):
    return render(request, template, {"message": message, **context}, status=status)


def compare_url(frameworks, params=None, *, query=""):
    """The matrix URL of a line-up, with the filters in `params` (or `query`, already encoded:
    a compare page links ~30 line-ups with the same filters)."""
    pattern = url_pattern("comparisons:compare-matrix", spec=None)
    url = pattern.format(spec=canonical_slug(frameworks))
    query = query or encode_filters(params)
    return f"{url}?{query}" if query else url


def encode_filters(params):
    """The query string of `filter_params`; commas stay commas (`features=a,b`): no slug has
    one, so the list reads as written."""
    return urlencode(params, doseq=True, safe=",") if params else ""


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
    if errors.keys() & {"category", "features"} and "frameworks" not in errors:
        retry_url = compare_url(form.cleaned_data["frameworks"])
    return error_page(request, form.first_error(), categories=form.categories, retry_url=retry_url)


def filter_params(form):
    """The filters a compare URL carries, each in one spelling; `features` comma-joined in
    slug order, so that one set of features has one address."""
    params = {}
    if form.cleaned_data["category"]:
        params["category"] = form.cleaned_data["category"]
    if form.cleaned_data["features"]:
        params["features"] = ",".join(sorted(form.cleaned_data["features"]))
    if form.cleaned_data["only_differences"]:
        params["only_differences"] = "1"
    if form.cleaned_data["transpose"]:
        params["transpose"] = "1"
    return params


def compare(request):
    """/compare/?frameworks=a,b,c: the picker, or a permanent redirect to the one address of
    that set of frameworks (`canonical_slug`)."""
    if "frameworks" not in request.GET:
        return render_picker(request)
    form = CompareForm.of_query(request.GET)
    if not form.is_valid():
        return refuse_comparison(request, form)
    return redirect(
        compare_url(form.cleaned_data["frameworks"], filter_params(form)), permanent=True
    )


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
        features=form.chosen_features(),
    )
    params = filter_params(form)
    query = encode_filters(params)
    other_filters = {name: value for name, value in params.items() if name != "features"}
    chosen = {framework.pk for framework in frameworks}
    context = {
        "matrix": matrix,
        "frameworks": frameworks,
        "row_count": len(matrix.rows),
        "disputed_count": matrix.disputed_count,
        "outdated_count": matrix.outdated_count,
        "filtered": bool(query),
        "unfiltered_url": compare_url(frameworks),
        # Rows restricted to some features (a recommendation's "compare these"): the filter
        # form carries them, and one link drops them alone.
        "chosen_features": params.get("features", ""),
        "chosen_feature_count": len(form.cleaned_data["features"]),
        "every_feature_url": compare_url(frameworks, other_filters),
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
        "transposed": form.cleaned_data["transpose"],
        "matrix_body": (transposed_html if form.cleaned_data["transpose"] else matrix_body_html)(
            matrix
        ),
        "differs_rule": DIFFERS_RULE,
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
            **registry_context(framework),
            others=[
                {"framework": other, "url": compare_url([framework, other])}
                for other in Framework.objects.published().exclude(pk=framework.pk)
            ],
        )
        return context


def registry_context(framework):
    """The framework page's registry snapshot, its timeline and its source (two queries)."""
    snapshot = RegistrySnapshot.objects.latest_for(framework)
    today = timezone.localdate()
    context = {"snapshot": snapshot, "index_name": settings.PACKAGE_INDEX_NAME}
    if snapshot is not None:
        context.update(
            timeline=release_timeline(snapshot.releases, today=today),
            snapshot_aged=snapshot.taken_on < today - timedelta(days=REGISTRY_SNAPSHOT_AGE_DAYS),
            snapshot_age_days=REGISTRY_SNAPSHOT_AGE_DAYS,
            registry_source=Source.objects.published()
            .filter(slug=framework.registry_source_slug)
            .first(),
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
        claims = support.claims.all()
        context.update(
            task=tasks.TASKS_BY_SLUG.get(tasks.FEATURE_TASKS.get(support.feature.slug, "")),
            cell=matrix.cells[0],
            claims=claims,
            newest_evidence=max(
                (claim.source.as_of for claim in claims if claim.source.as_of), default=None
            ),
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
        return Source.objects.published().with_frameworks().with_claim_counts().primary_first()


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


def requirement_sections(selected):
    """The choose form's rows: every published capability and rating feature by category,
    each with its options (values spelt as in the canonical query: those in `selected` are
    selected). Two queries."""
    features = (
        Feature.objects.published()
        .filter(kind__in=[Feature.Kind.CAPABILITY, Feature.Kind.RATING])
        .in_display_order()
        .prefetch_related("scale_points")
    )

    def options(values_labels):
        return [(value, label, value in selected) for value, label in values_labels]

    sections = {}
    for feature in features:
        slug = feature.slug
        row = {"feature": feature}
        if feature.kind == Feature.Kind.CAPABILITY:
            levels = reversed(choosing.MUST_LEVELS.items())
            row["must"] = options((f"{slug}:{level}", label) for level, label in levels)
            weights = choosing.WEIGHTS.items()
            row["nice"] = options((f"{slug}:{weight}", label) for weight, label in weights)
        else:
            points = sorted(feature.scale_points.all(), key=lambda point: point.value)
            if not points:
                continue
            # The end that reads well (its tone) first, e.g. "Gentle" before "Steep".
            first, last = points[0], points[-1]
            ends = list(dict.fromkeys([last, first] if last.tone == "positive" else [first, last]))
            row["prefer"] = [
                {
                    "label": f"{end.label} end",
                    "options": options(
                        (f"{slug}:{end.slug}:{weight}", f"{end.label}, {label}")
                        for weight, label in choosing.WEIGHTS.items()
                    ),
                }
                for end in ends
            ]
        section = sections.setdefault(
            feature.category.slug, {"category": feature.category, "rows": []}
        )
        section["rows"].append(row)
    return list(sections.values())


def raw_items(values):
    """The comma-separated items of a parameter's values, as the form spells them."""
    return {item.strip().lower() for value in values for item in value.split(",") if item.strip()}


def choose(request):
    """/choose/: the requirements form; with requirements in the query, the ranked answer.

    Any spelling the form understands (the form's own repeated fields, upper case, another
    order, a use case's preset) redirects to the one canonical query; a request the form
    refuses is a 400 with the form shown again and the message."""
    if not request.GET:
        return render_choose(request)
    query_string = request.META.get("QUERY_STRING", "")
    form = ChooseForm.of_query(request.GET, query_string)
    if not form.is_valid():
        return render_choose(request, form=form, status=400)
    canonical = form.canonical_query()
    # Compared decoded, so that a client that percent-encodes ':' and ',' is not sent round.
    if parse_qsl(canonical) != parse_qsl(query_string, keep_blank_values=True):
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)
    data = form.cleaned_data
    choice = None
    if data["requirements"]:
        choice = choosing.choose_for(data)
    return render_choose(request, form=form, choice=choice)


def choose_edit(request):
    """/choose/edit/?…: the form, filled in with the query's requirements, to change them."""
    form = ChooseForm.of_query(request.GET, request.META.get("QUERY_STRING", ""))
    return render_choose(request, form=form, status=200 if form.is_valid() else 400)


def render_choose(request, *, form=None, choice=None, status=200):
    """The choose page: the answer when there is one (with links to change it), else the
    form — filled in as asked, valid or not — with any errors."""
    context = {"answer": None, "errors": [], "use_case": None}
    if form is not None:
        context["errors"] = [message for messages in form.errors.values() for message in messages]
        if not form.errors:
            context["use_case"] = form.cleaned_data.get("use_case")
    if choice is not None:
        answer = choosing.presented(choice, every_line=False)
        context["standings_html"] = choosing.standings_html(answer)
        context.update(
            answer=answer, edit_url=f"{reverse('comparisons:choose-edit')}?{answer['query']}"
        )
        return render(request, "comparisons/choose.html", context, status=status)
    frameworks = (form.published if form is not None else []) or list(
        Framework.objects.published().only(*FRAMEWORK_FIELDS)
    )
    selected, chosen = set(), set()
    if form is not None:
        raw = {name: form.data.get(name) or [] for name in ("frameworks", *choosing.Kind)}
        selected = raw_items([*raw["must"], *raw["nice"], *raw["prefer"]])
        if not form.errors and form.cleaned_data["requirements"]:
            selected = {requirement.spelling for requirement in form.cleaned_data["requirements"]}
        chosen = raw_items(raw["frameworks"])
    context.update(
        sections=requirement_sections(selected),
        frameworks=frameworks,
        chosen=chosen or {framework.slug for framework in frameworks},
        use_cases=UseCase.objects.published(),
    )
    return render(request, "comparisons/choose.html", context, status=status)


class ChooseMethodView(TemplateView):
    template_name = "comparisons/choose_method.html"

    def get_context_data(self, **kwargs):
        shares = {
            level.label: choosing.points_text(Fraction(index, len(choosing.LEVEL_SCALE) - 1))
            for index, level in enumerate(choosing.LEVEL_SCALE)
        }
        return {
            **super().get_context_data(**kwargs),
            "level_shares": shares,
            "must_levels": choosing.MUST_LEVELS,
            "weights": choosing.WEIGHTS,
            "max_requirements": choosing.MAX_REQUIREMENTS,
            "close_call_percent": int(choosing.CLOSE_CALL_SHARE * 100),
        }


def search(request):
    """Every kind of published record matching `q` (`comparisons.search`), grouped by kind;
    a query naming two or more frameworks also offers their comparison."""
    query = request.GET.get("q", "")
    if len(query) > MAX_SEARCH_LENGTH:
        return error_page(
            request,
            f"Search for at most {MAX_SEARCH_LENGTH} characters; yours had {len(query):,}.",
        )
    if has_odd_characters(query):
        return error_page(request, "The search contains characters we cannot read.")
    query = " ".join(query.split())
    groups, comparison = [], None
    if query:
        groups = search_everything(query)
        named = named_frameworks(query)
        if len(named) >= 2:
            comparison = {"frameworks": named, "url": compare_url(named[:MAX_FRAMEWORKS])}
    context = {
        "query": query,
        "groups": groups,
        "comparison": comparison,
        "result_count": sum(len(group.results) for group in groups),
    }
    return render(request, "comparisons/search.html", context)


class BadChangeFilter(ValueError):
    pass


def change_filters(query):
    """The /changes/ filters of a query string; BadChangeFilter names a value it refuses."""
    kind = query.get("kind", "").strip()
    if kind and kind not in SOURCES_BY_KIND:
        known = ", ".join(SOURCES_BY_KIND)
        raise BadChangeFilter(f"There is no kind of record called “{kind[:80]}”; kinds: {known}.")
    framework = None
    slug = query.get("framework", "").strip()
    if slug:
        framework = Framework.objects.published().filter(slug=slug[:100]).first()
        if framework is None:
            raise BadChangeFilter(f"There is no published framework “{slug[:80]}”.")
        if kind and SOURCES_BY_KIND[kind].framework is None:
            raise BadChangeFilter(
                f"Changes to {SOURCES_BY_KIND[kind].plural} are not about one framework."
            )
    record = query.get("record", "").strip()
    if record:
        if not kind:
            raise BadChangeFilter("A record filter needs a kind too (?kind=cell&record=12).")
        if not record.isdigit() or len(record) > 18:
            raise BadChangeFilter(f"“{record[:80]}” is not a record number.")
    return ChangeFilters(kind=kind, framework=framework, record=int(record) if record else None)


def changes(request):
    """/changes/: every public change, newest first, a page at a time; ?kind=, ?framework=
    and ?record= narrow it, and a bad value is a 400 that names it."""
    try:
        filters = change_filters(request.GET)
    except BadChangeFilter as error:
        return error_page(request, str(error))
    paginator = change_pages(filters)
    number = request.GET.get("page", "1")
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        return error_page(request, f"“{number[:20]}” is not a page number.")
    except EmptyPage:
        raise Http404(f"There is no page {number[:20]} of recent changes.") from None
    narrowed = {
        "kind": filters.kind,
        "framework": filters.framework.slug if filters.framework else "",
        "record": filters.record or "",
    }
    context = {
        "changes": page_changes(page, filters),
        "page_obj": page,
        "paginator": paginator,
        "filters": filters,
        "filtered": any(narrowed.values()),
        "page_query": encode_filters({name: value for name, value in narrowed.items() if value}),
        "kinds": CHANGE_SOURCES,
        "frameworks": Framework.objects.published(),
    }
    return render(request, "comparisons/changes.html", context)


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


# --- The same task in each framework ------------------------------------------------------


def framework_names():
    """Framework names by slug, for the apps' folders (named by framework slug)."""
    return dict(Framework.objects.published().values_list("slug", "name"))


def task_list(request):
    names = framework_names()
    code = tasks.task_code()
    rows = [
        {
            "task": task,
            "code": [(names.get(c.framework, c.framework), c) for c in code.get(task.slug, [])],
        }
        for task in tasks.TASKS
    ]
    return render(request, "comparisons/task_list.html", {"rows": rows})


def task_detail(request, slug):
    task = tasks.TASKS_BY_SLUG.get(slug)
    if task is None:
        raise Http404("No such task.")
    names = framework_names()
    columns = [(names.get(c.framework, c.framework), c) for c in tasks.task_code().get(slug, [])]
    benchmarks = (
        Benchmark.objects.published().filter(task=slug).order_by("-measured_on")
        if task.benchmark_test
        else Benchmark.objects.none()
    )
    return render(
        request,
        "comparisons/task_detail.html",
        {"task": task, "columns": columns, "tasks": tasks.TASKS, "benchmarks": benchmarks},
    )

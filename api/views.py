"""The v1 resources: one viewset per record type, the comparison matrix, and tokens.

Every queryset is built here with its `select_related`/`prefetch_related`, so a list costs
the same number of queries whatever its page size. Users who may not change a model see
only `published()` records of it (and only published related records inside them).
"""

from collections import Counter

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.admin.utils import NestedObjects
from django.db import router as db_router
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from comparisons import choosing, models
from comparisons.forms import (
    MAX_FEATURES,
    MAX_FRAMEWORKS,
    MAX_PARAMETER_LENGTH,
    ChooseForm,
    CompareForm,
)
from comparisons.matrix import attach_claims, build_matrix
from comparisons.querysets import may_change, visible

from . import filters, serializers
from .conditional import IF_MATCH_PATTERN, check_if_match, record_etag
from .exceptions import Conflict, error_body
from .parsers import JSONParser
from .throttling import AnonRateThrottle, UserRateThrottle

SLUG_REGEX = r"[-a-zA-Z0-9_]+"
ID_REGEX = r"[0-9]{1,18}"


class SingleValuedQueryMixin:
    """Every query parameter of the API takes one value (lists are comma-separated, e.g.
    `ordering=name,-created_at`): a repeated one is a 400, not "the last one wins"."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        repeated = {
            name: [f"Give '{name}' once (it was given {len(values)} times)."]
            for name, values in request.query_params.lists()
            if len(values) > 1
        }
        if repeated:
            raise ValidationError(repeated)


def dependents(record):
    """What still depends on `record`, by API resource: {"claims": 53, "points": 24}.

    Everything a delete would take with it or is blocked by, found as the admin's delete
    page finds it (Django's own collector). Records the API does not serve on their own (a
    rating feature's scale points, a framework's milestones, links between records) are part
    of their record and go with it."""
    from .urls import router  # (the router imports this module)

    resources = {viewset.queryset.model: prefix for prefix, viewset, _ in router.registry}
    collector = NestedObjects(using=db_router.db_for_write(type(record)))
    collector.collect([record])
    counts = Counter()
    for model, records in collector.model_objs.items():
        if model in resources:
            counts[resources[model]] += sum(1 for other in records if other != record)
    for other in collector.protected:
        if type(other) in resources:
            counts[resources[type(other)]] += 1
    return {resource: count for resource, count in sorted(counts.items()) if count}


def refuse_if_depended_on(record):
    """A 409 naming what depends on `record`: the API never deletes more than it was asked."""
    depending = dependents(record)
    if not depending:
        return
    what = ", ".join(f"{count} {resource}" for resource, count in depending.items())
    error = Conflict(
        f"This {record._meta.verbose_name} is still used by {what}: delete those (or point "
        "them at another record) first."
    )
    error.extra = {"dependents": depending}
    raise error


class VersusViewSet(SingleValuedQueryMixin, viewsets.ModelViewSet):
    """Reads for everyone (drafts for editors only); writes atomic and permission-checked.

    A change or a delete re-reads its record under a row lock (held until the transaction
    commits), checks `If-Match` against it, and a change saves only the fields it sent: two
    writers of one record wait for each other instead of overwriting each other."""

    lookup_value_regex = ID_REGEX

    @property
    def user(self):
        return self.request.user

    def shows_drafts(self):
        return may_change(self.user, self.queryset.model)

    def get_queryset(self):
        queryset = self.build_queryset()
        return queryset if self.shows_drafts() else queryset.published()

    def build_queryset(self):
        raise NotImplementedError

    def locked_object(self):
        """The record of this URL, read again under its row lock (call in a transaction).
        Gone meanwhile (a delete committed while we waited for the lock): 404."""
        record = self.get_object()  # visibility and permissions, as for a read
        locked = type(record).objects.select_for_update().filter(pk=record.pk).first()
        if locked is None:
            raise NotFound(f"This {record._meta.verbose_name} was deleted meanwhile.")
        return locked

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = record_etag(response.data)
        return response

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().create(request, *args, **kwargs)
        response["ETag"] = record_etag(response.data)
        return response

    def get_success_headers(self, data):
        return {"Location": str(data["api_url"])} if "api_url" in data else {}

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            record = self.locked_object()
            check_if_match(request, record)
            serializer = self.get_serializer(record, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            # Every save moves the version on, as the admin's do (and as imports do).
            serializer.save(version=record.version + 1)
            data = serializer.data
        return Response(data, headers={"ETag": record_etag(data)})

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            record = self.locked_object()
            check_if_match(request, record)
            refuse_if_depended_on(record)
            record.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SlugLookupMixin:
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX


VERSIONING = (
    "Every save raises the record's `version` by one, and the record's `ETag` is that "
    'version (`"3"`). Send the ETag you read in `If-Match` and the change is refused with '
    "412 if someone saved in between. Only the fields you send are changed."
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=IF_MATCH_PATTERN,
    description='The `ETag` of the record your change is based on, e.g. `"3"` (a GET of the '
    "record returns it; the bare version, `3`, is taken too), or `*`.",
)


def response_header(name, description, *statuses, required=False):
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=list(statuses),
        required=required,
        description=description,
    )


RECORD_ETAG = "The record's version, quoted: send it back in `If-Match`."
PUBLIC_ETAG = "Anonymous reads: the public cache's tag, for `If-None-Match` (304)."
LAST_MODIFIED = response_header(
    "Last-Modified",
    "Anonymous reads: when any content last changed, for `If-Modified-Since` (304).",
    200,
)
READ_HEADERS = [response_header("ETag", PUBLIC_ETAG, 200), LAST_MODIFIED]
RECORD_READ_HEADERS = [
    response_header("ETag", f"{PUBLIC_ETAG} Signed-in reads: {RECORD_ETAG.lower()}", 200),
    LAST_MODIFIED,
]
LINK = response_header(
    "Link",
    'RFC 8288 links to the neighbouring pages, e.g. `<…?page=3>; rel="next", <…?page=1>; '
    'rel="prev"` (the same URLs as `next` and `previous`).',
    200,
)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the `If-None-Match` (or `If-Modified-Since`) you sent is still "
    "current (anonymous reads, answered by the public cache)."
)


def error(description, example_message, code, status_code, **extra):
    return OpenApiResponse(
        serializers.ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(
                f"{status_code}",
                value=error_body(status_code, code, example_message, **extra),
                status_codes=[str(status_code)],
            )
        ],
    )


STALE = error(
    "Precondition failed: the record is no longer at the version your `If-Match` names "
    "(someone saved it since you read it). Nothing was changed.",
    "This cell was changed by ada while you were editing it (changed: summary). Your edit "
    "was not saved, so their change is kept; reload to see it, then make your edit again.",
    "precondition_failed",
    412,
)
DEPENDED_ON = error(
    "Still in use: other records depend on this one (counted by resource in `dependents`). "
    "Nothing was deleted; delete those, or point them at another record, first.",
    "This source is still used by 53 claims, 24 points, 5 recommendations: delete those "
    "(or point them at another record) first.",
    "conflict",
    409,
    dependents={"claims": 53, "points": 24, "recommendations": 5},
)


def crud_docs(singular, plural, *, lookup="slug", extra=""):
    """Summaries, descriptions, statuses and headers of the six operations of a resource."""
    by = f"by {lookup}"

    def document(viewset):
        record = viewset.serializer_class
        return extend_schema_view(
            list=extend_schema(
                summary=f"List {plural}",
                description=f"A page of {plural}. {extra}Drafts are listed only for users who "
                "may change them.",
                responses={200: record(many=True), 304: NOT_MODIFIED},
                parameters=[*READ_HEADERS, LINK],
            ),
            retrieve=extend_schema(
                summary=f"Get one {singular} {by}",
                description=f"A draft {singular} is a 404 for users who may not change it.",
                responses={200: record, 304: NOT_MODIFIED},
                parameters=RECORD_READ_HEADERS,
            ),
            create=extend_schema(
                summary=f"Create a {singular}",
                description=f"Needs the 'add' permission on {plural}. Validated like the "
                "admin. `Location` names the new record.",
                responses={201: record},
                parameters=[
                    response_header(
                        "Location", "The new record's URL (its `api_url`).", 201, required=True
                    ),
                    response_header("ETag", RECORD_ETAG, 201, required=True),
                ],
            ),
            update=extend_schema(
                summary=f"Replace a {singular}",
                description=f"Needs the 'change' permission on {plural}. {VERSIONING}",
                parameters=[IF_MATCH, response_header("ETag", RECORD_ETAG, 200, required=True)],
                responses={200: record, 412: STALE},
            ),
            partial_update=extend_schema(
                summary=f"Change some fields of a {singular}",
                description=f"Needs the 'change' permission on {plural}. {VERSIONING}",
                parameters=[IF_MATCH, response_header("ETag", RECORD_ETAG, 200, required=True)],
                responses={200: record, 412: STALE},
            ),
            destroy=extend_schema(
                summary=f"Delete a {singular}",
                description=f"Needs the 'delete' permission on {plural}. Refused with 409, "
                "naming them, while other records still depend on it (the API never deletes "
                "more than the one record); with a stale `If-Match`, 412.",
                parameters=[IF_MATCH],
                responses={204: None, 409: DEPENDED_ON, 412: STALE},
            ),
        )(viewset)

    return document


@crud_docs("framework", "frameworks")
class FrameworkViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.Framework.objects.all()
    serializer_class = serializers.FrameworkSerializer
    filterset_class = filters.FrameworkFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["name", "slug", "first_release_year", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Framework.objects.prefetch_related(
            Prefetch("builds_on", queryset=visible(models.Framework, self.user)),
            Prefetch(
                "registry_snapshots",
                queryset=models.RegistrySnapshot.objects.current(),
                to_attr="current_snapshot",
            ),
        )


@crud_docs("category", "categories", extra="Categories without a published feature are hidden. ")
class FeatureCategoryViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.FeatureCategory.objects.all()
    serializer_class = serializers.FeatureCategorySerializer
    search_fields = ["name", "description"]
    ordering_fields = ["position", "name", "slug", "created_at", "updated_at"]

    def shows_drafts(self):
        return may_change(self.user, models.Feature)

    def build_queryset(self):
        return models.FeatureCategory.objects.prefetch_related(
            Prefetch("features", queryset=visible(models.Feature, self.user))
        )


@crud_docs("feature", "features")
class FeatureViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.Feature.objects.all()
    serializer_class = serializers.FeatureSerializer
    filterset_class = filters.FeatureFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["name", "slug", "position", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Feature.objects.in_display_order().prefetch_related("scale_points")


@crud_docs(
    "cell",
    "cells (supports)",
    lookup="id",
    extra="Each cell is one framework × one feature: the editor's verdict, the claims of the "
    "sources about it, and whether they disagree (`disputed`). ",
)
class SupportViewSet(VersusViewSet):
    queryset = models.Support.objects.all()
    serializer_class = serializers.SupportSerializer
    filterset_class = filters.SupportFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["id", "framework__name", "feature__name", "last_verified", "updated_at"]

    def build_queryset(self):
        if self.action in ("list", "retrieve"):
            return models.Support.objects.all()  # read as rows: `serializers.cell_rows`
        return models.Support.objects.with_related()

    def list(self, request, *args, **kwargs):
        rows = serializers.cell_rows(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializers.cells_data(page, request))

    def retrieve(self, request, *args, **kwargs):
        rows = serializers.cell_rows(self.filter_queryset(self.get_queryset()))
        row = get_object_or_404(rows, pk=self.kwargs["pk"])
        return Response(
            serializers.cells_data([row], request)[0], headers={"ETag": record_etag(row)}
        )


@crud_docs("source", "sources")
class SourceViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.Source.objects.all()
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["published_on", "title", "slug", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Source.objects.prefetch_related(
            Prefetch("frameworks", queryset=visible(models.Framework, self.user))
        )


@crud_docs("claim", "claims", lookup="id")
class ClaimViewSet(VersusViewSet):
    queryset = models.Claim.objects.all()
    serializer_class = serializers.ClaimSerializer
    filterset_class = filters.ClaimFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["id", "source__title", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Claim.objects.select_related(
            "source", "support__framework", "support__feature", "support__rating", "rating"
        )


@crud_docs("benchmark", "benchmarks", extra="Each benchmark carries all its results. ")
class BenchmarkViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.Benchmark.objects.all()
    serializer_class = serializers.BenchmarkSerializer
    filterset_class = filters.BenchmarkFilter
    search_fields = ["title", "workload", "metric", "server", "hardware", "caveats"]
    ordering_fields = ["title", "slug", "measured_on", "created_at", "updated_at"]

    def build_queryset(self):
        results = models.BenchmarkResult.objects.select_related("framework")
        if not may_change(self.user, models.Framework):
            results = results.filter(framework__status=models.Status.PUBLISHED)
        return models.Benchmark.objects.select_related("source").prefetch_related(
            Prefetch("results", queryset=results)
        )


@crud_docs("benchmark result", "benchmark results", lookup="id")
class BenchmarkResultViewSet(VersusViewSet):
    queryset = models.BenchmarkResult.objects.all()
    serializer_class = serializers.BenchmarkResultSerializer
    filterset_class = filters.BenchmarkResultFilter
    search_fields = ["server", "notes", "framework__name", "benchmark__title"]
    ordering_fields = ["id", "rank", "value", "created_at", "updated_at"]

    def build_queryset(self):
        return models.BenchmarkResult.objects.select_related("benchmark", "framework")


@crud_docs("strength or weakness", "strengths and weaknesses (points)", lookup="id")
class PointViewSet(VersusViewSet):
    queryset = models.Point.objects.all()
    serializer_class = serializers.PointSerializer
    filterset_class = filters.PointFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["id", "position", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Point.objects.select_related("framework", "source")


@crud_docs("use case", "use cases", extra="Each use case carries its recommendations. ")
class UseCaseViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.UseCase.objects.all()
    serializer_class = serializers.UseCaseSerializer
    filterset_class = filters.UseCaseFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["position", "name", "slug", "created_at", "updated_at"]

    def build_queryset(self):
        return models.UseCase.objects.with_preset().prefetch_related(
            Prefetch(
                "recommendations",
                queryset=visible(models.Recommendation, self.user).select_related(
                    "framework", "source"
                ),
            )
        )


@crud_docs("recommendation", "recommendations", lookup="id")
class RecommendationViewSet(VersusViewSet):
    queryset = models.Recommendation.objects.all()
    serializer_class = serializers.RecommendationSerializer
    filterset_class = filters.RecommendationFilter
    # search: the QuerySet's `search_fields` (api.filters.StrictSearchFilter)
    ordering_fields = ["id", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Recommendation.objects.select_related("use_case", "framework", "source")


SLUG_LIST = r"^[a-zA-Z0-9][-a-zA-Z0-9_]*$"  # what CompareForm takes (case is forgiven)


def slug_list_schema(**bounds):
    return {
        "type": "array",
        "items": {"type": "string", "pattern": SLUG_LIST, "maxLength": 80},
        **bounds,
    }


COMPARE_PARAMETERS = [
    OpenApiParameter(
        "frameworks",
        slug_list_schema(minItems=2, maxItems=MAX_FRAMEWORKS, uniqueItems=True),
        OpenApiParameter.QUERY,
        required=True,
        style="form",
        explode=False,
        description=f"Two to {MAX_FRAMEWORKS} framework slugs, comma-separated, in column "
        "order, e.g. `django,flask` (upper case is read as lower case).",
    ),
    OpenApiParameter(
        "category",
        slug_list_schema(maxItems=MAX_FRAMEWORKS),
        OpenApiParameter.QUERY,
        style="form",
        explode=False,
        description="Only these categories (slugs, comma-separated). An unknown one is a 400.",
    ),
    OpenApiParameter(
        "features",
        slug_list_schema(maxItems=MAX_FEATURES),
        OpenApiParameter.QUERY,
        style="form",
        explode=False,
        description=f"Only these features (up to {MAX_FEATURES} slugs, comma-separated), e.g. "
        "`async-support,orm`; the rows keep the matrix's order, and with `category` only "
        "the features in those categories are shown. An unknown one is a 400.",
    ),
    OpenApiParameter(
        "only_differences",
        OpenApiTypes.BOOL,
        OpenApiParameter.QUERY,
        description="`true`: only the rows whose cells do not all agree.",
    ),
]


def refused(form):
    """The API error for a request the page's form refused: the page's, as JSON (unknown
    frameworks are a 404 on compare, a 400 on choose, as on the pages)."""
    if getattr(form, "unknown", None) is not None:
        error = NotFound(form.unknown.message)
        error.extra = {"unknown": form.unknown.unknown, "known": form.unknown.known}
        return error
    return ValidationError({name: list(messages) for name, messages in form.errors.items()})


class PageAnswerView(SingleValuedQueryMixin, generics.GenericAPIView):
    """What a public page answers, as JSON: open to anyone, one object, no list machinery."""

    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []


class CompareView(PageAnswerView):
    """The comparison matrix, exactly as the compare page renders it."""

    serializer_class = serializers.MatrixSerializer

    @extend_schema(
        operation_id="compare",
        summary="Compare frameworks feature by feature",
        description="The matrix of the compare page: features grouped by category, one cell "
        "per framework with its verdict (`reading`), summary, packages, notes, whether it is "
        "disputed, and the claims of every source about it. Missing cells read 'missing'.",
        parameters=[*COMPARE_PARAMETERS, *READ_HEADERS],
        responses={
            200: serializers.MatrixSerializer,
            304: NOT_MODIFIED,
            404: OpenApiResponse(
                serializers.ErrorSerializer,
                description="Some framework slugs are unknown (`unknown`); `known` lists "
                "the slugs you can use.",
                examples=[
                    OpenApiExample(
                        "Unknown framework",
                        value=error_body(
                            404,
                            "not_found",
                            "Unknown framework: 'rails'.",
                            unknown=["rails"],
                            known=["django", "django-rest-framework", "fastapi", "flask"],
                        ),
                    )
                ],
            ),
        },
        tags=["compare"],
    )
    def get(self, request):
        form = CompareForm.of_query(request.query_params)
        if not form.is_valid():
            raise refused(form)
        matrix = build_matrix(
            form.cleaned_data["frameworks"],
            category_slugs=form.cleaned_data["category"],
            only_differences=form.cleaned_data["only_differences"],
            features=form.chosen_features(),
        )
        attach_claims(matrix.cells)
        return Response(self.get_serializer(matrix).data)


REQUIREMENT_LIST = r"^[a-zA-Z0-9_:,-]*$"


def requirements_parameter(name, description):
    """A choose parameter: requirements, comma-separated (what ChooseForm reads)."""
    return OpenApiParameter(
        name,
        {"type": "string", "pattern": REQUIREMENT_LIST, "maxLength": MAX_PARAMETER_LENGTH},
        OpenApiParameter.QUERY,
        description=description,
    )


CHOOSE_PARAMETERS = [
    requirements_parameter(
        "must",
        "Must-haves on capability features, comma-separated, each `feature:level` with the "
        "lowest level that will do: `partial`, `extension` or `native`. E.g. "
        "`async-support:extension,orm:native`.",
    ),
    requirements_parameter(
        "nice",
        "Nice-to-have capabilities, each `feature:weight` (weight 1 to 3, "
        f"{choosing.DEFAULT_WEIGHT} if left out). E.g. `websockets:2`.",
    ),
    requirements_parameter(
        "prefer",
        "Preferences on rating features, each `feature:end:weight`, `end` being the slug of "
        "the first or last point of the feature's scale. E.g. `learning-curve:gentle:3`.",
    ),
    OpenApiParameter(
        "frameworks",
        slug_list_schema(minItems=2, uniqueItems=True),
        OpenApiParameter.QUERY,
        style="form",
        explode=False,
        description="The frameworks to consider (slugs, comma-separated); every published "
        "one if left out.",
    ),
    OpenApiParameter(
        "use_case",
        {"type": "string", "pattern": SLUG_LIST, "maxLength": 100},
        OpenApiParameter.QUERY,
        description="A use case's slug: its preset is the requirements when none are given, "
        "and `recommendations` says what the sources recommend for it.",
    ),
]
CHOOSE_EXAMPLE = (
    "/api/v1/choose/?must=async-support:partial&nice=websockets:2&prefer=learning-curve:gentle:3"
)


EXAMPLE_CELL = {
    "url": "/frameworks/flask/websockets/",
    "reading": "extension",
    "label": "Via extension",
    "source_count": 1,
    "disputed": False,
}
CHOOSE_RESPONSE_EXAMPLE = OpenApiExample(
    "A ranking (shortened: one standing, one line, one note)",
    value={
        "query": "must=async-support:partial&nice=websockets:2&prefer=learning-curve:gentle:3",
        "requirements": [
            {"feature": "websockets", "feature_name": "WebSockets", "kind": "nice", "level": "",
             "end": "", "weight": 2, "text": "Nice to have: matters (\u00d72)"},
        ],
        "possible": 5,
        "first": ["flask"],
        "headline": "Flask ranks first, with 4.33 of 5 points.",
        "standings": [
            {"framework": "flask", "name": "Flask", "group": "meets", "position": 1,
             "tied": False, "score": 4.333, "score_exact": "13/3", "unknown_weight": 0,
             "summary": "4.33 of 5 points", "failed": [], "unconfirmed": [],
             "lines": [
                 {"feature": "websockets", "feature_name": "WebSockets",
                  "requirement": "Nice to have: matters (\u00d72)", "kind": "nice",
                  "outcome": "scored", "reading": "Via extension", "points": 1.333,
                  "weight": 2, "cell": EXAMPLE_CELL},
             ]},
        ],
        "close_call": "",
        "disputes": "The sources disagree on 4 of the cells these requirements touch; how 4 "
        "of them are read could change the answer:",
        "notes": [
            {"text": "Flask ranks first unless FastAPI's Learning curve is read as \u201cPicking "
             "FastAPI, Flask or Django for a multi-LLM REST API\u201d reads it (gentle): then "
             "FastAPI would rank first.", "kind": "first", "framework": "fastapi",
             "feature": "learning-curve", "reading": "Gentle",
             "sources": ["llm-api-framework-choice"], "first": ["fastapi"],
             "cell": {**EXAMPLE_CELL, "url": "/frameworks/fastapi/learning-curve/",
                      "reading": "moderate", "label": "Moderate", "source_count": 4,
                      "disputed": True}},
        ],
        "use_case": None,
        "recommendations": [],
        "compare_url": "/compare/django-vs-django-rest-framework-vs-fastapi-vs-flask/"
        "?features=async-support,learning-curve,websockets",
    },
    response_only=True,
    status_codes=["200"],
)  # fmt: skip


class ChooseView(PageAnswerView):
    """The ranked answer of the choose page, for the same query."""

    serializer_class = serializers.ChooseSerializer

    @extend_schema(
        operation_id="choose",
        summary="Rank frameworks against requirements",
        description="What `/choose/` shows for the same query: the frameworks meeting every "
        "must-have ranked by points, those whose must-haves the evidence cannot confirm, "
        "those failing one, each with a line per requirement (the cell's reading, its "
        "source count, whether it is disputed); a note for each source's reading of a "
        "disputed cell that would change who ranks first or who meets the must-haves; and, "
        "with a use case, what the sources recommend for it. The method: `/choose/method/`. "
        f"Example: `{CHOOSE_EXAMPLE}`.",
        parameters=[*CHOOSE_PARAMETERS, *READ_HEADERS],
        responses={
            200: OpenApiResponse(
                serializers.ChooseSerializer,
                description="The ranked answer.",
                examples=[CHOOSE_RESPONSE_EXAMPLE],
            ),
            304: NOT_MODIFIED,
            400: error(
                "The request cannot be answered: an unknown feature, framework or use case, "
                "a level or weight out of range, a feature asked for twice, more than "
                f"{choosing.MAX_REQUIREMENTS} requirements, no requirement at all, or a "
                "request too long. Messages per parameter in `fields`.",
                "There is no feature called 'graphql'.",
                "invalid",
                400,
                fields={"must": ["There is no feature called 'graphql'."]},
            ),
        },
        tags=["choose"],
    )
    def get(self, request):
        form = ChooseForm.of_query(request.query_params, request.META.get("QUERY_STRING", ""))
        if not form.is_valid():
            raise refused(form)
        if not form.cleaned_data["requirements"]:
            raise ValidationError(
                {"must": ["State at least one requirement: must, nice or prefer (or a use_case "
                          "with a preset)."]}
            )  # fmt: skip
        choice = choosing.choose_for(form.cleaned_data)
        return Response(self.get_serializer(choosing.presented(choice)).data)


class TokenView(SingleValuedQueryMixin, ObtainAuthToken):
    # JSON only, as everywhere else (DRF's default for this view also takes forms): one
    # request body, declared once in the schema.
    parser_classes = [JSONParser]
    serializer_class = serializers.AuthTokenSerializer
    # Unlike DRF's default for this view: guessing passwords is rate-limited like the rest.
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get your API token",
        description="Trade a username and password for the account's token, then send it on "
        "every write as `Authorization: Token <token>`. The same token is returned each time. "
        "Wrong credentials are a 400. After too many failed attempts for one account or from "
        "one address, sign-ins (here and in the admin) are refused with 429 for a while, even "
        "with the right password; `Retry-After` says for how long.",
        request=serializers.AuthTokenSerializer,
        responses={200: serializers.TokenSerializer},
        examples=[
            OpenApiExample(
                "Credentials",
                value={"username": "editor", "password": "correct horse battery staple"},
                request_only=True,
            ),
            OpenApiExample(
                "Token",
                value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
                response_only=True,
            ),
        ],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # django-axes refused a locked-out sign-in (AxesStandaloneBackend) or locked this
            # one out, and flagged the request; its middleware only sees Django's request, so
            # the lock-out is answered here, in the API's error shape.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(
                    wait=get_cool_off(request).total_seconds(),
                    detail="Too many failed sign-ins for this account or from this address.",
                )
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # A sign-in like the admin's, for django-axes: logged, and the failures forgotten.
        AxesProxyHandler.user_logged_in(sender=type(self), request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

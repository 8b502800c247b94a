"""The v1 resources: one viewset per record type, the comparison matrix, and tokens.

Every queryset is built here with its `select_related`/`prefetch_related`, so a list costs
the same number of queries whatever its page size. Users who may not change a model see
only `published()` records of it (and only published related records inside them).
"""

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
from rest_framework import generics, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from comparisons import models
from comparisons.editorial import EditConflict, record_check_version
from comparisons.forms import MAX_FRAMEWORKS, CompareForm
from comparisons.matrix import attach_claims, build_matrix

from . import filters, serializers
from .exceptions import Conflict, error_body
from .parsers import JSONParser
from .throttling import AnonRateThrottle, UserRateThrottle

SLUG_REGEX = r"[-a-zA-Z0-9_]+"
ID_REGEX = r"[0-9]{1,18}"


def expected_version(request):
    """The version named in `If-Match` ("3" or an ETag-style "\"3\""), or None."""
    raw = request.headers.get("If-Match", "").strip().strip('"')
    if not raw or raw == "*":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise ValidationError({"If-Match": ["Give the record's version, a whole number."]})
    return int(raw)


def may_change(user, model):
    meta = model._meta
    return user.is_authenticated and user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


def visible(model, user):
    """The records of `model` this user may read: all for its editors, else the published."""
    queryset = model.objects.all()
    return queryset if may_change(user, model) else queryset.published()


class VersusViewSet(viewsets.ModelViewSet):
    """Reads for everyone (drafts for editors only); writes atomic and permission-checked."""

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

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def perform_update(self, serializer):
        """Every save moves the record's version on, as the admin's do, so an editor who
        opened it earlier in the admin (or sent an older `If-Match`) cannot overwrite it."""
        try:
            version = record_check_version(
                record=serializer.instance, expected_version=expected_version(self.request)
            )
        except EditConflict as error:
            raise Conflict(str(error)) from error
        serializer.save(version=version)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)


class SlugLookupMixin:
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX


VERSIONING = (
    "Every save raises the record's `version` by one. Send the version you read in "
    "`If-Match` and the change is refused with 409 if someone saved in between."
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=r"^[0-9]{1,9}$",
    description="The `version` your change is based on.",
)


def crud_docs(singular, plural, *, lookup="slug", extra=""):
    """Summaries and descriptions for the six operations of a resource."""
    by = f"by {lookup}"
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=f"A page of {plural}. {extra}Drafts are listed only for users who "
            "may change them.",
        ),
        retrieve=extend_schema(
            summary=f"Get one {singular} {by}",
            description=f"A draft {singular} is a 404 for users who may not change it.",
        ),
        create=extend_schema(
            summary=f"Create a {singular}",
            description=f"Needs the 'add' permission on {plural}. Validated like the admin.",
        ),
        update=extend_schema(
            summary=f"Replace a {singular}",
            description=f"Needs the 'change' permission on {plural}. {VERSIONING}",
            parameters=[IF_MATCH],
        ),
        partial_update=extend_schema(
            summary=f"Change some fields of a {singular}",
            description=f"Needs the 'change' permission on {plural}. {VERSIONING}",
            parameters=[IF_MATCH],
        ),
        destroy=extend_schema(
            summary=f"Delete a {singular}",
            description=f"Needs the 'delete' permission on {plural}. Refused with 409 while "
            "other records still depend on it.",
        ),
    )


@crud_docs("framework", "frameworks")
class FrameworkViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.Framework.objects.all()
    serializer_class = serializers.FrameworkSerializer
    filterset_class = filters.FrameworkFilter
    search_fields = ["name", "tagline", "summary", "foundations", "creators"]
    ordering_fields = ["name", "slug", "first_release_year", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Framework.objects.prefetch_related(
            Prefetch("builds_on", queryset=visible(models.Framework, self.user))
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
    search_fields = ["name", "description"]
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
    search_fields = ["summary", "packages", "notes", "framework__name", "feature__name"]
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
        return Response(serializers.cells_data([row], request)[0])


@crud_docs("source", "sources")
class SourceViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.Source.objects.all()
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    search_fields = ["title", "author", "publisher", "summary", "conclusion"]
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
    search_fields = ["statement", "source_label", "source__title"]
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
    search_fields = ["text", "framework__name"]
    ordering_fields = ["id", "position", "created_at", "updated_at"]

    def build_queryset(self):
        return models.Point.objects.select_related("framework", "source")


@crud_docs("use case", "use cases", extra="Each use case carries its recommendations. ")
class UseCaseViewSet(SlugLookupMixin, VersusViewSet):
    queryset = models.UseCase.objects.all()
    serializer_class = serializers.UseCaseSerializer
    filterset_class = filters.UseCaseFilter
    search_fields = ["name", "description"]
    ordering_fields = ["position", "name", "slug", "created_at", "updated_at"]

    def build_queryset(self):
        return models.UseCase.objects.prefetch_related(
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
    search_fields = ["rationale", "use_case__name", "framework__name"]
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
        "only_differences",
        OpenApiTypes.BOOL,
        OpenApiParameter.QUERY,
        description="`true`: only the rows whose cells do not all agree.",
    ),
]


def refused(form):
    """The API error for a compare request the form refused: the page's, as JSON."""
    if form.unknown is not None:
        error = NotFound(form.unknown.message)
        error.extra = {"unknown": form.unknown.unknown, "known": form.unknown.known}
        return error
    return ValidationError({name: list(messages) for name, messages in form.errors.items()})


class CompareView(generics.GenericAPIView):
    """The comparison matrix, exactly as the compare page renders it."""

    serializer_class = serializers.MatrixSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="compare",
        summary="Compare frameworks feature by feature",
        description="The matrix of the compare page: features grouped by category, one cell "
        "per framework with its verdict (`reading`), summary, packages, notes, whether it is "
        "disputed, and the claims of every source about it. Missing cells read 'missing'.",
        parameters=COMPARE_PARAMETERS,
        responses={
            200: serializers.MatrixSerializer,
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
        )
        attach_claims(matrix.cells)
        return Response(self.get_serializer(matrix).data)


class TokenView(ObtainAuthToken):
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
        "Wrong credentials are a 400.",
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
        return super().post(request, *args, **kwargs)

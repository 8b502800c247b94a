"""Filters, search and ordering for the API's lists.

Every query parameter is validated: a value the schema does not allow is a 400 with the
offending field named, never silently ignored (a program that misspells an ordering field
or a level should be told, not handed an unfiltered list).
"""

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from comparisons import models
from comparisons.querysets import visible


class StrictBooleanField(forms.Field):
    """'true' or 'false', nothing else ('yes', '1', 'maybe' are errors, not 'no filter')."""

    def to_python(self, value):
        if value is None:
            return None
        if value in ("true", "false"):
            return value == "true"
        raise DjangoValidationError("Use 'true' or 'false'.", code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


SLUG_OR_EMPTY = r"^[-a-zA-Z0-9_]*$"


@extend_schema_field({"type": "string", "pattern": SLUG_OR_EMPTY, "maxLength": 100})
class SlugFilter(django_filters.CharFilter):
    """A related record by slug; an unknown slug matches nothing (an empty page, not an error),
    text that cannot be a slug is a 400.

    Every record on the way to the slug must be one the reader may see (`visible()`), so for
    a reader who may not see drafts a draft's slug matches nothing, exactly as an unknown
    one: `frameworks/?builds_on=<draft>` does not count the published frameworks built on
    it, and `use-cases/?framework=flask` counts only recommendations the reader sees."""

    def __init__(self, field_name, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("validators", [RegexValidator(SLUG_OR_EMPTY, "Give a slug.")])
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        request = getattr(self.parent, "request", None)
        user = getattr(request, "user", None) or AnonymousUser()
        *path, slug_field = self.field_name.split("__")
        # The models along `path`, e.g. UseCase's recommendations__framework: Recommendation,
        # Framework. Built from the slug outwards: the visible frameworks with this slug, the
        # visible recommendations of those, then the listed records with one of those.
        hops, model = [], qs.model
        for name in path:
            model = model._meta.get_field(name).related_model
            hops.append((name, model))
        (name, model), *outer = reversed(hops)
        matches = visible(model, user).filter(**{slug_field: value})
        for next_name, next_model in outer:
            matches = visible(next_model, user).filter(**{f"{name}__in": matches})
            name = next_name
        qs = qs.filter(**{f"{name}__in": matches})
        return qs.distinct() if self.distinct else qs


class StrictFilterBackend(DjangoFilterBackend):
    """An empty value for a choice or yes/no filter is an error, as any other value outside
    its documented set would be; free-text filters (slugs) may be empty, meaning no filter."""

    def filter_queryset(self, request, queryset, view):
        # A request naming none of the filters is not filtered: skip building the filterset
        # (a deep copy of every filter, ~0.5 ms a list).
        filterset_class = self.get_filterset_class(view, queryset)
        names = filterset_class.base_filters if filterset_class else ()
        if not any(param.startswith(name) for param in request.query_params for name in names):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [
                name
                for name, filter_ in filterset.filters.items()
                if not isinstance(filter_, django_filters.CharFilter)
                and request.query_params.get(name) == ""
            ]
            if empty:
                raise ValidationError(
                    {name: ["Give a value, or leave the parameter out."] for name in empty}
                )
        return filterset


class StrictSearchFilter(filters.SearchFilter):
    """Free text; DRF refuses null characters (400), which the schema says too. Where the
    list's QuerySet can `search()` (comparisons.querysets.SearchQuerySetMixin), that one
    definition does the searching, as on the search page; elsewhere DRF's own, over the
    view's `search_fields`."""

    search_description = (
        "Words to look for; every word must match. On PostgreSQL, full text with English "
        "stemming over the fields the search page uses ('microservices' finds "
        "'microservice'); elsewhere, case-insensitive substrings of them."
    )

    @staticmethod
    def searchable(view):
        queryset = getattr(view, "queryset", None)
        return queryset is not None and hasattr(queryset, "search")

    def get_search_fields(self, view, request):
        if self.searchable(view):
            return [field for field, _ in view.queryset.search_fields]
        return super().get_search_fields(view, request)

    def filter_queryset(self, request, queryset, view):
        if not (self.searchable(view) and hasattr(queryset, "search")):
            return super().filter_queryset(request, queryset, view)
        terms = self.get_search_terms(request)  # refuses a null character, as DRF does
        if not terms:
            return queryset
        return queryset.search(" ".join(terms))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["pattern"] = r"^[^\x00]*$"
        return parameters


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=name,-created_at`: the view's `ordering_fields`, each optionally with '-'."""

    def allowed_values(self, view):
        fields = getattr(view, "ordering_fields", None) or []
        return [value for field in fields for value in (field, f"-{field}")]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        allowed = set(self.allowed_values(view))
        requested = raw.split(",")
        unknown = [term for term in requested if term not in allowed]
        if unknown:
            choices = ", ".join(sorted(allowed))
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(map(repr, unknown))}. Use: {choices}."
                    ]
                }
            )
        return requested

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None) or []
        if not fields:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by these fields, comma-separated; prefix '-' for descending.",
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "enum": self.allowed_values(view)},
                },
            }
        ]


class FrameworkFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=models.Framework.Kind.choices)
    interface = django_filters.ChoiceFilter(choices=models.Framework.Interface.choices)
    status = django_filters.ChoiceFilter(choices=models.Status.choices)
    builds_on = SlugFilter("builds_on__slug", help_text="Frameworks built on this one (slug).")

    class Meta:
        model = models.Framework
        fields = ["kind", "interface", "status", "builds_on"]


class FeatureFilter(django_filters.FilterSet):
    category = SlugFilter("category__slug", help_text="Category slug.")
    kind = django_filters.ChoiceFilter(choices=models.Feature.Kind.choices)
    status = django_filters.ChoiceFilter(choices=models.Status.choices)

    class Meta:
        model = models.Feature
        fields = ["category", "kind", "status"]


class SupportFilter(django_filters.FilterSet):
    framework = SlugFilter("framework__slug", help_text="Framework slug.")
    feature = SlugFilter("feature__slug", help_text="Feature slug.")
    category = SlugFilter("feature__category__slug", help_text="Feature category slug.")
    level = django_filters.ChoiceFilter(choices=models.SupportLevel.choices)
    disputed = StrictBooleanFilter(
        field_name="sources_disagree",
        help_text="Only cells whose published sources disagree (true), or do not (false).",
    )

    class Meta:
        model = models.Support
        fields = ["framework", "feature", "category", "level", "disputed"]


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=models.Source.Kind.choices)
    framework = SlugFilter("frameworks__slug", distinct=True, help_text="Covers this framework.")
    status = django_filters.ChoiceFilter(choices=models.Status.choices)

    class Meta:
        model = models.Source
        fields = ["kind", "framework", "status"]


class ClaimFilter(django_filters.FilterSet):
    source = SlugFilter("source__slug", help_text="Source slug.")
    framework = SlugFilter("support__framework__slug", help_text="Framework slug.")
    feature = SlugFilter("support__feature__slug", help_text="Feature slug.")
    level = django_filters.ChoiceFilter(choices=models.SupportLevel.choices)
    place = django_filters.ChoiceFilter(choices=models.Claim.Place.choices)

    class Meta:
        model = models.Claim
        fields = ["source", "framework", "feature", "level", "place"]


class BenchmarkFilter(django_filters.FilterSet):
    source = SlugFilter("source__slug", help_text="Source slug.")
    framework = SlugFilter(
        "results__framework__slug", distinct=True, help_text="Has a result for this framework."
    )
    status = django_filters.ChoiceFilter(choices=models.Status.choices)

    class Meta:
        model = models.Benchmark
        fields = ["source", "framework", "status"]


class BenchmarkResultFilter(django_filters.FilterSet):
    benchmark = SlugFilter("benchmark__slug", help_text="Benchmark slug.")
    framework = SlugFilter("framework__slug", help_text="Framework slug.")
    figure = django_filters.ChoiceFilter(choices=models.BenchmarkResult.Figure.choices)

    class Meta:
        model = models.BenchmarkResult
        fields = ["benchmark", "framework", "figure"]


class PointFilter(django_filters.FilterSet):
    framework = SlugFilter("framework__slug", help_text="Framework slug.")
    source = SlugFilter("source__slug", help_text="Source slug.")
    kind = django_filters.ChoiceFilter(choices=models.Point.Kind.choices)

    class Meta:
        model = models.Point
        fields = ["framework", "source", "kind"]


class UseCaseFilter(django_filters.FilterSet):
    framework = SlugFilter(
        "recommendations__framework__slug",
        distinct=True,
        help_text="Has a recommendation about this framework.",
    )
    status = django_filters.ChoiceFilter(choices=models.Status.choices)

    class Meta:
        model = models.UseCase
        fields = ["framework", "status"]


class RecommendationFilter(django_filters.FilterSet):
    use_case = SlugFilter("use_case__slug", help_text="Use case slug.")
    framework = SlugFilter("framework__slug", help_text="Framework slug.")
    source = SlugFilter("source__slug", help_text="Source slug.")
    fit = django_filters.ChoiceFilter(choices=models.Recommendation.Fit.choices)

    class Meta:
        model = models.Recommendation
        fields = ["use_case", "framework", "source", "fit"]

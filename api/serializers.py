"""Serializers: what each resource looks like as JSON, and how writes are validated.

Writes run the same rules as the admin: field validation, then the model's `full_clean()`
(its `clean()` cross-table rules and its `Meta.constraints`), so a request the database or
the admin would refuse is a 400 naming the field, never a 500.
"""

import copy
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer as DRFAuthTokenSerializer

from comparisons import choosing, models
from comparisons.links import url_pattern

from .fields import (
    STRICT_FIELD_MAPPING,
    StrictCharField,
    StrictChoiceField,
    StrictRelatedFieldMixin,
)

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class FullCleanModelSerializer(serializers.ModelSerializer):
    # Runs the model's `full_clean()` on the record as it would be saved. (A comment, not a
    # docstring: drf-spectacular would print a docstring on every resource in the schema.)
    # Its fields take only the JSON type the schema gives them (api/fields.py).
    serializer_field_mapping = STRICT_FIELD_MAPPING
    serializer_choice_field = StrictChoiceField

    def resolve(self, attrs):
        """Turn write-only inputs (e.g. slugs that need context) into model attributes."""
        return attrs

    def validate(self, attrs):
        attrs = self.resolve(super().validate(attrs))
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        values = {name: value for name, value in attrs.items() if name not in many_to_many}
        if self.instance is None:
            record = model(**values)
        else:
            record = copy.copy(self.instance)
            for name, value in values.items():
                setattr(record, name, value)
        try:
            record.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs

    def update(self, instance, validated_data):
        """Save only the fields this request sent (and the version and time every save moves
        on): a write never puts back values of fields it did not send, e.g. a cell's source
        count, kept by other writers. The caller holds the row lock (api.views)."""
        serializers.raise_errors_on_nested_writes("update", self, validated_data)
        many_to_many = {field.name for field in instance._meta.many_to_many}
        columns = [name for name in validated_data if name not in many_to_many]
        for name in columns:
            setattr(instance, name, validated_data[name])
        instance.save(update_fields=[*columns, "updated_at"])
        for name in validated_data.keys() & many_to_many:
            getattr(instance, name).set(validated_data[name])
        return instance


class WebUrlField(serializers.HyperlinkedIdentityField):
    """The record's page on the website."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Its page on the website.")
        super().__init__(view_name="", **kwargs)

    def get_url(self, obj, view_name, request, format):
        return request.build_absolute_uri(obj.get_absolute_url())


@extend_schema_field({"type": "string", "pattern": SLUG_PATTERN, "maxLength": 100})
class SlugLinkField(StrictRelatedFieldMixin, serializers.SlugRelatedField):
    """A link to another record by its slug; checked to be a slug before any query."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 100 or not re.fullmatch(SLUG_PATTERN, data):
            raise serializers.ValidationError("Give the slug of an existing record.")
        return super().to_internal_value(data)


def slug_field(model, **kwargs):
    return SlugLinkField(slug_field="slug", queryset=model.objects.all(), **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": SLUG_PATTERN,
        "maxLength": 40,
        "description": "Slug of a point on this feature's own scale (rating features only).",
    }
)
class ScalePointSlugField(serializers.Field):
    """A rating, written and read as its slug; the feature decides which scale it is on."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.slug

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(SLUG_PATTERN, data) or len(data) > 40:
            raise serializers.ValidationError("Give the slug of a point on the feature's scale.")
        return data


def package_names(packages):
    """'Flask-Login, Flask-HTTPAuth' (as stored) → ['Flask-Login', 'Flask-HTTPAuth']."""
    return [name.strip() for name in packages.split(",") if name.strip()]


class PackagesField(serializers.ListField):
    """The packages a cell takes, as a list of names, read and written; the compare matrix
    gives the same list. Stored as one comma-separated text (as the admin edits it)."""

    def __init__(self, **kwargs):
        name = RegexValidator(r"^[^,]*[^,\s][^,]*$", "A package name has no comma.")
        kwargs.setdefault("child", StrictCharField(validators=[name]))
        kwargs.setdefault(
            "help_text",
            "Packages it takes, e.g. ['Flask-CORS'] or ['Django Channels']: names without "
            "commas, which joined by ', ' take at most 200 characters.",
        )
        super().__init__(**kwargs)

    def to_representation(self, value):
        return package_names(value)

    def to_internal_value(self, data):
        packages = ", ".join(super().to_internal_value(data))
        if len(packages) > models.Support._meta.get_field("packages").max_length:
            raise serializers.ValidationError("The names take more than 200 characters together.")
        return packages


def resolve_rating(attrs, feature):
    """Replace the rating slug in `attrs` by the ScalePoint of `feature` it names."""
    slug = attrs.get("rating")
    if not isinstance(slug, str):
        return attrs
    point = models.ScalePoint.objects.filter(feature=feature, slug=slug).first()
    if point is None:
        raise serializers.ValidationError(
            {"rating": [f"'{feature.name}' has no point '{slug}' on its scale."]}
        )
    return {**attrs, "rating": point}


# --- Small read-only shapes used inside others ---------------------------------------------


class ScalePointSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ScalePoint
        fields = ["slug", "label", "value", "tone"]


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Source
        fields = ["slug", "title", "kind", "url", "read_on"]


class CellClaimSerializer(serializers.ModelSerializer):
    """A claim as shown beside its cell."""

    source = SourceBriefSerializer(read_only=True)
    rating = ScalePointSlugField(read_only=True)
    agrees_with_verdict = serializers.BooleanField(read_only=True)

    class Meta:
        model = models.Claim
        fields = [
            "id",
            "source",
            "level",
            "rating",
            "value",
            "statement",
            "source_label",
            "place",
            "agrees_with_verdict",
        ]


class BenchmarkResultInlineSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    display = serializers.CharField(read_only=True, help_text="The figure as people write it.")

    class Meta:
        model = models.BenchmarkResult
        fields = [
            "id",
            "framework",
            "server",
            "figure",
            "value",
            "low",
            "high",
            "rank",
            "approximate",
            "display",
            "notes",
        ]


class RecommendationInlineSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = models.Recommendation
        fields = ["id", "framework", "source", "fit", "rationale"]


class PresetRequirementSerializer(serializers.Serializer):
    """One requirement of a use case's preset, as /choose/ takes it (`choosing.Requirement`)."""

    kind = serializers.ChoiceField(
        choices=models.UseCaseRequirement.Kind.choices,
        help_text="must: a capability at least at `level`; nice: a capability weighed by "
        "`weight`; prefer: the `end` of a rating feature's scale, weighed by `weight`.",
    )
    feature = serializers.CharField(help_text="Slug of the feature.")
    level = serializers.CharField(help_text="must only: the lowest level that will do; else ''.")
    end = serializers.CharField(help_text="prefer only: slug of the wanted scale end; else ''.")
    weight = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=3, help_text="nice and prefer: 1 to 3; else null."
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["weight"] = data["weight"] or None
        return data


# --- Resources -----------------------------------------------------------------------------

TIMESTAMPS = ["version", "created_at", "updated_at"]


class RegistrySnapshotSerializer(serializers.ModelSerializer):
    """What the package registry said at the framework's last sync (`sync_registry`)."""

    releases = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        read_only=True,
        help_text="Every final release as [version, 'YYYY-MM-DD'], oldest first.",
    )

    class Meta:
        model = models.RegistrySnapshot
        fields = [
            "package",
            "taken_at",
            "registry_url",
            "latest_version",
            "latest_released_on",
            "first_released_on",
            "releases_last_12_months",
            "requires_python",
            "licence",
            "documentation_url",
            "source_url",
            "changelog_url",
            "releases",
        ]
        read_only_fields = fields


class FrameworkSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:framework-detail", lookup_field="slug"
    )
    web_url = WebUrlField()
    builds_on = slug_field(
        models.Framework, many=True, required=False, help_text="Slugs of frameworks it builds on."
    )
    registry = serializers.SerializerMethodField(
        help_text="Its package registry snapshot at the last sync, or null if never synced."
    )

    class Meta:
        model = models.Framework
        fields = [
            "api_url",
            "web_url",
            "slug",
            "name",
            "tagline",
            "summary",
            "kind",
            "interface",
            "builds_on",
            "foundations",
            "first_release_year",
            "creators",
            "license",
            "homepage_url",
            "repository_url",
            "docs_url",
            "latest_version",
            "registry_package",
            "registry",
            "status",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS
        # The model's constraint, stated where a client reads it (the schema).
        extra_kwargs = {
            "first_release_year": {
                "min_value": models.EARLIEST_YEAR,
                "max_value": models.LATEST_YEAR,
            }
        }

    @extend_schema_field(RegistrySnapshotSerializer(allow_null=True))
    def get_registry(self, framework):
        # The viewset prefetches each framework's current snapshot (`current_snapshot`).
        snapshots = getattr(framework, "current_snapshot", None)
        if snapshots is None:
            snapshots = [models.RegistrySnapshot.objects.latest_for(framework)]
        snapshot = next((s for s in snapshots if s is not None), None)
        return RegistrySnapshotSerializer(snapshot).data if snapshot else None

    def validate_builds_on(self, value):
        if self.instance is not None and self.instance in value:
            raise serializers.ValidationError("A framework cannot build on itself.")
        return value


class FeatureCategorySerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:category-detail", lookup_field="slug"
    )
    features = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Its features, in display order."
    )

    class Meta:
        model = models.FeatureCategory
        fields = ["api_url", "slug", "name", "description", "position", "features", *TIMESTAMPS]
        read_only_fields = TIMESTAMPS


class FeatureSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:feature-detail", lookup_field="slug"
    )
    web_url = WebUrlField()
    category = slug_field(models.FeatureCategory, help_text="Slug of its category.")
    scale = ScalePointSerializer(
        source="scale_points",
        many=True,
        read_only=True,
        help_text="Rating features: the points of its scale, in order.",
    )

    class Meta:
        model = models.Feature
        fields = [
            "api_url",
            "web_url",
            "slug",
            "name",
            "category",
            "kind",
            "value_kind",
            "description",
            "position",
            "scale",
            "status",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS


SUPPORT_DETAIL_VIEW = "api:support-detail"


class SupportSerializer(FullCleanModelSerializer):
    """A cell: the editor's verdict on one framework × one feature, with the claims behind it."""

    # Lists and reads of cells are written by `cells_data()` below (the same JSON, from rows;
    # tests hold the two equal); this serializer defines the shape, the schema and the writes.
    api_url = serializers.HyperlinkedIdentityField(view_name=SUPPORT_DETAIL_VIEW)
    framework = slug_field(models.Framework, help_text="Slug of the framework (the column).")
    feature = slug_field(models.Feature, help_text="Slug of the feature (the row).")
    rating = ScalePointSlugField()
    packages = PackagesField(required=False)
    disputed = serializers.BooleanField(
        source="sources_disagree",
        read_only=True,
        help_text="True when its published sources' claims disagree with each other or with "
        "this verdict.",
    )
    outdated = serializers.BooleanField(
        source="sources_outdated",
        read_only=True,
        help_text="True when its sources' facts differ only with age: the newest agree with "
        "the verdict, older ones say otherwise.",
    )
    claims = CellClaimSerializer(many=True, read_only=True)

    class Meta:
        model = models.Support
        fields = [
            "api_url",
            "id",
            "framework",
            "feature",
            "level",
            "rating",
            "value",
            "summary",
            "packages",
            "since_version",
            "notes",
            "last_verified",
            "disputed",
            "outdated",
            "claims",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS

    def resolve(self, attrs):
        feature = attrs.get("feature") or getattr(self.instance, "feature", None)
        if feature is not None:
            attrs = resolve_rating(attrs, feature)
        return attrs


def cell_rows(queryset):
    """The cells of `queryset` (filtered and ordered as it is) as rows for `cells_data()`."""
    return queryset.prefetch_related(None).as_rows()


def cells_data(rows, request):
    """`SupportSerializer(...).data` for each of these `cell_rows()`, from the rows and one
    query for their claims: 100 cells in ~5 ms instead of ~28 ms through the serializer, which
    builds ~800 instances and runs a field per value (measured in-process, docs/performance.md).
    Timestamps stay datetimes, in the current time zone as DRF's fields put them: orjson
    writes them as those fields do (ISO 8601, "Z" for UTC; a test holds the two equal)."""
    if not rows:
        return []
    # One reverse() per response, not one per cell: the pattern with a stand-in id.
    prefix, _, suffix = url_pattern(SUPPORT_DETAIL_VIEW, pk=918_273_645).partition("{pk}")
    prefix = request.build_absolute_uri(prefix)
    zone = timezone.get_current_timezone()
    verdicts = {
        row["id"]: (models.reading_of_values(row["level"], row["rating_id"]), row["value"])
        for row in rows
    }
    value_kinds = {row["id"]: row["feature__value_kind"] for row in rows}
    claims = {}
    for claim in models.Claim.objects.for_cells(verdicts).as_rows():
        mine = (models.reading_of_values(claim["level"], claim["rating_id"]), claim["value"])
        cell = claim["support_id"]
        claims.setdefault(cell, []).append(
            {
                "id": claim["id"],
                "source": {
                    "slug": claim["source__slug"],
                    "title": claim["source__title"],
                    "kind": claim["source__kind"],
                    "url": claim["source__url"],
                    "read_on": claim["source__read_on"],
                },
                "level": claim["level"],
                "rating": claim["rating__slug"],
                "value": claim["value"],
                "statement": claim["statement"],
                "source_label": claim["source_label"],
                "place": claim["place"],
                "agrees_with_verdict": models.claim_agrees(mine, verdicts[cell], value_kinds[cell]),
            }
        )
    return [
        {
            "api_url": f"{prefix}{row['id']}{suffix}",
            "id": row["id"],
            "framework": row["framework__slug"],
            "feature": row["feature__slug"],
            "level": row["level"],
            "rating": row["rating__slug"],
            "value": row["value"],
            "summary": row["summary"],
            "packages": package_names(row["packages"]),
            "since_version": row["since_version"],
            "notes": row["notes"],
            "last_verified": row["last_verified"],
            "disputed": row["sources_disagree"],
            "outdated": row["sources_outdated"],
            "claims": claims.get(row["id"], []),
            "version": row["version"],
            "created_at": row["created_at"].astimezone(zone),
            "updated_at": row["updated_at"].astimezone(zone),
        }
        for row in rows
    ]


class SourceSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:source-detail", lookup_field="slug"
    )
    web_url = WebUrlField()
    frameworks = slug_field(
        models.Framework,
        many=True,
        required=False,
        help_text="Slugs of the frameworks it compares or discusses.",
    )

    class Meta:
        model = models.Source
        fields = [
            "api_url",
            "web_url",
            "slug",
            "title",
            "kind",
            "author",
            "publisher",
            "url",
            "read_on",
            "published_on",
            "date_precision",
            "summary",
            "conclusion",
            "frameworks",
            "status",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS


class ClaimSerializer(FullCleanModelSerializer):
    """What one source says about one cell. The cell is named by its framework and feature."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    source = slug_field(models.Source, help_text="Slug of the source making the claim.")
    framework = slug_field(
        models.Framework, source="support.framework", help_text="Slug of the cell's framework."
    )
    feature = slug_field(
        models.Feature, source="support.feature", help_text="Slug of the cell's feature."
    )
    support = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Id of the cell (see /api/v1/supports/)."
    )
    rating = ScalePointSlugField()
    agrees_with_verdict = serializers.BooleanField(read_only=True)

    class Meta:
        model = models.Claim
        fields = [
            "api_url",
            "id",
            "source",
            "framework",
            "feature",
            "support",
            "level",
            "rating",
            "value",
            "statement",
            "source_label",
            "place",
            "agrees_with_verdict",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS

    def resolve(self, attrs):
        cell = attrs.pop("support", {})
        framework = cell.get("framework") or self.instance.support.framework
        feature = cell.get("feature") or self.instance.support.feature
        support = models.Support.objects.filter(framework=framework, feature=feature).first()
        if support is None:
            raise serializers.ValidationError(
                {"feature": [f"There is no {framework} × {feature} cell yet; create it first."]}
            )
        return resolve_rating({**attrs, "support": support}, feature)


class BenchmarkResultSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:benchmarkresult-detail")
    benchmark = slug_field(models.Benchmark, help_text="Slug of the benchmark.")
    framework = slug_field(models.Framework, help_text="Slug of the framework.")
    display = serializers.CharField(read_only=True, help_text="The figure as people write it.")

    class Meta:
        model = models.BenchmarkResult
        fields = [
            "api_url",
            "id",
            "benchmark",
            "framework",
            "server",
            "figure",
            "value",
            "low",
            "high",
            "rank",
            "approximate",
            "display",
            "notes",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS


class BenchmarkSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:benchmark-detail", lookup_field="slug"
    )
    web_url = WebUrlField()
    source = slug_field(models.Source, help_text="Slug of the source of the figures.")
    results = BenchmarkResultInlineSerializer(many=True, read_only=True)

    class Meta:
        model = models.Benchmark
        fields = [
            "api_url",
            "web_url",
            "slug",
            "title",
            "source",
            "workload",
            "metric",
            "unit",
            "higher_is_better",
            "server",
            "hardware",
            "measured_on",
            "caveats",
            "task",
            "context",
            "results",
            "status",
            *TIMESTAMPS,
        ]
        read_only_fields = [*TIMESTAMPS, "context"]


class PointSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:point-detail")
    framework = slug_field(models.Framework, help_text="Slug of the framework.")
    source = slug_field(models.Source, help_text="Slug of the source making the point.")

    class Meta:
        model = models.Point
        fields = ["api_url", "id", "framework", "source", "kind", "text", "position", *TIMESTAMPS]
        read_only_fields = TIMESTAMPS


class UseCaseSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:usecase-detail", lookup_field="slug"
    )
    recommendations = RecommendationInlineSerializer(many=True, read_only=True)
    preset = PresetRequirementSerializer(
        many=True,
        read_only=True,
        help_text="Where the use case's 'Start from this' starts /choose/: our own reading of "
        "the use case (see preset_note), not a source's claim.",
    )

    class Meta:
        model = models.UseCase
        fields = [
            "api_url",
            "slug",
            "name",
            "description",
            "position",
            "recommendations",
            "preset",
            "preset_note",
            "status",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS


class RecommendationSerializer(FullCleanModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    use_case = slug_field(models.UseCase, help_text="Slug of the use case.")
    framework = slug_field(models.Framework, help_text="Slug of the framework.")
    source = slug_field(models.Source, help_text="Slug of the source recommending it.")

    class Meta:
        model = models.Recommendation
        fields = [
            "api_url",
            "id",
            "use_case",
            "framework",
            "source",
            "fit",
            "rationale",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS


# --- The comparison matrix -----------------------------------------------------------------


class MatrixFrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Framework
        fields = ["slug", "name", "kind", "interface"]


class MatrixFeatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Feature
        fields = ["slug", "name", "kind", "description"]


class MatrixClaimSerializer(CellClaimSerializer):
    rating = ScalePointSerializer(read_only=True, allow_null=True)


class MatrixCellSerializer(serializers.Serializer):
    """A `comparisons.matrix.Cell`: what the compare page draws, with its claims."""

    framework = serializers.CharField(source="framework.slug", read_only=True)
    reading = serializers.CharField(
        source="reading.key",
        read_only=True,
        help_text="The verdict in one word: a support level, a rating's slug, 'fact' (the "
        "fact is the summary), 'missing' (no cell yet) or '' (no definite reading).",
    )
    level = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    summary = serializers.CharField(read_only=True)
    packages = PackagesField(read_only=True)
    since_version = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True, help_text="Markdown.")
    last_verified = serializers.DateField(read_only=True, allow_null=True)
    value = serializers.CharField(read_only=True, help_text="The fact as a comparable value.")
    disputed = serializers.BooleanField(read_only=True)
    outdated = serializers.BooleanField(
        read_only=True, help_text="Its sources' facts differ only with age."
    )
    claims = MatrixClaimSerializer(many=True, read_only=True)

    @extend_schema_field(
        {"type": "string", "nullable": True, "enum": [*models.SupportLevel.values, None]}
    )
    def get_level(self, cell):
        return cell.level or None

    @extend_schema_field(ScalePointSerializer(allow_null=True))
    def get_rating(self, cell):
        if not cell.rating_id:
            return None
        row = cell.row
        return {
            "slug": row.rating__slug,
            "label": row.rating__label,
            "value": row.rating__value,
            "tone": row.rating__tone,
        }


class MatrixRowSerializer(serializers.Serializer):
    feature = MatrixFeatureSerializer(read_only=True)
    differs = serializers.BooleanField(read_only=True, help_text="The cells do not all agree.")
    disputed = serializers.BooleanField(read_only=True, help_text="Some cell is disputed.")
    cells = MatrixCellSerializer(many=True, read_only=True, help_text="One per framework.")


class MatrixSectionSerializer(serializers.Serializer):
    slug = serializers.CharField(source="category.slug", read_only=True)
    name = serializers.CharField(source="category.name", read_only=True)
    rows = MatrixRowSerializer(many=True, read_only=True)


class MatrixCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.FeatureCategory
        fields = ["slug", "name"]


class MatrixSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text="e.g. 'django-vs-flask'.")
    frameworks = MatrixFrameworkSerializer(many=True, read_only=True)
    categories = MatrixSectionSerializer(
        source="sections", many=True, read_only=True, help_text="Rows grouped by category."
    )
    available_categories = MatrixCategorySerializer(
        source="categories",
        many=True,
        read_only=True,
        help_text="Every category (of the `features` asked for), to filter.",
    )
    selected_categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    only_differences = serializers.BooleanField(read_only=True)


# --- Choose: the ranked answer (`comparisons.choosing.presented`) -----------------------


class ChooseRequirementSerializer(serializers.Serializer):
    feature = serializers.CharField(help_text="The feature's slug.")
    feature_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=choosing.Kind.choices)
    level = serializers.CharField(help_text="Must-haves: the lowest acceptable level; else ''.")
    end = serializers.CharField(help_text="Preferences on a rating: the wanted end's slug.")
    weight = serializers.IntegerField(allow_null=True, help_text="Preferences: 1 to 3.")
    text = serializers.CharField(help_text="The requirement in words, as the page shows it.")


class ChooseCellSerializer(serializers.Serializer):
    """The cell a line reads: its verdict, how many sources, whether they disagree."""

    url = serializers.CharField(help_text="The cell's page: its notes and every claim.")
    reading = serializers.CharField(
        source="reading.key",
        help_text="As in the compare endpoint: a level, a rating's slug, "
        "'missing' (no cell) or '' (no definite reading).",
    )
    label = serializers.CharField(source="reading.label")
    source_count = serializers.IntegerField()
    disputed = serializers.BooleanField()


class ChooseLineSerializer(serializers.Serializer):
    feature = serializers.CharField()
    feature_name = serializers.CharField()
    requirement = serializers.CharField(help_text="The requirement in words.")
    kind = serializers.ChoiceField(choices=choosing.Kind.choices)
    outcome = serializers.ChoiceField(
        choices=choosing.Outcome.choices,
        help_text="Must-haves: meets, fails or unknown; preferences: scored or unknown.",
    )
    reading = serializers.CharField(help_text="The reading used, in words ('Unknown' if none).")
    points = serializers.FloatField(allow_null=True, help_text="Preferences: weight × share.")
    weight = serializers.IntegerField(allow_null=True)
    cell = ChooseCellSerializer()


class ChooseStandingSerializer(serializers.Serializer):
    framework = serializers.CharField(source="framework.slug")
    name = serializers.CharField(source="framework.name")
    group = serializers.ChoiceField(choices=choosing.Group.choices)
    position = serializers.IntegerField(
        allow_null=True, help_text="Within its group; tied frameworks share one. Null: fails."
    )
    tied = serializers.BooleanField()
    score = serializers.FloatField(help_text="Points earned (rounded); `score_exact` exactly.")
    score_exact = serializers.CharField(help_text="The points as an exact fraction, e.g. '13/3'.")
    unknown_weight = serializers.IntegerField(
        help_text="Points its unknown cells could add at best."
    )
    summary = serializers.CharField(help_text="The score in words.")
    failed = serializers.ListField(child=serializers.CharField(), help_text="Features failed.")
    unconfirmed = serializers.ListField(
        child=serializers.CharField(), help_text="Must-haves whose cells are unknown."
    )
    lines = ChooseLineSerializer(many=True, help_text="One per requirement, in their order.")


class ChooseNoteSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="What the reading would change, in words.")
    kind = serializers.ChoiceField(
        choices=[("first", "Who ranks first"), ("must", "Who meets the must-haves")]
    )
    framework = serializers.CharField()
    feature = serializers.CharField()
    reading = serializers.CharField(help_text="The sources' reading of the cell, in words.")
    sources = serializers.ListField(child=serializers.CharField(), help_text="Source slugs.")
    first = serializers.ListField(
        child=serializers.CharField(), help_text="Who would rank first under that reading."
    )
    cell = ChooseCellSerializer()


class ChooseSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The request's canonical query string.")
    requirements = ChooseRequirementSerializer(many=True)
    possible = serializers.IntegerField(help_text="The most points a framework can earn.")
    first = serializers.ListField(
        child=serializers.CharField(), help_text="Who ranks first (several when tied)."
    )
    headline = serializers.CharField()
    standings = ChooseStandingSerializer(
        many=True,
        help_text="Those meeting every must-have (ranked), those with an unconfirmed "
        "must-have (ranked), then those failing one (by name).",
    )
    close_call = serializers.CharField(help_text="Said when the first two are close; else ''.")
    disputes = serializers.CharField(help_text="The disputed cells touched, in words; or ''.")
    notes = ChooseNoteSerializer(many=True, help_text="Readings that would change the answer.")
    use_case = serializers.CharField(
        source="use_case.slug", allow_null=True, help_text="The use case started from, if any."
    )
    recommendations = serializers.ListField(
        child=serializers.CharField(),
        help_text="With a use case: what the sources recommend for it, beside this ranking.",
    )
    compare_url = serializers.CharField(
        help_text="The matrix of the ranked frameworks on these features; '' under two."
    )


# --- Errors and tokens, for the documentation ------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. 'not_found'.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: messages per field ('non_field_errors' for the rest).",
    )
    unknown = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Compare: slugs not known."
    )
    known = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Compare: slugs you can use."
    )
    dependents = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="A refused delete (409): how many records of each resource depend on it.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class AuthTokenSerializer(DRFAuthTokenSerializer):
    # DRF's, with fields that take strings only, as every other input does.
    username = StrictCharField(label="Username", write_only=True)
    password = StrictCharField(
        label="Password", style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as 'Authorization: Token <token>'.")

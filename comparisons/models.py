"""The Versus domain: frameworks, what is compared, the cells, and the sources behind them.

Rules the database can hold are `Meta.constraints`; rules that span tables (a rating taken
from its own feature's scale, a level only on capability features) are checked in `clean()`,
which the admin, the API serializers and `services.py` all call. The choice lists live in
`choices.py`, importable from here too and under their models (`Framework.Kind`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from . import querysets
from .choices import (
    NON_COMMITTAL_LEVELS,
    PRIMARY_SOURCE_KINDS,
    DatePrecision,
    FeatureKind,
    Figure,
    Fit,
    FrameworkKind,
    Interface,
    Place,
    PointKind,
    RequirementKind,
    SourceKind,
    Status,
    SupportLevel,
    Tone,
    ValueKind,
)
from .comparable import comparable_value, value_error
from .links import slug_url, url_pattern

# The years a first release or a milestone can plausibly have (a constraint; the API schema
# gives the same bounds).
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the record last changed.")
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one at every saved edit; an edit made from an older version is "
        "refused instead of overwriting someone else's change.",
    )
    # Every content model keeps its full history (who, when, what), revertible in the admin;
    # the public "recent changes" page reads from it.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class PublishableModel(TimestampedModel):
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Drafts are visible to editors only; published records appear on the site "
        "and in the API.",
    )

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED


def status_constraint(name):
    return models.CheckConstraint(condition=Q(status__in=Status.values), name=name)


# --- Frameworks ---------------------------------------------------------------------------


class Framework(PublishableModel):
    Kind = FrameworkKind
    Interface = Interface

    name = models.CharField(max_length=80, unique=True, help_text="As the project writes it.")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in URLs, e.g. 'fastapi'. Avoid changing it."
    )
    tagline = models.CharField(
        max_length=160, blank=True, help_text="One line under the name, in our own words."
    )
    summary = models.TextField(blank=True, help_text="A short paragraph in our own words.")
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="What sort of framework this is."
    )
    interface = models.CharField(
        max_length=4,
        choices=Interface.choices,
        help_text="How a server runs it: WSGI, ASGI, both, or its own HTTP server.",
    )
    builds_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="extended_by",
        help_text="Frameworks in Versus this one is built on (DRF builds on Django).",
    )
    foundations = models.CharField(
        max_length=200,
        blank=True,
        help_text="Libraries outside Versus it is built on, e.g. 'Starlette, Pydantic'.",
    )
    first_release_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of the first public release."
    )
    creators = models.CharField(
        max_length=200, blank=True, help_text="People or organisations that created it."
    )
    license = models.CharField(max_length=60, blank=True, help_text="e.g. 'BSD-3-Clause', 'MIT'.")
    homepage_url = models.URLField(blank=True, help_text="The project's own home page.")
    repository_url = models.URLField(blank=True, help_text="Where its source code lives.")
    docs_url = models.URLField(blank=True, help_text="Its official documentation.")
    latest_version = models.CharField(
        max_length=30, blank=True, help_text="Latest release we have checked, e.g. '5.2'."
    )
    registry_package = models.CharField(
        max_length=100,
        blank=True,
        help_text="Its package's name on the package index (PyPI), e.g. 'djangorestframework'. "
        "`manage.py sync_registry` reads the registry for frameworks that have one.",
    )

    objects = querysets.FrameworkQuerySet.as_manager()

    class Meta:
        # By name whatever its case (aiohttp beside the others), alike on SQLite and PostgreSQL.
        ordering = [Lower("name")]
        constraints = [
            status_constraint("framework_status_valid"),
            models.CheckConstraint(
                condition=Q(first_release_year__isnull=True)
                | Q(first_release_year__gte=EARLIEST_YEAR, first_release_year__lte=LATEST_YEAR),
                name="framework_first_release_year_plausible",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("comparisons:framework-detail", self.slug)

    @property
    def registry_source_slug(self):
        """The slug of the Source `sync_registry` keeps for its package."""
        return f"{self.slug}-on-registry"

    def natural_key(self):
        return (self.slug,)


# --- What is compared ---------------------------------------------------------------------


class FeatureCategory(TimestampedModel):
    name = models.CharField(max_length=80, unique=True, help_text="e.g. 'API & documentation'.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in URLs and filters.")
    description = models.TextField(blank=True, help_text="What the features in it have in common.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Categories are shown in ascending order of this number."
    )

    objects = querysets.FeatureCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "feature categories"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Feature(PublishableModel):
    Kind = FeatureKind

    name = models.CharField(max_length=100, unique=True, help_text="e.g. 'Async support'.")
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs.")
    category = models.ForeignKey(
        FeatureCategory,
        on_delete=models.PROTECT,
        related_name="features",
        help_text="The group this feature is shown in.",
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.CAPABILITY,
        help_text="Capability cells take a support level; rating cells a point on this "
        "feature's scale; fact cells a short text.",
    )
    description = models.TextField(
        blank=True, help_text="What this feature means, so every cell is judged the same way."
    )
    value_kind = models.CharField(
        max_length=20,
        choices=ValueKind.choices,
        blank=True,
        help_text="Fact features only: the comparable value its cells and claims may carry "
        "beside their text, so that facts that differ mark the cell disputed or outdated.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order within its category (ascending)."
    )

    objects = querysets.FeatureQuerySet.as_manager()

    class Meta:
        ordering = ["category__position", "position", "name"]
        constraints = [
            status_constraint("feature_status_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=FeatureKind.values), name="feature_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(value_kind="")
                | Q(kind=FeatureKind.FACT, value_kind__in=ValueKind.values),
                name="feature_value_kind_on_facts",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("comparisons:feature-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["comparisons.featurecategory"]


class ScalePoint(TimestampedModel):
    """One step of a rating feature's ordered scale, e.g. learning curve: gentle < steep."""

    feature = models.ForeignKey(
        Feature,
        on_delete=models.CASCADE,
        related_name="scale_points",
        limit_choices_to={"kind": Feature.Kind.RATING},
        help_text="The rating feature whose scale this is.",
    )
    value = models.SmallIntegerField(help_text="Position on the scale; lower comes first.")
    slug = models.SlugField(max_length=40, help_text="Short identifier, e.g. 'gentle'.")
    label = models.CharField(max_length=60, help_text="What visitors read, e.g. 'Gentle'.")
    tone = models.CharField(
        max_length=10,
        choices=Tone.choices,
        default=Tone.NEUTRAL,
        help_text="How this point reads to someone choosing; sets the cell's colour.",
    )

    objects = querysets.ScalePointQuerySet.as_manager()

    class Meta:
        ordering = ["feature", "value"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "value"], name="scalepoint_unique_value"),
            models.UniqueConstraint(fields=["feature", "slug"], name="scalepoint_unique_slug"),
            models.CheckConstraint(condition=Q(tone__in=Tone.values), name="scalepoint_tone_valid"),
        ]

    def __str__(self):
        return f"{self.feature.name}: {self.label}"

    def natural_key(self):
        return (self.feature.slug, self.slug)

    natural_key.dependencies = ["comparisons.feature"]

    def clean(self):
        if self.feature_id and self.feature.kind != Feature.Kind.RATING:
            raise ValidationError({"feature": "Only rating features have a scale."})


# --- Sources ------------------------------------------------------------------------------


class Source(PublishableModel):
    Kind = SourceKind
    DatePrecision = DatePrecision

    title = models.CharField(max_length=200, help_text="The source's own title.")
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.ARTICLE,
        help_text="What sort of source this is.",
    )
    author = models.CharField(max_length=120, blank=True, help_text="Only if the source says.")
    publisher = models.CharField(
        max_length=120, blank=True, help_text="Site or organisation that published it."
    )
    url = models.URLField(
        blank=True,
        max_length=500,
        help_text="Only an address where we actually read it; never reconstruct or guess one.",
    )
    read_on = models.DateField(
        null=True,
        blank=True,
        help_text="When we read it at that address (its claims hold as of this day; for a "
        "package registry, the last sync).",
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Publication date. If only the year or month is known, use its first day "
        "and set the precision.",
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the publication date is known.",
    )
    summary = models.TextField(blank=True, help_text="What the source covers, in our own words.")
    conclusion = models.TextField(
        blank=True, help_text="What the source concludes, in our own words."
    )
    frameworks = models.ManyToManyField(
        Framework,
        blank=True,
        related_name="sources",
        help_text="Frameworks the source compares or discusses.",
    )

    objects = querysets.SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            status_constraint("source_status_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="source_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("comparisons:source-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_primary(self):
        return self.kind in PRIMARY_SOURCE_KINDS

    @property
    def as_of(self):
        """The day its claims speak for: when we read it, else when it was published."""
        return self.read_on or self.published_on

    @property
    def published_display(self):
        if not self.published_on:
            return ""
        formats = {
            DatePrecision.YEAR: "%Y",
            DatePrecision.MONTH: "%B %Y",
            DatePrecision.DAY: "%-d %B %Y",
        }
        return self.published_on.strftime(formats[self.date_precision])


# --- The cell and the claims behind it ----------------------------------------------------


def reading_constraints(prefix):
    """A cell or claim holds a level or a rating, never both."""
    return [
        models.CheckConstraint(
            condition=Q(level__in=["", *SupportLevel.values]), name=f"{prefix}_level_valid"
        ),
        models.CheckConstraint(
            condition=Q(level="") | Q(rating__isnull=True), name=f"{prefix}_level_or_rating"
        ),
    ]


class Support(TimestampedModel):
    """The cell: what Versus says about one framework × one feature (the editor's verdict)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="supports", help_text="The column."
    )
    feature = models.ForeignKey(
        Feature, on_delete=models.CASCADE, related_name="supports", help_text="The row."
    )
    level = models.CharField(
        max_length=10,
        choices=SupportLevel.choices,
        blank=True,
        help_text="For capability features: how the framework supports it. Leave empty for "
        "rating and fact features.",
    )
    rating = models.ForeignKey(
        ScalePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supports",
        help_text="For rating features: the point on this feature's scale.",
    )
    summary = models.CharField(
        max_length=200,
        blank=True,
        help_text="One line shown in the cell. For fact features this is the fact itself.",
    )
    packages = models.CharField(
        max_length=200,
        blank=True,
        help_text="Packages it takes, comma-separated, e.g. 'Flask-CORS' or 'Django Channels'.",
    )
    since_version = models.CharField(
        max_length=30, blank=True, help_text="Framework version since which this holds, e.g. '3.1'."
    )
    notes = models.TextField(
        blank=True, help_text="Longer explanation in Markdown (sanitised when shown)."
    )
    value = models.CharField(
        max_length=100,
        blank=True,
        help_text="Fact features with a value kind: the fact as a comparable value, e.g. "
        "'>=3.10' or 'MIT', checked against the claims' values.",
    )
    last_verified = models.DateField(
        null=True, blank=True, help_text="When an editor last checked this cell against sources."
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last checked it (set by the admin's 'Mark verified' action).",
    )
    # Kept by `comparisons.summaries` whenever a claim, a source or the cell itself changes,
    # never edited: the compare page reads these instead of every claim of every cell.
    source_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="How many published sources make a claim on it."
    )
    sources_disagree = models.BooleanField(
        default=False,
        editable=False,
        help_text="The published sources' claims disagree with each other or with the verdict "
        "(the cell is disputed).",
    )
    evidence_on = models.DateField(
        null=True,
        editable=False,
        help_text="The newest day one of its published sources was read (else published): "
        "what 'evidence as of' reads.",
    )
    sources_outdated = models.BooleanField(
        default=False,
        editable=False,
        help_text="The claims' values differ only with age: every newest claim agrees with the "
        "verdict, and only older ones say otherwise (the cell is outdated, not disputed).",
    )

    objects = querysets.SupportQuerySet.as_manager()

    class Meta:
        ordering = ["framework__name", "feature__name"]
        verbose_name = "cell"
        verbose_name_plural = "cells"
        constraints = [
            models.UniqueConstraint(fields=["framework", "feature"], name="support_unique_cell"),
            *reading_constraints("support"),
        ]

    def __str__(self):
        return f"{self.framework} × {self.feature}"

    def get_absolute_url(self):
        """The cell's own page: its verdict, notes and every claim behind it."""
        return url_pattern("comparisons:cell-detail", framework=None, feature=None).format(
            framework=self.framework.slug, feature=self.feature.slug
        )

    def natural_key(self):
        return (self.framework.slug, self.feature.slug)

    natural_key.dependencies = ["comparisons.framework", "comparisons.feature"]

    def clean(self):
        if self.feature_id:
            check_reading(self, verdict=True)

    @property
    def package_list(self):
        return [name.strip() for name in self.packages.split(",") if name.strip()]

    @property
    def reading(self):
        return reading_of(self)

    @property
    def is_disputed(self):
        """The published sources' claims disagree with each other or with this verdict: the
        cell's stored summary (`sources_disagree`), which every surface reads."""
        return self.sources_disagree

    @property
    def is_outdated(self):
        """Its claims' values differ only with age (`claims_agreement`): stored as
        `sources_outdated`, read by every surface beside `is_disputed`."""
        return self.sources_outdated


def readings_disagree(level, rating_id, claims):
    """The dispute rule, for a verdict (level, rating_id) and its claims given as
    (level, rating_id) pairs: the claims' definite levels, or their ratings, differ from each
    other or from the verdict's ("unknown" or no reading commits to nothing).

    Part of `claims_agreement`, whose answer `comparisons.summaries` stores for the published
    sources' claims (`Support.sources_disagree`, `sources_outdated`) whenever one changes."""
    levels = {claimed for claimed, _ in claims if claimed not in NON_COMMITTAL_LEVELS}
    ratings = {claimed for _, claimed in claims if claimed is not None}
    if len(levels) > 1 or len(ratings) > 1:
        return True
    if level not in NON_COMMITTAL_LEVELS and levels - {level}:
        return True
    return rating_id is not None and bool(ratings - {rating_id})


def claims_agreement(verdict, claims, value_kind=""):
    """The one rule of how a cell's claims stand to its verdict: (disputed, outdated).

    `verdict` is the cell's (level, rating_id, value); `claims` are (level, rating_id,
    value, as_of) tuples of its published sources' claims. Disputed: the readings disagree
    (`readings_disagree`), or the comparable values (`comparable.comparable_value`) differ
    and age does not explain it. Outdated: the values differ, but the newest claims agree on
    one value and it is the verdict's (when the verdict has one) — only older sources say
    otherwise, e.g. a 2024 article's "3.6+" beside the registry's ">=3.10" of today."""
    level, rating_id, value = verdict
    if readings_disagree(level, rating_id, [(claimed, rated) for claimed, rated, *_ in claims]):
        return True, False
    if not value_kind:
        return False, False
    given = [
        (_comparable(value_kind, claimed), as_of) for _, _, claimed, as_of in claims if claimed
    ]
    decided = _comparable(value_kind, value)
    if len({found for found, _ in given} | ({decided} if decided else set())) <= 1:
        return False, False
    if any(as_of is None for _, as_of in given):
        return True, False
    newest = max(as_of for _, as_of in given)
    current = {found for found, as_of in given if as_of == newest}
    if len(current) == 1 and (not decided or current == {decided}):
        return False, True
    return True, False


def claim_agrees(claimed, verdict, value_kind=""):
    """Whether one claim agrees with its cell's verdict, each given as (reading, value): the
    readings agree (`readings_agree`) and so do the comparable values where both have one."""
    (reading, value), (verdict_reading, verdict_value) = claimed, verdict
    if not readings_agree(reading, verdict_reading):
        return False
    if not (value and verdict_value and value_kind):
        return True
    return _comparable(value_kind, value) == _comparable(value_kind, verdict_value)


def _comparable(value_kind, value):
    try:
        return comparable_value(value_kind, value)
    except ValueError:
        return (value or "").strip()  # stored before its kind was set: compared as written


def reading_of(record):
    """The definite reading of a cell or claim, or None when it commits to nothing."""
    return reading_of_values(record.level, record.rating_id)


def reading_of_values(level, rating_id):
    """`reading_of` for a (level, rating_id) pair, e.g. from a values() row."""
    if rating_id is not None:
        return ("rating", rating_id)
    if level not in NON_COMMITTAL_LEVELS:
        return ("level", level)
    return None


def readings_agree(claimed, verdict):
    """Whether a claim's reading agrees with its cell's (either committing to nothing agrees)."""
    return claimed is None or verdict is None or claimed == verdict


def check_reading(record, *, verdict):
    """A reading must fit its feature's kind: the cross-table rule the database cannot hold."""
    feature = record.feature if isinstance(record, Support) else record.support.feature
    errors = {}
    if feature.kind == Feature.Kind.CAPABILITY:
        if record.rating_id is not None:
            errors["rating"] = "A capability feature takes a support level, not a rating."
        if verdict and not record.level:
            errors["level"] = "Choose a support level (or 'Unknown')."
    elif feature.kind == Feature.Kind.RATING:
        if record.level:
            errors["level"] = "A rating feature takes a point on its scale, not a support level."
        if record.rating_id is not None and record.rating.feature_id != feature.pk:
            errors["rating"] = f"Choose a point on the scale of '{feature.name}'."
    else:
        if record.level:
            errors["level"] = "A fact feature takes text only, not a support level."
        if record.rating_id is not None:
            errors["rating"] = "A fact feature takes text only, not a rating."
        if verdict and not record.summary:
            errors["summary"] = "A fact cell needs its text in the summary."
    if record.value:
        if feature.kind != Feature.Kind.FACT or not feature.value_kind:
            errors["value"] = (
                "Only a fact feature with a value kind takes a comparable value; leave it empty."
            )
        elif problem := value_error(feature.value_kind, record.value):
            errors["value"] = problem
    if errors:
        raise ValidationError(errors)


class Claim(TimestampedModel):
    """What one source says about one cell, as that source puts it."""

    Place = Place

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="claims", help_text="Who says it."
    )
    support = models.ForeignKey(
        Support,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name="cell",
        help_text="The framework × feature cell the claim is about.",
    )
    level = models.CharField(
        max_length=10,
        choices=SupportLevel.choices,
        blank=True,
        help_text="The support level as we read the source (capability features). Leave empty "
        "if the source commits to none.",
    )
    rating = models.ForeignKey(
        ScalePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The rating as we read the source (rating features).",
    )
    value = models.CharField(
        max_length=100,
        blank=True,
        help_text="Fact features with a value kind: the fact as the source gives it, as a "
        "comparable value (e.g. '>=3.6' for '3.6+').",
    )
    statement = models.TextField(
        help_text="What the source says, paraphrased in our own words. Never paste its text."
    )
    source_label = models.CharField(
        max_length=120,
        blank=True,
        help_text="The heading the source uses for this feature, e.g. 'Swagger docs', when it "
        "differs from ours. Table claims need it so the source's table can be rebuilt.",
    )
    place = models.CharField(
        max_length=5,
        choices=Place.choices,
        default=Place.TABLE,
        help_text="Where in the source the claim is made.",
    )

    objects = querysets.ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["support", "source"]
        constraints = [
            models.UniqueConstraint(fields=["source", "support"], name="claim_unique_per_source"),
            *reading_constraints("claim"),
        ]

    def __str__(self):
        return f"{self.source} on {self.support}"

    def natural_key(self):
        return (self.source.slug, *self.support.natural_key())

    natural_key.dependencies = ["comparisons.source", "comparisons.support"]

    def clean(self):
        if self.support_id:
            check_reading(self, verdict=False)

    @property
    def reading(self):
        return reading_of(self)

    @property
    def agrees_with_verdict(self):
        support = self.support
        return claim_agrees(
            (reading_of(self), self.value),
            (reading_of(support), support.value),
            support.feature.value_kind,
        )


# --- Benchmarks ---------------------------------------------------------------------------


class Benchmark(PublishableModel):
    title = models.CharField(max_length=200, help_text="e.g. 'Throughput, I/O-bound JSON API'.")
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs.")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="benchmarks",
        help_text="Where the figures come from.",
    )
    workload = models.TextField(help_text="What was measured: the request, its I/O, its payload.")
    metric = models.CharField(max_length=80, help_text="e.g. 'Throughput'.")
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. 'requests/s'.")
    higher_is_better = models.BooleanField(
        default=True, help_text="Untick for latencies and other smaller-is-better metrics."
    )
    server = models.CharField(
        max_length=120,
        blank=True,
        help_text="Server set-up shared by all results, if any (each result can name its own).",
    )
    hardware = models.CharField(
        max_length=200, blank=True, help_text="Hardware, if the source says; else leave empty."
    )
    measured_on = models.DateField(
        null=True, blank=True, help_text="When the figures were measured or published."
    )
    caveats = models.TextField(
        blank=True, help_text="What a reader must know before comparing these figures."
    )
    task = models.CharField(
        max_length=40,
        blank=True,
        help_text="For Versus's own runs: the task (/tasks/<task>/) whose code it measured.",
    )
    context = models.JSONField(
        default=dict,
        blank=True,
        help_text="For Versus's own runs: the machine, software, settings, date and commit "
        "the run captured (written by `manage.py import_benchmark_run`).",
    )

    objects = querysets.BenchmarkQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [status_constraint("benchmark_status_valid")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("comparisons:benchmark-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        """As `BenchmarkQuerySet.published()`: only with its source."""
        return self.status == Status.PUBLISHED and self.source.status == Status.PUBLISHED


class BenchmarkResult(TimestampedModel):
    Figure = Figure

    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.CASCADE, related_name="results", help_text="The benchmark."
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="benchmark_results",
        help_text="The framework this figure is for.",
    )
    server = models.CharField(
        max_length=80, blank=True, help_text="Server it ran under, e.g. 'Uvicorn', 'Gunicorn'."
    )
    figure = models.CharField(
        max_length=12,
        choices=Figure.choices,
        default=Figure.VALUE,
        help_text="What kind of figure the source gives. Never invent a figure it does not give.",
    )
    value = models.DecimalField(
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="The value, or the lower bound for 'at least'.",
    )
    low = models.DecimalField(
        max_digits=14, decimal_places=3, null=True, blank=True, help_text="Range: lowest figure."
    )
    high = models.DecimalField(
        max_digits=14, decimal_places=3, null=True, blank=True, help_text="Range: highest figure."
    )
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Position in the source's ordering, 1 = best."
    )
    approximate = models.BooleanField(
        default=False, help_text="Tick when the source gives the figure as approximate (~)."
    )
    notes = models.CharField(max_length=300, blank=True, help_text="Anything specific to this row.")

    objects = querysets.BenchmarkResultQuerySet.as_manager()

    class Meta:
        ordering = ["benchmark", "rank", "framework__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "framework", "server"], name="benchmarkresult_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(figure=Figure.VALUE, value__isnull=False, low__isnull=True, high__isnull=True)
                    | Q(
                        figure=Figure.LOWER_BOUND,
                        value__isnull=False,
                        low__isnull=True,
                        high__isnull=True,
                    )
                    | Q(
                        figure=Figure.RANGE,
                        value__isnull=True,
                        low__isnull=False,
                        high__isnull=False,
                    )
                    | Q(
                        figure=Figure.RANK,
                        value__isnull=True,
                        low__isnull=True,
                        high__isnull=True,
                        rank__isnull=False,
                    )
                ),
                name="benchmarkresult_figure_fields",
                violation_error_message="Fill exactly the fields of the chosen figure: a value, "
                "a low and high, or a rank.",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")),
                name="benchmarkresult_low_not_above_high",
                violation_error_message="The low end of a range cannot be above its high end.",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="benchmarkresult_value_ge_0"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(low__gte=0), name="benchmarkresult_low_ge_0"
            ),
        ]

    def __str__(self):
        server = f" ({self.server})" if self.server else ""
        return f"{self.framework}{server} — {self.display}"

    def natural_key(self):
        return (self.benchmark.slug, self.framework.slug, self.server)

    natural_key.dependencies = ["comparisons.benchmark", "comparisons.framework"]

    @property
    def display(self):
        def fmt(number):
            return f"{number:,.3f}".rstrip("0").rstrip(".")

        prefix = "~" if self.approximate else ""
        if self.figure == self.Figure.RANGE:
            return f"{prefix}{fmt(self.low)}–{fmt(self.high)}"
        if self.figure == self.Figure.LOWER_BOUND:
            return f"{prefix}{fmt(self.value)}+"
        if self.figure == self.Figure.RANK:
            return f"#{self.rank}"
        return f"{prefix}{fmt(self.value)}"


# --- The package registry -----------------------------------------------------------------


class RegistrySnapshot(models.Model):
    """What the package registry said about a framework's package on one day
    (`manage.py sync_registry`). Each sync adds one; the newest is current and the older
    ones are its history. Written only by `services.registry_snapshot_record`."""

    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="registry_snapshots",
        help_text="The framework whose package this is.",
    )
    package = models.CharField(max_length=100, help_text="The package's name on the registry.")
    taken_at = models.DateTimeField(help_text="When the registry was read.")
    registry_url = models.URLField(
        max_length=500, blank=True, help_text="The package's page on the registry, as it gives it."
    )
    latest_version = models.CharField(max_length=60, help_text="Its latest final release.")
    latest_released_on = models.DateField(
        null=True, blank=True, help_text="When the latest release was uploaded."
    )
    first_released_on = models.DateField(
        null=True, blank=True, help_text="When its first release was uploaded."
    )
    releases_last_12_months = models.PositiveIntegerField(
        default=0, help_text="Final releases uploaded in the 365 days before the sync."
    )
    requires_python = models.CharField(
        max_length=100, blank=True, help_text="The latest release's Requires-Python."
    )
    licence = models.CharField(
        max_length=100, blank=True, help_text="The licence the latest release declares."
    )
    documentation_url = models.URLField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    changelog_url = models.URLField(max_length=500, blank=True)
    releases = models.JSONField(
        default=list,
        blank=True,
        help_text="Every final release as [version, 'YYYY-MM-DD'], oldest first (the timeline).",
    )

    objects = querysets.RegistrySnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-taken_at"]
        get_latest_by = "taken_at"
        indexes = [models.Index(fields=["framework", "-taken_at"], name="snapshot_latest")]

    def __str__(self):
        return f"{self.package} on {self.taken_at:%Y-%m-%d}"

    @property
    def taken_on(self):
        return self.taken_at.date()


# --- Strengths, weaknesses, use cases, history --------------------------------------------


class Point(TimestampedModel):
    """A strength or weakness of a framework, as one source sees it."""

    Kind = PointKind

    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="points",
        help_text="The framework the point is about.",
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="points", help_text="Who makes the point."
    )
    kind = models.CharField(
        max_length=8, choices=Kind.choices, help_text="A strength or a weakness."
    )
    text = models.CharField(max_length=300, help_text="The point, in our own words.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page.")

    objects = querysets.PointQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "source", "kind", "text"], name="point_unique"
            ),
            models.CheckConstraint(condition=Q(kind__in=PointKind.values), name="point_kind_valid"),
        ]

    def __str__(self):
        return f"{self.framework} {self.get_kind_display().lower()}: {self.text}"

    def natural_key(self):
        return (self.framework.slug, self.source.slug, self.kind, self.text)

    natural_key.dependencies = ["comparisons.framework", "comparisons.source"]


class UseCase(PublishableModel):
    name = models.CharField(max_length=150, unique=True, help_text="e.g. 'Simple CRUD API'.")
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs and anchors.")
    description = models.TextField(blank=True, help_text="The situation, in our own words.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page.")
    preset_note = models.TextField(
        blank=True,
        help_text="What the preset requirements below are based on, shown beside them. The "
        "preset is Versus's own reading of the use case, not a source's claim: say so, and "
        "name what in the sources' recommendations it follows.",
    )

    objects = querysets.UseCaseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [status_constraint("usecase_status_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("comparisons:use-case-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def preset_requirements(self):
        """The preset's UseCaseRequirement records on published features, must-haves first,
        then nice-to-haves and preferences, each by feature name. One query, or none when
        `requirements` is prefetched (`UseCaseQuerySet.with_preset`)."""
        requirements = self.requirements.all()
        if "requirements" not in getattr(self, "_prefetched_objects_cache", {}):
            requirements = requirements.select_related("feature", "end")
        kinds = list(RequirementKind)
        return sorted(
            (requirement for requirement in requirements if requirement.feature.is_published),
            key=lambda requirement: (kinds.index(requirement.kind), requirement.feature.name),
        )

    def preset(self):
        """The preset, as `choosing.Requirement`s in their canonical order."""
        return sorted(requirement.as_requirement() for requirement in self.preset_requirements())

    def get_choose_url(self):
        """The choose page, started from this use case's preset ("Start from this")."""
        from . import choosing  # choosing imports the models

        return choosing.choose_url(self.preset(), use_case=self.slug)

    def recommendations_by_framework(self):
        """The published recommendations (`UseCaseQuerySet.with_recommendations`), one entry
        per framework: (framework, its recommendations), in the order of each framework's
        strongest fit."""
        grouped = {}
        for recommendation in self.recommendations.all():
            grouped.setdefault(recommendation.framework, []).append(recommendation)
        return list(grouped.items())


# The lowest acceptable levels a must-have may name, lowest first (`choosing.MUST_LEVELS`).
MUST_LEVELS = (SupportLevel.PARTIAL, SupportLevel.EXTENSION, SupportLevel.NATIVE)
REQUIREMENT_WEIGHTS = (1, 2, 3)  # `choosing.WEIGHTS`
FEATURE_KIND_OF_REQUIREMENT = {
    RequirementKind.MUST: FeatureKind.CAPABILITY,
    RequirementKind.NICE: FeatureKind.CAPABILITY,
    RequirementKind.PREFER: FeatureKind.RATING,
}


class UseCaseRequirement(TimestampedModel):
    """One requirement of a use case's preset: where "Start from this" on the use case's
    page starts the choose page. Versus's own reading of the use case, not a source's."""

    Kind = RequirementKind

    use_case = models.ForeignKey(
        UseCase,
        on_delete=models.CASCADE,
        related_name="requirements",
        help_text="The use case whose preset this is part of.",
    )
    feature = models.ForeignKey(
        Feature,
        on_delete=models.PROTECT,
        related_name="preset_requirements",
        limit_choices_to={"kind__in": [FeatureKind.CAPABILITY, FeatureKind.RATING]},
        help_text="What is asked of the frameworks: a capability (must have, nice to have) or "
        "a rating feature (prefer one end of its scale).",
    )
    kind = models.CharField(
        max_length=6,
        choices=RequirementKind.choices,
        help_text="Must have: frameworks below the level are ruled out. Nice to have: a "
        "capability that earns points. Prefer: one end of a rating feature's scale earns "
        "points.",
    )
    level = models.CharField(
        max_length=10,
        choices=[(level.value, level.label) for level in MUST_LEVELS],
        blank=True,
        help_text="Must haves only: the lowest support level that will do (partial is the "
        "most lenient). Leave empty for nice to haves and preferences.",
    )
    end = models.ForeignKey(
        ScalePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="preset_requirements",
        help_text="Preferences only: the wanted end of the feature's scale, its first or its "
        "last point (e.g. Learning curve: Gentle). Leave empty otherwise.",
    )
    weight = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(1, "1 — matters a little"), (2, "2 — matters"), (3, "3 — matters a lot")],
        help_text="Nice to haves and preferences only: how much it counts, 1 (a little) to 3 "
        "(a lot). Leave empty for must haves.",
    )

    objects = querysets.UseCaseRequirementQuerySet.as_manager()

    class Meta:
        ordering = ["use_case", "kind", "pk"]
        verbose_name = "preset requirement"
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "feature"],
                name="usecaserequirement_unique_feature",
                violation_error_message="This use case's preset already has a requirement on "
                "that feature: state each feature once.",
            ),
            models.CheckConstraint(
                condition=Q(kind=RequirementKind.MUST, level__in=MUST_LEVELS)
                | Q(kind__in=[RequirementKind.NICE, RequirementKind.PREFER], level=""),
                name="usecaserequirement_level_for_must_only",
                violation_error_message="A must have takes a level (partial, extension or "
                "native); a nice to have or a preference takes none.",
            ),
            models.CheckConstraint(
                condition=Q(kind=RequirementKind.MUST, weight__isnull=True)
                | Q(
                    kind__in=[RequirementKind.NICE, RequirementKind.PREFER],
                    weight__gte=min(REQUIREMENT_WEIGHTS),
                    weight__lte=max(REQUIREMENT_WEIGHTS),
                ),
                name="usecaserequirement_weight_range",
                violation_error_message="A nice to have or a preference takes a weight from 1 "
                "to 3; a must have takes none.",
            ),
            models.CheckConstraint(
                condition=Q(kind=RequirementKind.PREFER, end__isnull=False)
                | Q(kind__in=[RequirementKind.MUST, RequirementKind.NICE], end__isnull=True),
                name="usecaserequirement_end_for_prefer_only",
                violation_error_message="A preference takes an end of the feature's scale; a "
                "must have or a nice to have takes none.",
            ),
        ]

    def __str__(self):
        return f"{self.use_case}: {self.get_kind_display().lower()} {self.feature}"

    def natural_key(self):
        return (self.use_case.slug, self.feature.slug)

    natural_key.dependencies = ["comparisons.usecase", "comparisons.feature"]

    def as_requirement(self):
        """This requirement as the choose page reads it."""
        from . import choosing  # choosing imports the models

        return choosing.Requirement(
            feature=self.feature.slug,
            kind=self.kind,
            level=self.level,
            end=self.end.slug if self.end_id else "",
            weight=self.weight or 0,
        )

    @property
    def in_words(self):
        """E.g. 'Async support — at least partial', 'Performance — Very high end, matters a
        lot' (the kind is said apart: "Must have", "Prefer")."""
        from . import choosing  # choosing imports the models

        if self.kind == RequirementKind.MUST:
            return f"{self.feature.name} — {choosing.MUST_LEVELS[self.level]}"
        weight = choosing.WEIGHTS[self.weight]
        if self.kind == RequirementKind.PREFER:
            return f"{self.feature.name} — {self.end.label} end, {weight}"
        return f"{self.feature.name} — {weight}"

    def clean(self):
        """The rules that span tables (the feature's kind, its scale), and the single-table
        ones again with a message on the field to correct."""
        errors = {}
        if self.kind == RequirementKind.MUST:
            if not self.level:
                errors["level"] = "A must have needs the lowest level that will do."
            if self.weight is not None:
                errors["weight"] = "A must have rules frameworks out; it takes no weight."
        elif self.kind in (RequirementKind.NICE, RequirementKind.PREFER):
            if self.level:
                errors["level"] = "Only a must have takes a level; leave it empty."
            if self.weight is None:
                errors["weight"] = "Choose how much it counts, from 1 to 3."
        if self.kind != RequirementKind.PREFER and self.end_id is not None:
            errors["end"] = "Only a preference takes an end of a scale; leave it empty."
        if self.feature_id and self.kind in FEATURE_KIND_OF_REQUIREMENT:
            feature = self.feature
            wanted = FEATURE_KIND_OF_REQUIREMENT[self.kind]
            if feature.kind != wanted:
                errors["feature"] = (
                    f"'{feature.name}' is a {feature.get_kind_display().split(' (')[0].lower()}"
                    f" feature; a {self.get_kind_display().lower()} needs a "
                    f"{FeatureKind(wanted).label.split(' (')[0].lower()} feature."
                )
            elif self.kind == RequirementKind.PREFER:
                self.clean_end(feature, errors)
        if errors:
            raise ValidationError(errors)

    def clean_end(self, feature, errors):
        points = list(feature.scale_points.order_by("value"))
        ends = [points[0], points[-1]] if points else []
        names = " or ".join(dict.fromkeys(point.label for point in ends))
        if self.end_id is None:
            errors["end"] = f"Choose the end of the scale of '{feature.name}' to prefer: {names}."
        elif self.end_id not in {point.pk for point in ends}:
            errors["end"] = (
                f"Prefer an end of the scale of '{feature.name}': {names}."
                if ends
                else f"'{feature.name}' has no scale points yet."
            )


class Recommendation(TimestampedModel):
    Fit = Fit

    use_case = models.ForeignKey(
        UseCase,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text="The situation being recommended for.",
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text="The framework recommended (or advised against).",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text="Who recommends it.",
    )
    fit = models.CharField(
        max_length=16,
        choices=Fit.choices,
        default=Fit.RECOMMENDED,
        help_text="How strongly the source recommends it for this use case.",
    )
    rationale = models.TextField(help_text="Why, in our own words.")

    objects = querysets.RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["use_case", "framework"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "framework", "source"], name="recommendation_unique"
            ),
            models.CheckConstraint(
                condition=Q(fit__in=Fit.values),
                name="recommendation_fit_valid",
            ),
        ]

    def __str__(self):
        return f"{self.framework} for {self.use_case}"

    def natural_key(self):
        return (self.use_case.slug, self.framework.slug, self.source.slug)

    natural_key.dependencies = [
        "comparisons.usecase",
        "comparisons.framework",
        "comparisons.source",
    ]


class Milestone(TimestampedModel):
    """A dated event in a framework's history, e.g. its first release."""

    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="milestones",
        help_text="The framework whose history this is.",
    )
    year = models.PositiveSmallIntegerField(help_text="Year it happened.")
    title = models.CharField(max_length=200, help_text="What happened, in our own words.")
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="Where we read it, if from a source.",
    )

    objects = querysets.MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "year"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "title"], name="milestone_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=EARLIEST_YEAR, year__lte=LATEST_YEAR),
                name="milestone_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.framework} — {self.title}"

    def natural_key(self):
        return (self.framework.slug, self.year, self.title)

    natural_key.dependencies = ["comparisons.framework", "comparisons.source"]


class ContentChange(models.Model):
    """The newest committed content change, by number: the shared cache's content state
    names the newest change it reflects (`comparisons.caching`).

    A row is added when a change commits, before the cache is told, and older rows are
    dropped once the cache has the new state, so the table holds a row or two. A process
    that may have missed a cache outage compares the numbers before trusting the cache, so
    a change the cache never heard of (or lost in a restart) is never hidden by old pages.
    Not content: no history, no cache invalidation of its own."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"content change {self.pk} of {self.created_at:%Y-%m-%d %H:%M:%S}"

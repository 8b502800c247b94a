"""Every choice list of the domain, in one module that imports nothing of Versus.

Models, QuerySets, serializers and filters all take their values from here, so a value is
spelt once. The models keep them under their familiar names too (`Framework.Kind`,
`Claim.Place`, ...).
"""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SupportLevel(models.TextChoices):
    """How a framework supports a capability, best first."""

    NATIVE = "native", "Native"
    EXTENSION = "extension", "Via extension"
    PARTIAL = "partial", "Partial"
    NONE = "none", "None"
    UNKNOWN = "unknown", "Unknown"


# Levels that say nothing definite (no level at all, or "unknown"): they never dispute a cell.
NON_COMMITTAL_LEVELS = ("", SupportLevel.UNKNOWN)


class Tone(models.TextChoices):
    """How a point on a rating scale reads to someone choosing: drives the cell's colour."""

    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class FrameworkKind(models.TextChoices):
    MICRO = "micro", "Micro-framework"
    FULL_STACK = "full-stack", "Full-stack framework"
    API = "api", "API framework"
    API_TOOLKIT = "api-toolkit", "API toolkit (add-on)"


# A heading over each kind's frameworks where lists group them (the picker, home, choose).
FRAMEWORK_KIND_HEADINGS = {
    FrameworkKind.MICRO: "Micro-frameworks",
    FrameworkKind.FULL_STACK: "Full-stack frameworks",
    FrameworkKind.API: "API frameworks",
    FrameworkKind.API_TOOLKIT: "API toolkits (add-ons)",
}


class Interface(models.TextChoices):
    """How a server runs the framework's app. Tornado and aiohttp serve HTTP themselves and
    are neither WSGI nor ASGI applications at heart: `own`."""

    WSGI = "wsgi", "WSGI"
    ASGI = "asgi", "ASGI"
    BOTH = "both", "WSGI and ASGI"
    OWN_SERVER = "own", "Its own HTTP server"


class FeatureKind(models.TextChoices):
    CAPABILITY = "capability", "Capability (support level)"
    RATING = "rating", "Rating (on the feature's own scale)"
    FACT = "fact", "Fact (text)"


class SourceKind(models.TextChoices):
    """What sort of text a source is. Primary sources (every kind but an article) are the
    project's own word or our own measurement; pages list them first, in this order."""

    DOCUMENTATION = "documentation", "Official documentation"
    RELEASE_NOTES = "release-notes", "Release notes"
    PACKAGE_REGISTRY = "package-registry", "Package registry"
    BENCHMARK_RUN = "benchmark-run", "Benchmark run"
    ARTICLE = "article", "Article"


# Sources that speak first-hand: the project's own pages, its registry entry, a benchmark run.
PRIMARY_SOURCE_KINDS = (
    SourceKind.DOCUMENTATION,
    SourceKind.RELEASE_NOTES,
    SourceKind.PACKAGE_REGISTRY,
    SourceKind.BENCHMARK_RUN,
)


class ValueKind(models.TextChoices):
    """What comparable value a fact feature's cells and claims can carry, so that facts can
    disagree visibly ("3.6+" against ">=3.10") like levels and ratings do."""

    NONE = "", "None (text only)"
    VERSION_CONSTRAINT = "version-constraint", "Version constraint (e.g. >=3.10)"
    LICENCE = "licence", "Licence identifier (SPDX, e.g. MIT)"
    YEAR = "year", "Year"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Place(models.TextChoices):
    """Where in its source a claim is made."""

    TABLE = "table", "Comparison table"
    PROSE = "prose", "Prose"


class Figure(models.TextChoices):
    """What kind of figure a benchmark result gives."""

    VALUE = "value", "A value"
    RANGE = "range", "A low–high range"
    LOWER_BOUND = "lower-bound", "At least (e.g. 10,000+)"
    RANK = "rank", "A position only (no figure published)"


class PointKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    WEAKNESS = "weakness", "Weakness"


class Fit(models.TextChoices):
    """How strongly a source recommends a framework for a use case, strongest first."""

    RECOMMENDED = "recommended", "Recommended"
    SUITABLE = "suitable", "Suitable"
    NOT_RECOMMENDED = "not-recommended", "Not recommended"


class RequirementKind(models.TextChoices):
    """What a requirement asks of a feature when choosing a framework (`choosing`)."""

    MUST = "must", "Must have"
    NICE = "nice", "Nice to have"
    PREFER = "prefer", "Prefer"
